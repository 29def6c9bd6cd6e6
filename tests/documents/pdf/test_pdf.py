"""PDF previews through LibreOffice: the 004 memo and announcement, with the TH Sarabun stand-in,
as PDF and PNG pages, and the continuation word (คำต่อเนื่อง) at the foot of every page but the last.

Set SARABAN_TEST_ARTIFACTS=1 to keep the PDFs and PNG pages under test-artifacts/pdf/ to look at.
"""

import dataclasses
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from documents.docx.announcement import build_announcement_docx
from documents.docx.memo import build_memo_docx
from documents.pdf.continuation_words import page_body_lines, page_start_key
from documents.pdf.paginated import PaginatedDocument, PaginatedPdf, pdfs_with_continuations
from documents.pdf.preview_fonts import build_preview_fonts, stand_in_available
from documents.pdf.soffice import LibreOfficeMissing, convert_to_pdf, soffice_available
from documents.pdf.text import pdf_page_texts
from documents.text.announcement_examples import load_announcement_example
from documents.text.sample_004 import announcement_004, memo_004
from tests.documents.docx_inspect import all_paragraph_texts, reopen

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "test-artifacts" / "pdf"

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
    memo = build_memo_docx(memo_004())
    documents = {
        "memo": memo,
        "announcement": build_announcement_docx(announcement_004()),
        "announcement-000": build_announcement_docx(load_announcement_example("bangkok-district-000")),
        "memo-literal-page-number": _with_literal_page_number(memo),
    }
    paths = []
    for name, data in documents.items():
        paths.append(work / f"{name}.docx")
        paths[-1].write_bytes(data)
    env = {}
    if stand_in_available():
        env["FONTCONFIG_FILE"] = str(build_preview_fonts(work / "fonts"))
    made = convert_to_pdf(paths, work / "out", env=env)
    return dict(zip(documents, made, strict=True))


def _with_literal_page_number(data: bytes) -> bytes:
    """The memo with its page-2 header's field replaced by its cached result "๒" as plain text."""
    document = reopen(data)
    header = document.sections[0].header._element
    for run in list(header.iter(qn("w:r"))):
        if run.find(qn("w:fldChar")) is not None or run.find(qn("w:instrText")) is not None:
            run.getparent().remove(run)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


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
@pytest.mark.parametrize(("which", "lines"), [("memo", MEMO_LINES), ("announcement", ANNOUNCEMENT_LINES)])
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


def _layout_lines(pdf: Path) -> list[str]:
    raw = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return raw.stdout.splitlines()


_LATIN_WORD = re.compile(r"[A-Za-z]+")


@needs_poppler
@pytest.mark.parametrize(
    ("which", "source"),
    [
        ("memo", lambda: build_memo_docx(memo_004())),
        ("announcement-000", lambda: build_announcement_docx(load_announcement_example("bangkok-district-000"))),
    ],
)
def test_latin_words_are_never_cut_across_lines(pdfs, which, source):
    # Latin text tagged Thai got Thai line breaking: "(Integrity And Transparency Assessme" / "nt : ITA)".
    lines = _layout_lines(pdfs[which])
    written = {word for text in all_paragraph_texts(source()) for word in _LATIN_WORD.findall(text)}
    printed = {word for line in lines for word in _LATIN_WORD.findall(line)}
    assert "Assessment" in printed
    assert printed <= written, f"cut words: {printed - written}"
    assert all("Assessment" in line for line in lines if "Assess" in line)


def _page_top_pixels(pdf: Path, page: int, work: Path) -> bytes:
    """The top 2.1 cm of a page (the header band, above the body text) as raw grey pixels."""
    stem = work / f"{pdf.stem}-top"
    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            "100",
            "-f",
            str(page),
            "-l",
            str(page),
            "-x",
            "0",
            "-y",
            "0",
            "-W",
            "827",
            "-H",
            "83",
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    return Path(f"{stem}.pgm").read_bytes()


@needs_poppler
def test_the_page_number_prints_in_thai_digits(pdfs, tmp_path):
    # The text layer says "2" (LibreOffice draws Thai-tagged digits as Thai glyphs), so compare
    # pixels with the same memo whose header holds the character "๒" itself.
    if _pages(pdfs["memo"]) < 2:
        pytest.skip("the memo fits on one page with these fonts")
    numbered = _page_top_pixels(pdfs["memo"], 2, tmp_path)
    literal = _page_top_pixels(pdfs["memo-literal-page-number"], 2, tmp_path)
    header, pixels = numbered.split(b"\n255\n", 1)
    assert min(pixels) < 128, "nothing printed in the header band of page 2"
    assert numbered == literal


def _png_pages(pdf: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out_dir / pdf.stem)], check=True)
    pngs = sorted(out_dir.glob(f"{pdf.stem}-*.png"))
    if os.environ.get("SARABAN_TEST_ARTIFACTS"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for kept in (pdf, *pngs):
            shutil.copy(kept, ARTIFACTS / kept.name)
    return pngs


def _is_mark(line: str) -> bool:
    # A word followed by exactly "..." ends the line; "..........ตรวจ" and dot leaders do not count.
    return re.search(r"[^\s.]\.\.\.\s*$", line) is not None


def _long_memo():
    # 004 with its facts three times over: three pages, one break inside a paragraph.
    ctx = memo_004()
    return dataclasses.replace(ctx, facts="\n".join([ctx.facts, ctx.origin, ctx.facts]))


def _build_shifting_pages(marks) -> bytes:
    # A builder whose text grows when given marks: the second pass cannot break where the first did.
    ctx = memo_004()
    if marks:
        ctx = dataclasses.replace(ctx, legal_basis=[*ctx.legal_basis, "ระเบียบที่เพิ่มเข้ามา"] * 3)
    return build_memo_docx(ctx, continuations=marks)


@pytest.fixture(scope="module")
def paginated(tmp_path_factory) -> dict[str, PaginatedPdf]:
    """The memo, a three-page memo and the announcement, with continuation words (two soffice calls)."""
    memo, long_memo = memo_004(), _long_memo()
    documents = [
        PaginatedDocument("memo-004", lambda marks: build_memo_docx(memo, continuations=marks)),
        PaginatedDocument("memo-long", lambda marks: build_memo_docx(long_memo, continuations=marks)),
        PaginatedDocument("announcement-004", lambda _: build_announcement_docx(announcement_004())),
        PaginatedDocument(
            "announcement-001",
            lambda marks: build_announcement_docx(
                load_announcement_example("bangkok-district-001"), continuations=marks
            ),
        ),
        PaginatedDocument("memo-shifty", _build_shifting_pages),
    ]
    made = pdfs_with_continuations(documents, tmp_path_factory.mktemp("paginated"))
    return {result.stem: result for result in made}


@pytest.fixture(scope="module")
def unmarked_long_memo(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("unmarked")
    path = work / "memo-long.docx"
    path.write_bytes(build_memo_docx(_long_memo()))
    env = {"FONTCONFIG_FILE": str(build_preview_fonts(work / "fonts"))} if stand_in_available() else {}
    return convert_to_pdf([path], work / "out", env=env)[0]


needs_stand_in = pytest.mark.skipif(
    not stand_in_available(), reason="fonts-thai-tlwg (Laksaman) not installed: pages break elsewhere"
)


@needs_poppler
@needs_stand_in
def test_png_pages_one_for_the_announcement_at_most_two_for_the_memo(paginated, tmp_path):
    memo_pngs = _png_pages(paginated["memo-004"].pdf, tmp_path)
    announcement_pngs = _png_pages(paginated["announcement-004"].pdf, tmp_path)
    assert len(announcement_pngs) == 1
    assert 1 <= len(memo_pngs) <= 2
    assert len(memo_pngs) == paginated["memo-004"].pages
    for png in memo_pngs + announcement_pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    _png_pages(paginated["memo-long"].pdf, tmp_path)  # kept as an artifact too


@needs_poppler
@needs_stand_in
def test_the_004_memo_breaks_where_the_seed_does_and_says_so_at_the_foot(paginated):
    memo = paginated["memo-004"]
    assert memo.pages == 2 and memo.problems == []
    assert [(m.page, m.text) for m in memo.marks] == [(1, "ข้อพิจารณา...")]  # as on the 004 paper
    first, last = pdf_page_texts(memo.pdf)
    assert page_body_lines(first)[-1].strip() == "ข้อพิจารณา..."
    assert page_body_lines(last)[0].strip() == "ข้อพิจารณาและข้อเสนอ"
    assert not any(_is_mark(line) for line in page_body_lines(last))  # the last page has none


@needs_poppler
@needs_stand_in
def test_the_mark_is_printed_in_the_bottom_margin(paginated):
    words = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(paginated["memo-004"].pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    page_height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', words).group(1))
    (top,) = [float(y) for y in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>ข้อพิจารณา\.\.\.<', words)]
    bottom_margin_top = page_height - 2 / 2.54 * 72  # 2 cm bottom margin, in points
    assert bottom_margin_top <= top < page_height


@needs_poppler
@needs_stand_in
def test_every_page_but_the_last_carries_the_next_pages_first_word(paginated, unmarked_long_memo):
    memo = paginated["memo-long"]
    pages = pdf_page_texts(memo.pdf)
    assert len(pages) == memo.pages >= 3 and memo.problems == []
    assert [m.page for m in memo.marks] == list(range(1, len(pages)))
    for mark, page in zip(memo.marks, pages, strict=False):
        assert page_body_lines(page)[-1].strip() == mark.text
    assert not any(_is_mark(line) for line in page_body_lines(pages[-1]))
    # The marks moved nothing: every page starts where it starts without them.
    unmarked = pdf_page_texts(unmarked_long_memo)
    assert [page_start_key(p) for p in pages] == [page_start_key(p) for p in unmarked]


@needs_poppler
@needs_stand_in
def test_when_the_marks_move_the_breaks_the_unmarked_pdf_is_kept(paginated):
    shifty = paginated["memo-shifty"]
    assert shifty.marks == []
    assert "starts elsewhere" in shifty.problems[-1] or "page count" in shifty.problems[-1]
    assert "kept the PDF and .docx without continuation words" in shifty.problems[-1]
    assert shifty.docx == _build_shifting_pages(())
    assert not any(_is_mark(line) for page in pdf_page_texts(shifty.pdf) for line in page_body_lines(page))


@needs_poppler
@needs_stand_in
def test_a_long_announcement_carries_continuation_words_and_page_numbers(paginated):
    announcement = paginated["announcement-001"]  # seed 001: the five levels, over two pages
    pages = pdf_page_texts(announcement.pdf)
    assert len(pages) == announcement.pages >= 2 and announcement.problems == []
    assert [m.page for m in announcement.marks] == list(range(1, len(pages)))
    for mark, page in zip(announcement.marks, pages, strict=False):
        assert page_body_lines(page)[-1].strip() == mark.text
    assert not any(_is_mark(line) for line in page_body_lines(pages[-1]))
    assert not re.match(r"\s*-\s*[0-9]+\s*-", pages[0])
    assert re.match(r"\s*-\s*2\s*-", pages[1])  # drawn "- ๒ -" (see test_the_page_number_prints_in_thai_digits)


@needs_poppler
def test_the_printed_docx_is_the_one_with_the_marks(paginated):
    memo = paginated["memo-004"]
    assert memo.docx == build_memo_docx(memo_004(), continuations=memo.marks)
    announcement = paginated["announcement-004"]
    assert announcement.marks == [] and announcement.docx == build_announcement_docx(announcement_004())


def test_missing_soffice_raises_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty PATH directory: no soffice on it
    with pytest.raises(LibreOfficeMissing, match="libreoffice-writer-nogui"):
        convert_to_pdf([tmp_path / "x.docx"], tmp_path)
