"""A stand-in for TH Sarabun, so PDF previews break lines and pages as the real font does.

TH Sarabun is not in Debian; Debian's Laksaman (fonts-thai-tlwg) has TH Sarabun's outlines drawn
about 1.5 times larger. fontconfig's own synthetic alias only scales Laksaman with a font matrix,
which LibreOffice ignores (a one-page memo then runs to two). Raising Laksaman's unitsPerEm from
1000 to 1504 gives it TH Sarabun's metrics; a fontconfig file then lists the copies under the
TH Sarabun family names, and soffice is started with FONTCONFIG_FILE pointing at that file.

Only the 2-byte unitsPerEm field of the 'head' table changes (plus the checksums that cover it),
so the standard library does the job: fontTools is not a dependency of this project.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

from documents.docx.thai import DEFAULT_FONT

LAKSAMAN_DIR = Path("/usr/share/fonts/truetype/tlwg")
LAKSAMAN_FACES = (
    "Laksaman.ttf",
    "Laksaman-Bold.ttf",
    "Laksaman-Italic.ttf",
    "Laksaman-BoldItalic.ttf",
)
SARABUN_UNITS_PER_EM = 1504  # Laksaman draws on 1000 units what TH Sarabun draws on about 1504
SARABUN_FAMILIES = (DEFAULT_FONT, "TH Sarabun PSK", "TH SarabunPSK", "TH Sarabun New")
FONTCONFIG_NAME = "fonts.conf"

_HEAD_UNITS_PER_EM = 18  # byte offsets inside the 'head' table
_HEAD_CHECKSUM_ADJUSTMENT = 8
_CHECKSUM_MAGIC = 0xB1B0AFBA


class StandInFontMissing(RuntimeError):
    """Laksaman (Debian package fonts-thai-tlwg) is not installed."""


def stand_in_available() -> bool:
    return (LAKSAMAN_DIR / LAKSAMAN_FACES[0]).exists()


def sarabun_installed(family: str = DEFAULT_FONT) -> bool:
    """Whether fontconfig knows a real font of that family (then no stand-in is needed)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listed = subprocess.run([fc_list, f":family={family}", "family"], capture_output=True, text=True, check=False)
    return bool(listed.stdout.strip())


def sarabun_metrics_env(work_dir: Path, family: str = DEFAULT_FONT) -> dict[str, str]:
    """The environment for soffice under which `family` prints with TH Sarabun's metrics.

    Nothing when the real font is installed; FONTCONFIG_FILE for the Laksaman stand-in (built in
    work_dir) when it is not; nothing either when Laksaman is missing too (LibreOffice then falls
    back to another Thai font, and page breaks may differ from the printed original).
    """
    if sarabun_installed(family) or not stand_in_available():
        return {}
    return {"FONTCONFIG_FILE": str(build_preview_fonts(work_dir))}


def build_preview_fonts(target_dir: Path, *, families: tuple[str, ...] = SARABUN_FAMILIES) -> Path:
    """Write the scaled Laksaman copies and a fontconfig file into target_dir; returns the file.

    Pass {"FONTCONFIG_FILE": str(returned path)} as env to documents.pdf.soffice.convert_to_pdf.
    """
    if not stand_in_available():
        raise StandInFontMissing(f"{LAKSAMAN_DIR / LAKSAMAN_FACES[0]} not found: install fonts-thai-tlwg")
    target_dir.mkdir(parents=True, exist_ok=True)
    copies = []
    for face in LAKSAMAN_FACES:
        source = LAKSAMAN_DIR / face
        if source.exists():
            copy = target_dir / f"SarabunStandIn-{face}"
            copy.write_bytes(with_units_per_em(source.read_bytes(), SARABUN_UNITS_PER_EM))
            copies.append(copy)
    conf = target_dir / FONTCONFIG_NAME
    conf.write_text(_fontconfig(target_dir, copies, families), encoding="utf-8")
    return conf


def with_units_per_em(font: bytes, units_per_em: int) -> bytes:
    """A TrueType font with another unitsPerEm: every glyph prints scaled by old/new."""
    data = bytearray(font)
    head_offset, head_length, record = _table(data, b"head")
    struct.pack_into(">H", data, head_offset + _HEAD_UNITS_PER_EM, units_per_em)
    struct.pack_into(">I", data, head_offset + _HEAD_CHECKSUM_ADJUSTMENT, 0)
    head_sum = _checksum(data[head_offset : head_offset + head_length])
    struct.pack_into(">I", data, record + 4, head_sum)  # the table record's checksum
    adjustment = (_CHECKSUM_MAGIC - _checksum(data)) & 0xFFFFFFFF
    struct.pack_into(">I", data, head_offset + _HEAD_CHECKSUM_ADJUSTMENT, adjustment)
    return bytes(data)


def _table(data: bytearray, tag: bytes) -> tuple[int, int, int]:
    """(offset, length, table record position) of a table in an sfnt font."""
    (count,) = struct.unpack_from(">H", data, 4)
    for index in range(count):
        record = 12 + 16 * index
        found, _checksum_value, offset, length = struct.unpack_from(">4sIII", data, record)
        if found == tag:
            return offset, length, record
    raise ValueError(f"font has no {tag!r} table")


def _checksum(block: bytes | bytearray) -> int:
    padded = bytes(block) + b"\0" * (-len(block) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


# LibreOffice names fonts from their name tables, where the copies are still "Laksaman"; with the
# originals visible too it may pick an original. Hiding them (only for this fontconfig file) leaves
# the scaled copies as the one Laksaman.
_REJECT_ORIGINALS = f"<selectfont><rejectfont><glob>{LAKSAMAN_DIR}/Laksaman*</glob></rejectfont></selectfont>\n"


def _fontconfig(target_dir: Path, copies: list[Path], families: tuple[str, ...]) -> str:
    # target="scan" renames the copies when fontconfig indexes them, so the font files keep
    # Laksaman's name table and only fontconfig (hence soffice) sees them as TH Sarabun.
    names = "".join(f"<string>{escape(name)}</string>" for name in families)
    renames = "".join(
        f'<match target="scan"><test name="file"><string>{escape(str(copy))}</string></test>'
        f'<edit name="family" mode="assign_replace">{names}</edit></match>\n'
        for copy in copies
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"<dir>{escape(str(target_dir))}</dir>\n"
        f"<cachedir>{escape(str(target_dir / 'cache'))}</cachedir>\n"
        f"{_REJECT_ORIGINALS}{renames}</fontconfig>\n"
    )
