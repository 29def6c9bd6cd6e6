"""Continuation marks in the .docx: a text box out of the text flow, in the bottom margin, anchored
to the paragraph it was given; no marks, no change."""

import pytest
from docx.oxml.ns import qn

from documents.docx.continuation import (
    MARK_TOP,
    ContinuationMark,
    body_paragraph_texts,
    body_paragraphs,
)
from documents.docx.memo import build_memo_docx
from documents.docx.thai import A4_HEIGHT, MARGIN_BOTTOM
from documents.text.sample_004 import memo_004
from tests.documents.docx_inspect import part_xml, reopen

WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
TXBX = qn("w:txbxContent")


@pytest.fixture(scope="module")
def plain() -> bytes:
    return build_memo_docx(memo_004())


@pytest.fixture(scope="module")
def anchor(plain) -> int:
    # As in 004: the last legal-basis item is the last paragraph on page ๑.
    return next(i for i, t in enumerate(body_paragraph_texts(plain)) if t.startswith("๓. "))


@pytest.fixture(scope="module")
def marked(anchor) -> bytes:
    mark = ContinuationMark(page=1, word="ข้อพิจารณา", paragraph=anchor)
    return build_memo_docx(memo_004(), continuations=[mark])


def test_no_marks_is_the_default_and_changes_nothing(plain):
    assert build_memo_docx(memo_004(), continuations=()) == plain


def test_marked_memo_is_deterministic(marked, anchor):
    mark = ContinuationMark(page=1, word="ข้อพิจารณา", paragraph=anchor)
    assert build_memo_docx(memo_004(), continuations=[mark]) == marked


def test_the_mark_is_a_text_box_in_its_paragraph(marked, anchor):
    paragraphs = body_paragraphs(reopen(marked))
    anchors = list(paragraphs[anchor].iter(f"{WP}anchor"))
    assert len(anchors) == 1
    box_text = "".join(t.text for t in anchors[0].iter(qn("w:t")))
    assert box_text == "ข้อพิจารณา..."
    own_text = "".join(
        t.text for t in paragraphs[anchor].iter(qn("w:t"))
        if not any(a.tag == TXBX for a in t.iterancestors())
    )  # fmt: skip
    assert own_text.startswith("๓. ")  # the paragraph's own words are untouched


def test_the_mark_cannot_move_text(marked):
    (anchor,) = part_xml(marked, "word/document.xml").iter(f"{WP}anchor")
    assert anchor.find(f"{WP}wrapNone") is not None  # body text flows as if it were not there
    position = anchor.find(f"{WP}positionV")
    assert position.get("relativeFrom") == "page"
    top = int(position.find(f"{WP}posOffset").text)
    assert top == MARK_TOP
    assert A4_HEIGHT - MARGIN_BOTTOM < top < A4_HEIGHT  # in the bottom margin, under the last line


def test_paragraph_indexes_ignore_the_text_boxes(plain, marked):
    assert body_paragraph_texts(marked) == body_paragraph_texts(plain)


def test_several_marks_get_distinct_shape_ids(anchor):
    marks = [ContinuationMark(1, "ข้อพิจารณา", anchor), ContinuationMark(2, "จึงเรียน", anchor + 2)]
    data = build_memo_docx(memo_004(), continuations=marks)
    ids = [d.get("id") for d in part_xml(data, "word/document.xml").iter(f"{WP}docPr")]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_a_mark_for_a_missing_paragraph_is_refused():
    with pytest.raises(ValueError, match="no paragraph 9999"):
        build_memo_docx(memo_004(), continuations=[ContinuationMark(1, "คำ", 9999)])
