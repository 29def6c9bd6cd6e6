"""Finding the continuation word (คำต่อเนื่อง) from page texts as pdftotext gives them.

The page texts here imitate what pdftotext extracts from LibreOffice's PDFs of these memos: the
page number line "- 2 -" first, tone marks misplaced ("ทัง้ นี้"), sara am split off ("ด ำเนินการ"),
table columns side by side. Real PDFs are exercised in test_pdf.py.
"""

import pytest

from documents.docx.continuation import ContinuationMark
from documents.pdf.continuation_words import find_continuations, first_word, page_start_key, skeleton
from documents.pdf.paginated import breaks_moved

PARAGRAPHS = [
    "บันทึกข้อความ",
    "ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ",
    "๓. การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ",
    "ข้อพิจารณาและข้อเสนอ",
    "ทั้งนี้ เพื่อให้การปฏิบัติงานตามอำนาจหน้าที่ของเทศบาลตำบลโคกพุทราเป็นไปได้ด้วยความเรียบร้อย",
    "จึงเรียนมาเพื่อโปรดพิจารณา",
    "",  # the blank room for a signature
    "(ภาคภูมิ อนุศาสตร์)",
    "ปลัดเทศบาลตำบลโคกพุทรา",
    "(ภาคภูมิ อนุศาสตร์)",
    "ปลัดเทศบาล ปฏิบัติหน้าที่",
]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("ข้อพิจารณาและข้อเสนอ", "ข้อพิจารณา"),  # 004: the curated compound, not "ข้อ"
        ("ทั้งนี้ เพื่อให้การปฏิบัติงาน", "ทั้งนี้"),
        ("๓. การประเมินคุณธรรม", "๓. การประเมิน"),  # the number alone says nothing
        ("(นางสาวสมหญิง แดงโสภา)", "(นางสาวสมหญิง"),
        ("สมหญิง ๔ มี.ค. ๖๔ ร่าง", "สมหญิง"),  # a name stays whole
        ("  Integrity And Transparency", "Integrity"),
        ("", ""),
    ],
)
def test_first_word(text, word):
    assert first_word(text) == word


def test_skeleton_ignores_what_pdftotext_garbles():
    assert skeleton("ทัง้ นี้ ได้ด ำเนินการ") == skeleton("ทั้งนี้ ได้ดำเนินการ")
    assert skeleton("ปี ๒๕๖๔") == skeleton("ปี 2564")


def test_page_start_key_skips_the_page_number_and_other_columns():
    page = "                 - 2 -\n\nเรียน ปลัดเทศบาล              เรียน น.ทต.คพ\n"
    assert page_start_key(page) == skeleton("เรียน ปลัดเทศบาล")
    assert page_start_key("- 3 -\n..........ทาน\n..........ตรวจ\n") == skeleton("ทานตรวจ")


def test_the_004_break_gives_the_004_word_anchored_on_page_one():
    pages = [
        "บันทึกข้อความ\nข้อกฎหมาย/ระเบียบ/ข้อสั่งการ\n      ๓. การประเมินคุณธรรมและความโปร่งใสในการด ำเนินงานของหน่วยงานภาครัฐ\n",
        "                  - 2 -\n\nข้อพิจารณาและข้อเสนอ\n"
        "      ทัง้ นี้ เพื่อให้การปฏิบัติงานตามอำนาจหน้าที่ของเทศบาลตำบลโคกพุทราเป็ นไปได้ด้วยความเรียบร้อย\n"
        "จึงเรียนมาเพื่อโปรดพิจารณา\n(ภาคภูมิ อนุศาสตร์)\nปลัดเทศบาลตำบลโคกพุทรา\n"
        "(ภาคภูมิ อนุศาสตร์)\nปลัดเทศบาล ปฏิบัติหน้าที่\n",
    ]
    marks, problems = find_continuations(PARAGRAPHS, pages)
    assert (marks, problems) == ([ContinuationMark(page=1, word="ข้อพิจารณา", paragraph=2)], [])
    assert marks[0].text == "ข้อพิจารณา..."


def test_a_page_starting_mid_paragraph_anchors_that_paragraph():
    pages = [
        "บันทึกข้อความ\nข้อกฎหมาย/ระเบียบ/ข้อสั่งการ\n๓. การประเมินคุณธรรมและความโปร่งใสในการด ำเนินงาน\n",
        "- 2 -\nของหน่วยงานภาครัฐ\nข้อพิจารณาและข้อเสนอ\n",
    ]
    (mark,), _ = find_continuations(PARAGRAPHS, pages)
    assert (mark.word, mark.paragraph) == ("ของ", 2)  # paragraph 2 starts on page 1


def test_repeated_text_is_placed_by_position_not_by_first_occurrence():
    # Page 2 starts at the *second* "(ภาคภูมิ อนุศาสตร์)"; the first one is on page 1.
    pages = [
        "\n".join(PARAGRAPHS[:9]),
        "- 2 -\n(ภาคภูมิ อนุศาสตร์)\nปลัดเทศบาล ปฏิบัติหน้าที่\n",
    ]
    (mark,), _ = find_continuations(PARAGRAPHS, pages)
    assert (mark.word, mark.paragraph) == ("(ภาคภูมิ", 8)


def test_no_mark_when_no_paragraph_starts_on_the_page():
    long_paragraph = "ก" * 10 + "ข" * 10 + "ค" * 10
    pages = ["บันทึกข้อความ\n" + "ก" * 10, "- 2 -\n" + "ข" * 10, "- 3 -\n" + "ค" * 10]
    marks, problems = find_continuations(["บันทึกข้อความ", long_paragraph], pages)
    assert [m.page for m in marks] == [1]
    assert problems == ["page 2: no paragraph starts on it to carry the mark"]


def test_no_mark_when_the_page_start_is_not_in_the_text():
    marks, problems = find_continuations(PARAGRAPHS, ["บันทึกข้อความ", "- 2 -\nข้อความที่ไม่มีในเอกสาร"])
    assert marks == [] and problems == ["page 2: its first line was not found in the document text"]


def test_one_page_needs_no_mark():
    assert find_continuations(PARAGRAPHS, ["\n".join(PARAGRAPHS)]) == ([], [])


BEFORE = ["บันทึกข้อความ\nข้อกฎหมาย\n", "- 2 -\nข้อพิจารณาและข้อเสนอ\nจึงเรียนมา\n"]
MARK = ContinuationMark(page=1, word="ข้อพิจารณา", paragraph=1)


def test_breaks_kept_when_only_the_mark_was_added():
    after = [BEFORE[0] + "                                  ข้อพิจารณา...\n", BEFORE[1]]
    assert breaks_moved(BEFORE, after, [MARK]) == ""


@pytest.mark.parametrize(
    ("after", "reason"),
    [
        (["บันทึกข้อความ\nข้อกฎหมาย\nข้อพิจารณา...\n"], "page count from 2 to 1"),
        (["บันทึกข้อความ\nข้อพิจารณา...\n", "- 2 -\nข้อกฎหมาย\nข้อพิจารณาและข้อเสนอ\n"], "page 2 starts"),
        ([BEFORE[0], BEFORE[1] + "ข้อพิจารณา...\n"], "not at the foot of page 1"),
    ],
)
def test_breaks_moved_says_what_changed(after, reason):
    assert reason in breaks_moved(BEFORE, after, [MARK])
