"""Continuation marks (คำต่อเนื่อง) at the foot of a page: "ข้อพิจารณา..." under page ๑ of seed 004.

The paper convention: at the bottom right of every page but the last, the first word of the next
page followed by "...". The word depends on where the pages break, which only a layout engine knows,
so documents.pdf.paginated finds the words from a first PDF and the builders add them here.

Each mark is a text box anchored to a body paragraph that starts on its page, positioned absolutely
in the bottom margin and set not to wrap text. Being outside the text flow, the marks cannot move a
line or a page break: the second PDF breaks exactly where the first did (paginated_pdf checks it).
Why not a footer: a footer is shared by every page after the first (a three-page memo needs two
different words), and footer content can shrink the body area in LibreOffice.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import docx
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Length
from docx.text.paragraph import Paragraph
from lxml import etree

from documents.docx.language import language_attributes_xml, script_segments
from documents.docx.thai import A4_HEIGHT, MARGIN_BOTTOM, TEXT_WIDTH

CONTINUATION_SUFFIX = "..."
MARK_GAP = Cm(0.1)  # between the last line's bottom (the bottom margin) and the mark
MARK_HEIGHT = Cm(0.9)  # one 16 pt line
MARK_TOP = Length(A4_HEIGHT - MARGIN_BOTTOM + MARK_GAP)
_FIRST_SHAPE_ID = 1000  # docPr ids must be unique in the document; pictures take the low ones


@dataclass(frozen=True)
class ContinuationMark:
    """The word printed at the foot of `page`, and the paragraph that carries it there."""

    page: int  # 1-based page whose foot shows the mark; never the last page
    word: str  # the first word of page + 1
    paragraph: int  # index into body_paragraphs(): a paragraph that starts on `page`

    @property
    def text(self) -> str:
        return f"{self.word}{CONTINUATION_SUFFIX}"


def body_paragraphs(document: DocxDocument) -> list[etree._Element]:
    """The body's w:p elements in reading order, table cells included, text boxes left out.

    Marks are addressed by index into this list, so the builder's own paragraphs keep their
    indexes whether marks were added or not.
    """
    return [
        p
        for p in document.element.body.iter(qn("w:p"))
        if not any(a.tag == qn("w:txbxContent") for a in p.iterancestors())
    ]


def add_continuation_marks(document: DocxDocument, marks: Sequence[ContinuationMark]) -> None:
    """Anchor one text box per mark to its paragraph (at its start, so on the page it starts on)."""
    paragraphs = body_paragraphs(document)  # indexes taken before any text box is added
    for number, mark in enumerate(sorted(marks, key=lambda m: m.page)):
        if not 0 <= mark.paragraph < len(paragraphs):
            raise ValueError(f"continuation mark for page {mark.page}: no paragraph {mark.paragraph}")
        paragraph = paragraphs[mark.paragraph]
        run = parse_xml(_mark_run_xml(mark.text, shape_id=_FIRST_SHAPE_ID + number))
        properties = paragraph.find(qn("w:pPr"))
        position = 0 if properties is None else paragraph.index(properties) + 1
        paragraph.insert(position, run)


_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


def _mark_run_xml(text: str, *, shape_id: int) -> str:
    # A DrawingML text box (what Word writes for Insert > Text Box, minus the VML fallback that only
    # Word 2007 needs): full text width, right-aligned text, no border, no fill, no insets, wrapNone
    # so the body text ignores it, vertical position measured from the top of the page.
    width, height = int(TEXT_WIDTH), int(MARK_HEIGHT)
    return (
        f'<w:r {_NAMESPACES}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        f'relativeHeight="{251659264 + shape_id}" behindDoc="0" locked="1" layoutInCell="0" '
        'allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{int(MARK_TOP)}</wp:posOffset>'
        "</wp:positionV>"
        f'<wp:extent cx="{width}" cy="{height}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{shape_id}" name="คำต่อเนื่อง {escape(text)}"/>'
        "<wp:cNvGraphicFramePr/>"
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
        'wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln>'
        "</wps:spPr><wps:txbx><w:txbxContent>"
        f'<w:p><w:pPr><w:jc w:val="right"/></w:pPr>{_text_runs_xml(text)}</w:p>'
        "</w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" '
        'anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr>'
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor>"
        "</w:drawing></mc:Choice></mc:AlternateContent></w:r>"
    )


def _text_runs_xml(text: str) -> str:
    # Tagged by script like every other run (documents.docx.language).
    return "".join(
        f"<w:r><w:rPr><w:lang {language_attributes_xml(latin)}/></w:rPr>"
        f'<w:t xml:space="preserve">{escape(segment)}</w:t></w:r>'
        for segment, latin in script_segments(text)
    )


def body_paragraph_texts(data: bytes) -> list[str]:
    """The texts of body_paragraphs() of built .docx bytes (a w:tab reads as "\\t")."""
    document = docx.Document(io.BytesIO(data))
    return [Paragraph(p, None).text for p in body_paragraphs(document)]
