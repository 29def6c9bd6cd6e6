"""The XML properties that make Thai print right, checked in real built files."""

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from documents.docx.announcement import build_announcement_docx
from documents.docx.memo import build_memo_docx
from documents.docx.thai import (
    DEFAULT_FONT,
    add_thai_runs,
    new_thai_document,
    set_rpr_child,
)
from documents.text.sample_004 import announcement_004, memo_004
from tests.documents.docx_inspect import attr, part_xml, reopen, runs_with_text


@pytest.fixture(scope="module")
def memo() -> bytes:
    return build_memo_docx(memo_004())


@pytest.fixture(scope="module")
def announcement() -> bytes:
    return build_announcement_docx(announcement_004())


def _default_rpr(data: bytes):
    return part_xml(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr", _NS)


_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def test_document_defaults_name_the_font_for_every_script(memo):
    fonts = _default_rpr(memo).find("w:rFonts", _NS)
    for script in ("ascii", "hAnsi", "cs", "eastAsia"):
        assert attr(fonts, script) == DEFAULT_FONT


def test_document_defaults_size_16pt_for_latin_and_thai(memo):
    rpr = _default_rpr(memo)
    assert attr(rpr.find("w:sz", _NS), "val") == "32"
    assert attr(rpr.find("w:szCs", _NS), "val") == "32"


def test_document_defaults_are_the_thai_office_setting(memo):
    # Latin letters en-US, Thai (a complex script) th-TH; every run also says its own.
    lang = _default_rpr(memo).find("w:lang", _NS)
    assert (attr(lang, "val"), attr(lang, "eastAsia"), attr(lang, "bidi")) == ("en-US", "en-US", "th-TH")


def test_document_defaults_single_spacing_no_space_after(memo):
    spacing = part_xml(memo, "word/styles.xml").find("w:docDefaults/w:pPrDefault/w:pPr/w:spacing", _NS)
    assert (attr(spacing, "line"), attr(spacing, "lineRule"), attr(spacing, "after")) == (
        "240",
        "auto",
        "0",
    )


def test_no_theme_font_attributes_left_in_styles(memo):
    styles = part_xml(memo, "word/styles.xml")
    for rfonts in styles.iter(qn("w:rFonts")):
        for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            assert attr(rfonts, theme) is None


def test_font_is_configurable():
    data = build_memo_docx(memo_004(), font="TH Sarabun New")
    assert attr(_default_rpr(data).find("w:rFonts", _NS), "cs") == "TH Sarabun New"


def test_bold_runs_are_bold_for_thai_too(memo):
    title_runs = runs_with_text(memo, "บันทึกข้อความ")
    assert title_runs
    for run in title_runs:
        rpr = run.find("w:rPr", _NS)
        assert rpr.find("w:b", _NS) is not None and rpr.find("w:bCs", _NS) is not None
        assert attr(rpr.find("w:sz", _NS), "val") == attr(rpr.find("w:szCs", _NS), "val") == "58"


def test_every_bold_or_sized_run_sets_both_scripts(memo, announcement):
    for data in (memo, announcement):
        body = part_xml(data, "word/document.xml")
        for rpr in body.iter(qn("w:rPr")):
            assert (rpr.find("w:b", _NS) is None) == (rpr.find("w:bCs", _NS) is None)
            assert (rpr.find("w:sz", _NS) is None) == (rpr.find("w:szCs", _NS) is None)


def test_header_labels_are_bold_20pt(memo):
    for label in ("ส่วนราชการ", "ที่", "วันที่", "เรื่อง"):
        run = next(r for r in runs_with_text(memo, label) if "".join(r.itertext()) == label)
        assert attr(run.find("w:rPr/w:szCs", _NS), "val") == "40"
        assert run.find("w:rPr/w:bCs", _NS) is not None


def test_body_paragraphs_are_justified_both_never_distribute(memo, announcement):
    for data in (memo, announcement):
        values = {attr(jc, "val") for jc in part_xml(data, "word/document.xml").iter(qn("w:jc"))}
        assert "both" in values
        assert not values & {"distribute", "thaiDistribute"}


def test_body_paragraph_first_line_indent_2_5_cm(announcement):
    document = reopen(announcement)
    measure = next(p for p in document.paragraphs if p.text.startswith("๑. "))
    assert round(measure.paragraph_format.first_line_indent.cm, 2) == 2.5
    assert measure.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY


@pytest.mark.parametrize("which", ["memo", "announcement"])
def test_a4_page_and_margins(which, request):
    section = reopen(request.getfixturevalue(which)).sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)  # A4
    cm = {name: round(getattr(section, name).cm, 2) for name in _MARGINS}
    assert cm["left_margin"] == 3 and cm["right_margin"] == 2 and cm["bottom_margin"] == 2
    assert 2 <= cm["top_margin"] <= 2.5


_MARGINS = ("left_margin", "right_margin", "top_margin", "bottom_margin")


def test_rpr_children_keep_schema_order():
    document = new_thai_document()
    (run,) = add_thai_runs(document.add_paragraph(), "ทดสอบ", bold=True, size_pt=20)
    rpr = run._r.get_or_add_rPr()
    set_rpr_child(rpr, "lang", bidi="th-TH")
    set_rpr_child(rpr, "rFonts", cs="X")
    tags = [child.tag.split("}")[1] for child in rpr]
    assert tags == ["rFonts", "b", "bCs", "sz", "szCs", "lang"]
