"""PDF previews through LibreOffice: the 004 memo and announcement, with the TH Sarabun stand-in."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from documents.announcement_docx import build_announcement_docx
from documents.memo_docx import build_memo_docx
from documents.pdf import LibreOfficeMissing, convert_to_pdf, soffice_available
from documents.preview_fonts import build_preview_fonts, stand_in_available
from documents.sample_004 import announcement_004, memo_004

pytestmark = pytest.mark.skipif(
    not soffice_available(), reason="LibreOffice (soffice) is not installed: no PDF conversion"
)

MEMO_LINES = [
    "บันทึกข้อความ",
    "วันที่ ๔ มีนาคม ๒๕๖๔",
    "ที่ อท ๕๓๗๐๑.๔/๓๐",
    "ข้อเท็จจริง",
    "(นางสาวสมหญิง แดงโสภา)",
    "(นางสาวกนกพร มุสพร้อม)",
    "ว่าที่ร้อยตรี",
    "(ภาคภูมิ อนุศาสตร์)",
    "ปลัดเทศบาล ปฏิบัติหน้าที่",
    "นายกเทศมนตรีตำบลโคกพุทรา",
    "- ๘ มี.ค. ๖๔ -",
    "..........ตรวจ",
]
ANNOUNCEMENT_LINES = [
    "ประกาศเทศบาลตำบลโคกพุทรา",
    "ประกาศ ณ วันที่ ๔ มีนาคม พ.ศ. ๒๕๖๔",
    "จึงประกาศมาให้ทราบด้วยทั่วกัน",
    "(ภาคภูมิ อนุศาสตร์)",
    "ปลัดเทศบาล ปฏิบัติหน้าที่",
    "นายกเทศมนตรีตำบลโคกพุทรา",
]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("pdf")
    memo, announcement = work / "memo-004.docx", work / "announcement-004.docx"
    memo.write_bytes(build_memo_docx(memo_004()))
    announcement.write_bytes(build_announcement_docx(announcement_004()))
    env = {}
    if stand_in_available():
        env["FONTCONFIG_FILE"] = str(build_preview_fonts(work / "fonts"))
    made = convert_to_pdf([memo, announcement], work / "out", env=env)
    return {"memo": made[0], "announcement": made[1]}


def _text(pdf: Path) -> str:
    # pdftotext spaces out justified Thai lines, so compare with all whitespace removed.
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", "", raw.stdout)


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext, pdfinfo) not installed"
)


@needs_poppler
@pytest.mark.parametrize(
    ("which", "lines"), [("memo", MEMO_LINES), ("announcement", ANNOUNCEMENT_LINES)]
)
def test_expected_thai_lines_in_pdf_text(pdfs, which, lines):
    text = _text(pdfs[which])
    missing = [line for line in lines if re.sub(r"\s+", "", line) not in text]
    assert not missing


@needs_poppler
@pytest.mark.skipif(not stand_in_available(), reason="fonts-thai-tlwg (Laksaman) not installed")
def test_page_counts_with_sarabun_metrics(pdfs):
    assert _pages(pdfs["announcement"]) == 1
    assert _pages(pdfs["memo"]) <= 2


@needs_poppler
def test_memo_page_two_is_numbered_and_page_one_is_not(pdfs):
    if _pages(pdfs["memo"]) < 2:
        pytest.skip("the memo fits on one page with these fonts")
    pages = [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdfs["memo"]), "-"],
            capture_output=True, text=True, check=True,
        ).stdout
        for n in (1, 2)
    ]  # fmt: skip
    # The text layer holds "2": LibreOffice draws it with a Thai digit glyph (see docx_page_number).
    assert re.match(r"\s*-\s*2\s*-", pages[1])
    assert not re.search(r"^\s*-\s*1\s*-", pages[0], re.M)


def test_missing_soffice_raises_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty PATH directory: no soffice on it
    with pytest.raises(LibreOfficeMissing, match="libreoffice-writer-nogui"):
        convert_to_pdf([tmp_path / "x.docx"], tmp_path)
