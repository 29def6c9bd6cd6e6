"""Print details as LibreOffice prints them: the initials block never alone on page ๒, and no line
break between "พ.ศ." and its year. One soffice call converts every document of the module.

Each case is crafted with TH Sarabun's metrics (the Laksaman stand-in, documents.pdf.preview_fonts)
so that the old layout goes wrong, and is converted twice: as built, and with the fix taken out of
the same .docx (a control). The control must show the fault, or the case no longer tests anything.
"""

import dataclasses
import io
import re
import shutil
import zipfile

import pytest
from docx.oxml.ns import qn
from lxml import etree

from documents.docx.announcement import build_announcement_docx
from documents.docx.memo import STAGES, build_memo_docx
from documents.docx.nonbreaking import NBSP
from documents.pdf.preview_fonts import sarabun_installed, sarabun_metrics_env, stand_in_available
from documents.pdf.soffice import convert_to_pdf, soffice_available
from documents.pdf.text import pdf_page_texts
from documents.text.sample_004 import ORIGIN, announcement_004, memo_004

needs_soffice = pytest.mark.skipif(
    not (soffice_available() and shutil.which("pdftotext")), reason="LibreOffice (soffice) or pdftotext missing"
)
pytestmark = [
    needs_soffice,
    pytest.mark.skipif(
        not (stand_in_available() or sarabun_installed()),
        reason="no TH Sarabun metrics: pages and lines break elsewhere",
    ),
]

# The memo without minutes whose initials fell alone on page ๒: its text fills page ๑ down to the
# drafter's signature.
SHORT_MEMO = dataclasses.replace(
    memo_004(), minutes=[], facts="ในการนี้", origin=ORIGIN[: ORIGIN.index("และกรอบการประเมิน")].strip()
)
# A paragraph whose line, with an ordinary space, ends at "พ.ศ." and puts "๒๕๖๑" on the next.
YEAR_LINE = "เทศบาลตำบลโคกพุทราจัดทำแผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๑ ต่อไป"


def _edit_body(data: bytes, edit) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "word/document.xml":
                body = etree.fromstring(content)
                edit(body)
                content = etree.tostring(body, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(entry, content)
    return out.getvalue()


def _without_keeping_the_signature(data: bytes) -> bytes:
    """The memo as it was: its closing and signature not kept with the initials."""
    released = {SHORT_MEMO.closing, SHORT_MEMO.drafter.position_title}

    def edit(body):
        for paragraph in body.iter(qn("w:p")):
            if "".join(t.text or "" for t in paragraph.iter(qn("w:t"))) in released:
                for keep in paragraph.iter(qn("w:keepNext")):
                    keep.getparent().remove(keep)

    return _edit_body(data, edit)


def _with_ordinary_spaces(data: bytes) -> bytes:
    def edit(body):
        for text in body.iter(qn("w:t")):
            text.text = (text.text or "").replace(NBSP, " ")

    return _edit_body(data, edit)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, list[str]]:
    work = tmp_path_factory.mktemp("print-details")
    memo = build_memo_docx(SHORT_MEMO)
    announcement = build_announcement_docx(dataclasses.replace(announcement_004(), preamble=[YEAR_LINE]))
    documents = {
        "memo": memo,
        "memo-control": _without_keeping_the_signature(memo),
        # Under minutes the initials are the table's last row, kept with the last minute.
        "memo-minute": build_memo_docx(
            dataclasses.replace(SHORT_MEMO, origin=ORIGIN[:300], minutes=memo_004().minutes[:1])
        ),
        "announcement": announcement,
        "announcement-control": _with_ordinary_spaces(announcement),
    }
    paths = []
    for name, data in documents.items():
        paths.append(work / f"{name}.docx")
        paths[-1].write_bytes(data)
    pdfs = convert_to_pdf(paths, work / "out", env=sarabun_metrics_env(work / "fonts"))
    return {name: pdf_page_texts(pdf) for name, pdf in zip(documents, pdfs, strict=True)}


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def _page_with_initials(document: list[str]) -> list[str]:
    (page,) = [_lines(p) for p in document if any(line.endswith("ตรวจ") for line in _lines(p))]
    return [line for line in page if not re.fullmatch(r"-\s*[0-9๐-๙]+\s*-", line)]  # the page number


def _only_initials(lines: list[str]) -> bool:
    return all(line.endswith(STAGES) for line in lines)


def test_the_initials_never_stand_alone_on_page_two(pages):
    control = pages["memo-control"]
    assert len(control) == 2 and _only_initials(_page_with_initials(control)), "the case no longer crafts the fault"
    memo = pages["memo"]
    assert len(memo) == 2
    page_two = _page_with_initials(memo)
    assert page_two == _lines(memo[1])[1:]  # the initials are on page ๒ ...
    assert "(นางสาวสมหญิง แดงโสภา)" in [line.replace(NBSP, " ") for line in page_two]  # ... with the signature
    assert page_two[0] == SHORT_MEMO.closing and not _only_initials(page_two)


def test_under_minutes_the_initials_go_with_the_last_minute(pages):
    memo = pages["memo-minute"]
    assert len(memo) == 2
    page = [line.replace(NBSP, " ") for line in _page_with_initials(memo)]
    assert "(นางสาวกนกพร มุสพร้อม)" in page and not _only_initials(page)


def _year_split(document: list[str]) -> bool:
    lines = [line for page in document for line in _lines(page)]
    return any(a.endswith("พ.ศ.") and b.startswith("๒๕๖๑") for a, b in zip(lines, lines[1:], strict=False))


def test_no_line_break_between_the_era_and_its_year(pages):
    assert _year_split(pages["announcement-control"]), "the case no longer crafts the fault"
    assert not _year_split(pages["announcement"])
    assert any(re.search(r"พ\.ศ\.\s๒๕๖๑", line) for page in pages["announcement"] for line in _lines(page))
