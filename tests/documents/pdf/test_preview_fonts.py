import struct

import pytest

from documents.pdf.preview_fonts import (
    LAKSAMAN_DIR,
    SARABUN_UNITS_PER_EM,
    _checksum,
    _table,
    build_preview_fonts,
    stand_in_available,
    with_units_per_em,
)

needs_laksaman = pytest.mark.skipif(not stand_in_available(), reason="fonts-thai-tlwg (Laksaman) not installed")


@needs_laksaman
def test_units_per_em_raised_and_checksums_valid():
    original = (LAKSAMAN_DIR / "Laksaman.ttf").read_bytes()
    scaled = with_units_per_em(original, SARABUN_UNITS_PER_EM)
    offset, length, record = _table(bytearray(scaled), b"head")
    assert struct.unpack_from(">H", scaled, offset + 18) == (SARABUN_UNITS_PER_EM,)
    assert len(scaled) == len(original)
    assert _checksum(scaled) == 0xB1B0AFBA  # the whole-font checksum rule of the sfnt format
    head = bytearray(scaled[offset : offset + length])
    head[8:12] = b"\0\0\0\0"
    assert struct.unpack_from(">I", scaled, record + 4) == (_checksum(head),)


@needs_laksaman
def test_fontconfig_file_names_the_copies_as_sarabun(tmp_path):
    conf = build_preview_fonts(tmp_path)
    text = conf.read_text(encoding="utf-8")
    assert "<string>TH SarabunIT๙</string>" in text
    assert sorted(p.name for p in tmp_path.glob("*.ttf"))[0].startswith("SarabunStandIn-")
    assert "rejectfont" in text
