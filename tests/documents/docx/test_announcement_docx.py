"""The 004 announcement and the other seeds' announcements built from their example data."""

import dataclasses

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from documents.docx.announcement import RULE_LINE, build_announcement_docx
from documents.docx.blocks import GARUDA_PLACEHOLDER
from documents.text.announcement_examples import example_names, load_announcement_example
from documents.text.sample_004 import announcement_004
from tests.documents.docx_inspect import all_paragraph_texts, reopen
from tests.documents.tiny_png import tiny_png


@pytest.fixture(scope="module")
def announcement() -> bytes:
    return build_announcement_docx(announcement_004())


@pytest.fixture(scope="module")
def lines(announcement) -> list[str]:
    return all_paragraph_texts(announcement)


def test_heading_centred_and_bold(announcement, lines):
    assert lines[:4] == [
        GARUDA_PLACEHOLDER,
        "ประกาศเทศบาลตำบลโคกพุทรา",
        "เรื่อง มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน",
        RULE_LINE,
    ]
    paragraphs = reopen(announcement).paragraphs[:4]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in paragraphs)
    assert all(run.bold for p in paragraphs[1:3] for run in p.runs)


def test_measures_numbered_in_thai_digits_in_order(lines):
    numbered = [line for line in lines if line[:2] in {"๑.", "๒.", "๓.", "๔.", "๕."}]
    assert [line[:2] for line in numbered] == ["๑.", "๒.", "๓.", "๔."]
    assert numbered[0].startswith("๑. วิเคราะห์ผลการดำเนินงานและข้อเสนอแนะ")
    assert numbered[3].startswith("๔. เปิดโอกาสให้ประชาชนและผู้มีส่วนได้ส่วนเสีย")


def test_text_date_and_signature_in_order(lines):
    expected = [
        "ขั้นตอนการดำเนินงานเพื่อเปิดโอกาสให้ประชาชนและผู้มีส่วนได้ส่วนเสียเข้ามามีส่วนร่วมในการดำเนินงานของเทศบาลตำบลโคกพุทรา",
        "จึงประกาศมาให้ทราบด้วยทั่วกัน",
        "ประกาศ ณ วันที่ ๔ มีนาคม พ.ศ. ๒๕๖๔",
        "ว่าที่ร้อยตรี",
        "(ภาคภูมิ อนุศาสตร์)",
        "ปลัดเทศบาล ปฏิบัติหน้าที่",
        "นายกเทศมนตรีตำบลโคกพุทรา",
    ]
    positions = [lines.index(line) for line in expected]
    assert positions == sorted(positions)
    assert lines[-4:] == expected[-4:]


def test_signature_centred_in_the_right_part(announcement):
    paragraphs = reopen(announcement).paragraphs
    name = next(p for p in paragraphs if p.text == "(ภาคภูมิ อนุศาสตร์)")
    assert name.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert name.paragraph_format.left_indent.cm >= 4


def test_same_context_gives_identical_bytes(announcement):
    assert build_announcement_docx(announcement_004()) == announcement


def test_different_date_gives_different_bytes(announcement):
    other = dataclasses.replace(announcement_004(), date=announcement_004().date.replace(day=5))
    assert build_announcement_docx(other) != announcement


def test_garuda_image_3_cm_when_given():
    data = build_announcement_docx(announcement_004(garuda_image=tiny_png()))
    (shape,) = reopen(data).inline_shapes
    assert round(shape.height.cm, 2) == 3.0


@pytest.mark.parametrize("name", example_names())
def test_every_example_builds(name):
    context = load_announcement_example(name)
    lines = all_paragraph_texts(build_announcement_docx(context))
    assert f"ประกาศ{context.organisation_name}" in lines
    assert any(line.startswith("ประกาศ ณ วันที่ ") for line in lines)
    assert f"({context.signatory.full_name})" in lines


def test_measure_with_explanation_paragraphs_numbers_only_its_first_line():
    lines = all_paragraph_texts(build_announcement_docx(load_announcement_example("bangkok-district-001")))
    assert "๒. ระดับการมีส่วนร่วม" in lines
    level_one = next(line for line in lines if line.startswith("ระดับที่ ๑ "))
    assert lines.index(level_one) > lines.index("๒. ระดับการมีส่วนร่วม")
    assert "๓.๑ " in "".join(lines) and "๔. " not in "".join(line[:3] for line in lines)
