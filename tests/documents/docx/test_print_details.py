"""Print details an office notices (issue 21): an item's explanation indented under its item,
no line break inside "พ.ศ. ๒๕๖๑" or a name, and the initials block kept with what it follows.

Read back from the built .docx; tests/documents/pdf/test_print_details_pdf.py checks that
LibreOffice lays these properties out as intended.
"""

import dataclasses

import pytest
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph

from documents.docx.announcement import EXPLANATION_INDENT, build_announcement_docx
from documents.docx.memo import build_memo_docx
from documents.docx.nonbreaking import NBSP, bind_phrases
from documents.docx.thai import FIRST_LINE_INDENT
from documents.text.announcement_examples import render_example_text
from documents.text.announcement_text import announcement_context
from documents.text.general_announcement import general_announcement_text
from documents.text.sample_004 import announcement_004, memo_004
from models.draft import AnnouncementItem, GeneralAnnouncement
from services.printing.rendering import announcement_text_sha256, words_json
from tests.documents.docx_inspect import all_paragraph_texts, reopen


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๑ และ", "ประจำปีงบประมาณ พ.ศ.~๒๕๖๑ และ"),
        ("ตามข้อ ๒ ของระเบียบ ฉบับที่ ๓ มาตรา ๑๒ วรรคหนึ่ง", "ตามข้อ~๒ ของระเบียบ ฉบับที่~๓ มาตรา~๑๒ วรรคหนึ่ง"),
        ("ประกาศ ณ วันที่ ๔ มีนาคม พ.ศ. ๒๕๖๔", "ประกาศ ณ วันที่~๔~มีนาคม~พ.ศ.~๒๕๖๔"),
        ("จำนวน ๑๐,๐๐๐ บาท ๕ คน เวลา ๐๙.๓๐ น.", "จำนวน ๑๐,๐๐๐~บาท ๕~คน เวลา~๐๙.๓๐~น."),
        ("โทร. ๐ ๓๕๖๑ ๐๘๙๑", "โทร.~๐~๓๕๖๑~๐๘๙๑"),
        ("(นางสาวสมหญิง แดงโสภา)", "(นางสาวสมหญิง~แดงโสภา)"),
        ("มอบหมายให้นายสมชาย ใจดี เป็นผู้รับผิดชอบ", "มอบหมายให้นายสมชาย~ใจดี เป็นผู้รับผิดชอบ"),
        ("นาย สมชาย ใจดี", "นาย~สมชาย~ใจดี"),
        # "นาย" begins words that are no title: nothing to bind.
        ("นายกเทศมนตรีตำบลโคกพุทรา ประกาศ", "นายกเทศมนตรีตำบลโคกพุทรา ประกาศ"),
        ("นายอำเภอเมือง สั่งการ", "นายอำเภอเมือง สั่งการ"),
        # A doubled space is left for proofreading to report.
        ("พ.ศ.  ๒๕๖๑", "พ.ศ.  ๒๕๖๑"),
    ],
)
def test_spaces_inside_a_phrase_become_non_breaking(typed, printed):
    assert bind_phrases(typed) == printed.replace("~", NBSP)


def _item_announcement() -> bytes:
    general = GeneralAnnouncement(
        subject="การใช้อาคารสำนักงาน",
        preamble=["เพื่อให้การใช้อาคารเป็นไปด้วยความเรียบร้อย"],
        items=[
            AnnouncementItem(text="ให้ปิดอาคารเวลา ๑๘.๐๐ น.", explanation="เว้นแต่ได้รับอนุญาต\nให้แจ้งล่วงหน้า ๓ วัน"),
            AnnouncementItem(text="ให้ใช้ห้องประชุมตามที่จองไว้"),
        ],
        closing="จึงประกาศให้ทราบโดยทั่วกัน",
    )
    words = general_announcement_text("เทศบาลตำบลโคกพุทรา", general)
    seed = announcement_004()  # its date and signer
    return build_announcement_docx(announcement_context(words, date=seed.date, signatory=seed.signatory))


def _paragraph(document, text: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text.replace(NBSP, " ") == text)


def _same_length(read: int | None, written: int) -> bool:
    return read is not None and abs(read - written) < Cm(0.01)  # stored in twips


def test_an_items_explanation_is_indented_under_its_item():
    document = reopen(_item_announcement())
    item = _paragraph(document, "๑. ให้ปิดอาคารเวลา ๑๘.๐๐ น.")
    explanations = [_paragraph(document, "เว้นแต่ได้รับอนุญาต"), _paragraph(document, "ให้แจ้งล่วงหน้า ๓ วัน")]
    assert (item.paragraph_format.left_indent or 0) == 0
    assert _same_length(item.paragraph_format.first_line_indent, FIRST_LINE_INDENT)
    for explanation in explanations:
        assert _same_length(explanation.paragraph_format.left_indent, EXPLANATION_INDENT) and EXPLANATION_INDENT > 0
        # its first line starts past the item's number, where the item's text starts
        assert explanation.paragraph_format.first_line_indent > 0
    later_item = _paragraph(document, "๒. ให้ใช้ห้องประชุมตามที่จองไว้")
    assert (later_item.paragraph_format.left_indent or 0) == 0


def test_generated_and_typed_phrases_print_with_non_breaking_spaces():
    texts = all_paragraph_texts(_item_announcement(), exact=True)
    assert f"ประกาศ ณ วันที่{NBSP}๔{NBSP}มีนาคม{NBSP}พ.ศ.{NBSP}๒๕๖๔" in texts  # generated
    assert f"๑. ให้ปิดอาคารเวลา{NBSP}๑๘.๐๐{NBSP}น." in texts  # typed
    assert f"ให้แจ้งล่วงหน้า{NBSP}๓{NBSP}วัน" in texts
    memo = all_paragraph_texts(build_memo_docx(memo_004()), exact=True)
    assert f"(นางสาวสมหญิง{NBSP}แดงโสภา)" in memo
    assert any(f"(พ.ศ.{NBSP}๒๕๖๑ - ๒๕๖๔)" in text for text in memo)


def test_the_words_signed_and_their_hash_keep_ordinary_spaces():
    # What each signer approves is hashed from the words, not from the .docx: building the .docx
    # must leave them as typed, so the hashes of revisions already approved stay valid.
    words = render_example_text("municipality-004")
    seed = announcement_004()
    printed = all_paragraph_texts(
        build_announcement_docx(announcement_context(words, date=seed.date, signatory=seed.signatory)), exact=True
    )
    assert any(f"พ.ศ.{NBSP}๒๕๔๒" in text for text in printed)
    assert NBSP not in words_json(words) and "พ.ศ. ๒๕๔๒" in words_json(words)
    # The hash the 004 announcement had before non-breaking spaces were printed.
    assert announcement_text_sha256(words) == "2673520c8067479f1f95fc019a909d65b8d43a5c33a498e88bcf3f1cd739ce66"


def _keeps(paragraph: Paragraph) -> tuple[bool, bool]:
    fmt = paragraph.paragraph_format
    return bool(fmt.keep_with_next), bool(fmt.keep_together)


def test_without_minutes_the_closing_and_signature_keep_with_the_initials():
    ctx = dataclasses.replace(memo_004(), minutes=[])
    document = reopen(build_memo_docx(ctx))
    body = document.paragraphs
    closing = next(i for i, p in enumerate(body) if p.text == ctx.closing)
    chain = body[closing:]  # closing, blank room, "(name)", position, the four initials lines
    assert [p.text.replace(NBSP, " ") for p in chain[2:4]] == [f"({ctx.drafter.full_name})", "นิติกรปฏิบัติการ"]
    assert len(chain) == 8
    assert [_keeps(p) for p in chain] == [(True, True)] * 7 + [(False, True)]


def test_with_minutes_the_initials_are_the_tables_last_row_kept_with_the_last_minutes():
    ctx = memo_004()  # three minutes: two rows, the second with one minute
    document = reopen(build_memo_docx(ctx))
    (table,) = document.tables
    *minute_rows, stage_row = table.rows
    assert len(minute_rows) == 2
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    last_minutes = [p for cell in minute_rows[-1].cells for p in cell.paragraphs]
    assert last_minutes and all(p.paragraph_format.keep_with_next for p in last_minutes)
    (stage_cell,) = {cell._tc: cell for cell in stage_row.cells}.values()  # one cell across both columns
    assert [p.text for p in stage_cell.paragraphs][-1] == "..........ตรวจ"
    # The drafter's signature is not tied to the minutes: it may stay on page 1 when they do not fit.
    position = next(p for p in document.paragraphs if p.text == ctx.drafter.position_title)
    assert not position.paragraph_format.keep_with_next
