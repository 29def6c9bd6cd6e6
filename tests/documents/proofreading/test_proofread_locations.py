"""Every warning names where a person finds it: the document, its part, the paragraph in that
part and the sentence, in the memo .docx and in the announcement (its words, or its .docx)."""

import dataclasses
import re

import pytest

from documents.context import Minute
from documents.docx.announcement import build_announcement_docx
from documents.docx.memo import build_memo_docx
from documents.proofreading.passages import announcement_text_passages, docx_passages
from documents.proofreading.proofread import ExpectedDates, proofread, proofread_announcement_text, proofread_docx
from documents.proofreading.sentence import MAX_CHARS, MIN_CHARS, sentence_around
from documents.text.announcement_examples import render_example_text
from documents.text.sample_004 import CLERK, MINUTES_DATE, announcement_004, memo_004
from tests.documents.docx_inspect import reopen

PREFIX = "อท ๕๓๗๐๑.๔"


def where(warning) -> tuple:
    return warning.document, warning.section, warning.paragraph, warning.kind, warning.text, warning.suggestion


def test_the_004_memo_and_its_announcement_as_built_have_no_warning():
    ctx = memo_004()
    assert (
        proofread_docx(build_memo_docx(ctx), register_prefix=PREFIX, expected_dates=ExpectedDates(memo=ctx.date)) == []
    )
    assert proofread_docx(build_announcement_docx(announcement_004())) == []
    assert proofread_announcement_text(render_example_text("municipality-004")) == []


def test_a_typo_in_the_facts_is_placed_in_its_section_with_its_sentence():
    ctx = memo_004()
    facts = ctx.facts.replace("เปิดโอกาสให้ประชาชน", "เปิดโอกาศให้ประชาชน")
    (found,) = proofread_docx(build_memo_docx(dataclasses.replace(ctx, facts=facts)))
    assert where(found) == ("memo", "ข้อเท็จจริง", 1, "spelling", "โอกาศ", "โอกาส")
    assert "เปิดโอกาศให้ประชาชน" in found.sentence and found.sentence in facts
    assert MIN_CHARS <= len(found.sentence) <= MAX_CHARS


def test_header_fields_are_their_own_sections_and_columns_point_into_the_paragraph():
    ctx = dataclasses.replace(memo_004(), register_number="อท.๕๓๗๐๑.๔/ ๓๐")
    found = proofread_docx(
        build_memo_docx(ctx), register_prefix=PREFIX, expected_dates=ExpectedDates(memo=ctx.date.replace(day=5))
    )
    assert [(w.section, w.paragraph, w.kind, w.sentence) for w in found] == [
        ("ที่", 1, "register-format", "ที่ อท.๕๓๗๐๑.๔/ ๓๐"),
        ("วันที่", 1, "date-mismatch", "วันที่ ๔ มีนาคม ๒๕๖๔"),
    ]
    register, date = found
    assert register.line == date.line == 3  # one printed line: ที่ ... <tab> วันที่ ...
    line_text = reopen(build_memo_docx(ctx)).paragraphs[2].text
    assert "\u00a0" in line_text  # "๔ มีนาคม ๒๕๖๔" prints unbroken; read as typed, one character for one
    assert line_text[date.column - 1 :].replace("\u00a0", " ").startswith(date.text)


def test_legal_basis_items_and_minutes_are_numbered_as_printed():
    ctx = memo_004()
    legal = [
        *ctx.legal_basis[:1],
        "ระเบียบกระทรวงมหาดไทยว่าด้วยการจัดทำแผนพัฒนาขององค์กรปกครองส่วนท้องถิ่น (ฉบับที่ ๓) พ.ศ. ๒๕๖๑ ตามที่ได้รับอนุญาติ",
        *ctx.legal_basis[2:],
    ]
    minutes = [*ctx.minutes[:1], Minute("เรียน น.ทต.คพ\n- โปรดพิจารณาอนุมัต", CLERK, MINUTES_DATE)]
    found = proofread_docx(build_memo_docx(dataclasses.replace(ctx, legal_basis=legal, minutes=minutes)))
    assert [where(w)[:5] for w in found] == [
        ("memo", "ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ", 2, "spelling", "อนุญาติ"),
        ("memo", "เกษียน ๒", 2, "spelling", "อนุมัต"),
    ]


def test_arabic_digits_in_an_announcement_measure():
    # The example: "ปีละ 2 ครั้ง" in an announcement passed, since only the memo was read.
    text = render_example_text("municipality-004")
    measures = [*text.measures[:1], text.measures[1] + " โดยจัดประชุมปีละ 2 ครั้ง", *text.measures[2:]]
    (found,) = proofread_announcement_text(dataclasses.replace(text, measures=measures))
    assert where(found) == ("announcement", "ข้อ ๒", 1, "mixed-digits", "2", "๒")
    assert found.sentence.endswith("โดยจัดประชุมปีละ 2 ครั้ง")


def test_the_announcement_docx_reads_into_the_parts_its_words_give():
    text = render_example_text("municipality-004")
    from_words = [(p.section, p.paragraph, p.text) for p in announcement_text_passages(text)]
    from_docx = [
        (p.section, p.paragraph, p.text) for p in docx_passages(reopen(build_announcement_docx(announcement_004())))
    ]
    assert from_docx[: len(from_words)] == from_words  # the emblem placeholder and the rule are not text
    assert [s for s, _, _ in from_docx[len(from_words) :]] == ["วันที่ประกาศ"] + ["ผู้ลงนาม"] * 4


def test_a_file_of_another_kind_is_numbered_by_paragraph(tmp_path):
    import docx

    document = docx.Document()
    for text in ("รายงานการประชุม", "", "ที่ประชุมรับทราบและเห็นชอบตามที่เสนอ", "มอบหมายให้ดำเนินการต่อไปโดยอนุญาติ"):
        document.add_paragraph(text)
    path = tmp_path / "report.docx"
    document.save(path)
    (found,) = proofread_docx(path)
    assert (found.document, found.section, found.paragraph, found.line) == ("", "", 3, 4)


def test_plain_text_keeps_lines_and_columns_only():
    (found,) = proofread("บรรทัดแรก\nได้รับอนุญาติแล้ว")
    assert (found.line, found.column, found.document, found.section, found.paragraph) == (2, 7, "", "", 0)


LONG = (
    "ตามที่เทศบาลตำบลโคกพุทรา ได้ดำเนินการจัดทำแผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๑ - ๒๕๖๔) "
    "โดยมีวัตถุประสงค์เพื่อยกระดับเจตจำนงทางการเมืองในการต่อต้านการทุจริตของผู้บริหารองค์กรปกครองส่วนท้องถิ่น "
    "เพื่อยกระดับจิตสำนึกรับผิดชอบในผลประโยชน์ของสาธารณะของข้าราชการฝ่ายการเมือง ข้าราชการฝ่ายบริหาร"
)


@pytest.mark.parametrize("word", ["ตามที่", "๒๕๖๑", "เจตจำนง", "ฝ่ายบริหาร"])
def test_the_sentence_is_whole_clauses_around_the_finding(word):
    start = LONG.index(word)
    sentence = sentence_around(LONG, start, start + len(word))
    assert word in sentence and sentence in LONG
    assert MIN_CHARS <= len(sentence) <= MAX_CHARS
    begin = LONG.index(sentence)
    assert begin == 0 or LONG[begin - 1] == " "  # never starts or ends inside a clause
    assert begin + len(sentence) == len(LONG) or LONG[begin + len(sentence)] == " "


def test_a_short_paragraph_is_its_own_sentence():
    assert sentence_around("จึงเรียนมาเพื่อโปรดพิจารณา", 3, 8) == "จึงเรียนมาเพื่อโปรดพิจารณา"


MESSAGE = re.compile(r"[\u0e00-\u0e7f].*\([^()]*[A-Za-z][^()]*\)$")


def test_every_kind_of_message_is_thai_with_english_in_parentheses():
    text = "\n".join(
        [
            "วันที่ ๙ มีนาคม 2021",
            "ที่ มท ๐๘๐๘.๒/๑๕",
            "ได้รับอนุญาติ จดหมายข่าว แอลงข่าว พิจารนา",
            "แก้ไข\u200bแล้ว  เว้น",
            "เเผนงาน ที\u0e48\u0e48 {{ x }} เข้า มามีส่วนร่วม",
            "ข้อ ๑ ข้อ ๒ ข้อ 3",
            "วันที่ ๓๑ กุมภาพันธ์ ๒๕๖๔",
            "ประกาศ ณ วันที่ ๔ มีนาคม พ.ศ. ๒๕๖๔",
        ]
    )
    found = proofread(text, register_prefix=PREFIX)
    assert {w.kind for w in found} >= {
        "spelling",
        "zero-width",
        "double-space",
        "sara-e-e",
        "repeated-mark",
        "placeholder",
        "split-word",
        "mixed-digits",
        "date-invalid",
        "date-year",
        "date-mismatch",
        "register-format",
    }
    assert all(MESSAGE.search(w.message) for w in found), [w.message for w in found if not MESSAGE.search(w.message)]
