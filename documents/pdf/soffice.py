"""PDF previews through LibreOffice headless.

One soffice call converts several files (start-up is most of the cost). Each call gets its own
throw-away profile directory: two soffice processes sharing a profile fail, and the user's profile
must not be touched by a server process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

SOFFICE_NAMES = ("soffice", "libreoffice")
# One soffice at a time in a process (the web app's print previews and PDF jobs, a CLI render):
# two at once would only share the cores more slowly and hold twice the memory.
_ONE_CONVERSION = threading.Lock()
CONVERT_TIMEOUT_SECONDS = 180
# What LibreOffice sees of the environment: enough to find its programs and read its locale. Never
# the rest: Saraban's processes hold SARABAN_DATABASE_URL, PREFECT_API_AUTH_STRING and the like,
# and LibreOffice reads documents, the least trusted input there is.
_OFFICE_VARIABLES = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONPATH")

# LibreOffice 7.4 reads the PAGE field switch \* ThaiArabic as Thai *letters* (ก ข ค) and ignores the
# section's thaiNumbers format that Word honours, so documents carry a plain PAGE field in Thai-tagged
# runs (documents.docx.page_number). Its "Context" numerals option (CTLTextNumerals = 3) then draws
# the digits of Thai-tagged text with Thai digit glyphs: the page number prints as "- ๒ -". It is a
# drawing option: the PDF's text layer keeps the digit "2", and an Arabic digit typed into Thai text
# is drawn as a Thai digit too (the .docx itself is unchanged, and proofreading still sees the
# character); digits in Latin-tagged runs ("ITA 2021") stay Arabic.
_THAI_NUMERALS_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/I18N/CTL">\
<prop oor:name="CTLTextNumerals" oor:op="fuse"><value>3</value></prop></item>
</oor:items>
"""


class LibreOfficeMissing(RuntimeError):
    """soffice is not installed, so no PDF can be made."""

    def __init__(self) -> None:
        super().__init__(
            "ไม่พบโปรแกรม LibreOffice (soffice) จึงสร้างไฟล์ PDF ไม่ได้ "
            "กรุณาติดตั้งแพ็กเกจ libreoffice-writer-nogui / "
            "LibreOffice (soffice) was not found, so no PDF can be made: "
            "install the libreoffice-writer-nogui package "
            "(apt-get install libreoffice-writer-nogui)."
        )


class ConversionFailed(RuntimeError):
    """soffice ran but did not produce every PDF asked for."""


def soffice_path() -> str | None:
    return next((found for name in SOFFICE_NAMES if (found := shutil.which(name))), None)


def soffice_available() -> bool:
    return soffice_path() is not None


def convert_to_pdf(
    docx_paths: Sequence[Path],
    out_dir: Path,
    *,
    env: Mapping[str, str] | None = None,
    thai_numerals: bool = True,
) -> list[Path]:
    """Convert the files in one soffice call; returns the PDF paths in the order given.

    `env` is added to the environment of soffice, e.g. FONTCONFIG_FILE from
    documents.pdf.preview_fonts.build_preview_fonts. `thai_numerals` draws digits as Thai digits.
    """
    soffice = soffice_path()
    if soffice is None:
        raise LibreOfficeMissing()
    out_dir.mkdir(parents=True, exist_ok=True)
    pdfs = [out_dir / f"{Path(path).stem}.pdf" for path in docx_paths]
    for stale in pdfs:  # a PDF left from an earlier run must not pass for a fresh one
        stale.unlink(missing_ok=True)
    with _ONE_CONVERSION, tempfile.TemporaryDirectory(prefix="saraban-soffice-") as profile:
        if thai_numerals:
            write_thai_numerals_profile(Path(profile))
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *(str(path) for path in docx_paths),
        ]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=CONVERT_TIMEOUT_SECONDS,
            env=office_environment(Path(profile), env),
            check=False,
        )
    return _check_produced(pdfs, result)


def office_environment(scratch: Path, settings: Mapping[str, str] | None = None) -> dict[str, str]:
    """The whole environment of a LibreOffice (or of the office server that starts one): the
    locale and PATH, its home and temporary files in `scratch` (a private folder), and `settings`
    (FONTCONFIG_FILE from documents.pdf.preview_fonts)."""
    environment = {name: os.environ[name] for name in _OFFICE_VARIABLES if name in os.environ}
    environment.update(HOME=str(scratch), TMPDIR=str(scratch))
    environment.update(settings or {})
    return environment


def write_thai_numerals_profile(profile: Path) -> None:
    """A LibreOffice user profile that draws the digits of Thai text as Thai digits."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_THAI_NUMERALS_PROFILE, encoding="utf-8")


def _check_produced(pdfs: list[Path], result: subprocess.CompletedProcess[str]) -> list[Path]:
    missing = [pdf.name for pdf in pdfs if not pdf.exists()]
    if result.returncode != 0 or missing:
        raise ConversionFailed(f"soffice exit {result.returncode}, missing {missing}: {result.stderr.strip()}")
    return pdfs
