"""The 004 memo built from its context: every line the seed shows, in order, with Thai digits."""

import dataclasses
import datetime as dt
import re

import pytest
from docx.oxml.ns import qn

from documents.context import Minute, StageMark
from documents.docx.blocks import GARUDA_PLACEHOLDER
from documents.docx.memo import build_memo_docx, stage_line
from documents.text.sample_004 import CLERK, memo_004
from tests.documents.docx_inspect import (
    all_paragraph_texts,
    header_texts,
    page_number_field,
    part_xml,
    reopen,
)
from tests.documents.tiny_png import tiny_png

ARABIC_DIGIT = re.compile(r"[0-9]")


@pytest.fixture(scope="module")
def memo() -> bytes:
    return build_memo_docx(memo_004())


@pytest.fixture(scope="module")
def lines(memo) -> list[str]:
    return all_paragraph_texts(memo)


def test_title_and_header_fields(lines):
    assert any(line.endswith("บันทึกข้อความ") for line in lines)
    assert "ส่วนราชการ สป. (งค.) โทร. ๐ ๓๕๖๑ ๐๘๙๑ โทรสาร ๐ ๓๕๖๑ ๐๘๙๖\t" in lines
    assert "ที่ อท ๕๓๗๐๑.๔/๓๐\tวันที่ ๔ มีนาคม ๒๕๖๔\t" in lines
    assert "เรื่อง ประกาศเทศบาลตำบลโคกพุทรา เรื่อง มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน\t" in lines
    assert "เรียน หัวหน้าสำนักปลัดเทศบาล/ปลัดเทศบาลฯ/นายกเทศมนตรีฯ" in lines


def test_sections_in_order_with_numbered_legal_basis(lines):
    expected = [
        "ต้นเรื่อง",
        "ข้อเท็จจริง",
        "ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ",
        "๑. พระราชบัญญัติกำหนดแผนและขั้นตอนการกระจายอำนาจให้แก่องค์กรปกครองส่วนท้องถิ่น พ.ศ.๒๕๔๒",
        "๒. แผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๑ - ๒๕๖๔)",
        "๓. การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (Integrity And Transparency Assessment : ITA)",
        "ข้อพิจารณาและข้อเสนอ",
        "จึงเรียนมาเพื่อโปรดพิจารณา",
        "(นางสาวสมหญิง แดงโสภา)",
        "นิติกรปฏิบัติการ",
    ]
    positions = [lines.index(line) for line in expected]
    assert positions == sorted(positions)
    assert lines[lines.index("ต้นเรื่อง") + 1].startswith("ตามที่เทศบาลตำบลโคกพุทรา ได้ดำเนินการ")


def test_every_minute_in_order_with_signature_and_date(lines):
    expected = [
        "เรียน ปลัดเทศบาล",
        "(นางสาวกนกพร มุสพร้อม)",
        "หัวหน้าสำนักปลัดเทศบาล",
        "- ๔ มี.ค. ๖๔ -",
        "เรียน น.ทต.คพ",
        "- โปรดพิจารณา",
        "ว่าที่ร้อยตรี",
        "(ภาคภูมิ อนุศาสตร์)",
        "ปลัดเทศบาลตำบลโคกพุทรา",
        "- ๘ มี.ค. ๖๔ -",
        "- อนุมัติ",
        "ปลัดเทศบาล ปฏิบัติหน้าที่",
        "นายกเทศมนตรีตำบลโคกพุทรา",
    ]
    start = lines.index("นิติกรปฏิบัติการ")
    cursor = start
    for line in expected:
        cursor = lines.index(line, cursor + 1)
    assert lines.count("(ภาคภูมิ อนุศาสตร์)") == 2
    assert lines.count("- ๘ มี.ค. ๖๔ -") == 2


def test_stage_block_last_with_recorded_and_blank_stages(lines):
    assert lines[-4:] == [
        "สมหญิง ๔ มี.ค. ๖๔ ร่าง",
        "สมหญิง ๔ มี.ค. ๖๔ พิมพ์",
        "..........ทาน",
        "..........ตรวจ",
    ]


def test_stage_block_prints_all_four_blank_when_nothing_recorded():
    data = build_memo_docx(dataclasses.replace(memo_004(), stages=[]))
    assert all_paragraph_texts(data)[-4:] == [
        "..........ร่าง",
        "..........พิมพ์",
        "..........ทาน",
        "..........ตรวจ",
    ]


def test_stage_line_without_date():
    assert stage_line(StageMark("ตรวจ", "กนกพร")) == "กนกพร ตรวจ"


def test_numbers_printed_by_the_builder_are_thai_digits(lines):
    # The 004 content has no Arabic digit anywhere, so none may appear in the built text.
    assert not [line for line in lines if ARABIC_DIGIT.search(line)]


def test_register_number_given_with_arabic_digits_prints_thai():
    data = build_memo_docx(dataclasses.replace(memo_004(), register_number="อท 53701.4/30"))
    assert "ที่ อท ๕๓๗๐๑.๔/๓๐\tวันที่ ๔ มีนาคม ๒๕๖๔\t" in all_paragraph_texts(data)


def test_returned_minute_is_marked_in_bold():
    returned = Minute(text="แก้ไขข้อเท็จจริงย่อหน้าที่ ๒", signatory=CLERK, date=dt.date(2021, 3, 5), returned=True)
    data = build_memo_docx(dataclasses.replace(memo_004(), minutes=[returned]))
    lines = all_paragraph_texts(data)
    assert lines.index("ส่งคืนแก้ไข") + 1 == lines.index("แก้ไขข้อเท็จจริงย่อหน้าที่ ๒")
    body = part_xml(data, "word/document.xml")
    mark = next(r for r in body.iter(qn("w:r")) if "".join(r.itertext()) == "ส่งคืนแก้ไข")
    assert mark.find(f"{qn('w:rPr')}/{qn('w:bCs')}") is not None


def test_a_disapproving_minute_prints_under_a_bold_mark():
    ended = Minute(text="ไม่สอดคล้องกับระเบียบ", signatory=CLERK, date=dt.date(2021, 3, 5), disapproved=True)
    data = build_memo_docx(dataclasses.replace(memo_004(), minutes=[ended]))
    lines = all_paragraph_texts(data)
    assert lines.index("ไม่อนุมัติ") + 1 == lines.index("ไม่สอดคล้องกับระเบียบ")
    body = part_xml(data, "word/document.xml")
    mark = next(r for r in body.iter(qn("w:r")) if "".join(r.itertext()) == "ไม่อนุมัติ")
    assert mark.find(f"{qn('w:rPr')}/{qn('w:bCs')}") is not None


def test_revision_label_printed_under_the_title_only_when_given(lines):
    assert not any("ฉบับแก้ไข" in line for line in lines)
    data = build_memo_docx(dataclasses.replace(memo_004(), revision_label="ฉบับแก้ไขครั้งที่ ๑"))
    revised = all_paragraph_texts(data)
    assert revised[1] == "ฉบับแก้ไขครั้งที่ ๑"
    assert revised[0].endswith("บันทึกข้อความ")


def test_garuda_placeholder_when_no_image(lines):
    assert lines[0].startswith(GARUDA_PLACEHOLDER)


def test_garuda_image_inline_1_5_cm_high():
    data = build_memo_docx(memo_004(garuda_image=tiny_png()))
    document = reopen(data)
    (shape,) = document.inline_shapes
    assert round(shape.height.cm, 2) == 1.5
    assert GARUDA_PLACEHOLDER not in all_paragraph_texts(data)[0]


def test_page_number_from_page_two_in_the_header(memo):
    section = reopen(memo).sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == ""
    instructions = [t.text for t in part_xml(memo, "word/document.xml").iter(qn("w:instrText"))]  # none in the body
    assert instructions == []
    assert any(text.startswith("- ") and text.endswith(" -") for text in header_texts(memo))


def test_page_number_is_a_page_field_in_thai_numerals(memo):
    # Word takes a switchless PAGE field's digits from the section format: thaiNumbers is ๑ ๒ ๓.
    # No "\* ThaiArabic" switch: LibreOffice reads it as Thai letters (ก ข ค).
    instruction, number_format, shown = page_number_field(memo)
    assert (instruction, number_format, shown) == ("PAGE", "thaiNumbers", "- ๒ -")


def test_same_context_gives_identical_bytes(memo):
    assert build_memo_docx(memo_004()) == memo
    core = reopen(memo).core_properties
    assert core.created == core.modified
    assert core.created.date() == dt.date(2021, 3, 4)
    assert core.title.startswith("ประกาศเทศบาลตำบลโคกพุทรา")
