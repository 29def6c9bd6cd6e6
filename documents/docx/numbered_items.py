"""The numbered items (ข้อ ๑, ๒ ...) of an order or a circular, laid out as the announcement's
measures are: the item's first line numbered at the body's indent, its explanation paragraphs
under it, indented, so they read as part of the item."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.shared import Cm

from documents.context import AnnouncementContext
from documents.docx.thai import FIRST_LINE_INDENT, THAI_JUSTIFY, add_body_paragraph, add_thai_paragraph
from documents.thai_format import thai_number

PARAGRAPH_GAP_PT = 6  # the typing standard's space before a new paragraph
EXPLANATION_FIRST_LINE = Cm(0.75)  # where the item's text starts, past "๑. "


def add_reasons_and_items(document: DocxDocument, ctx: AnnouncementContext) -> None:
    """The body an order and a circular share: the reasons, the items' heading, the items."""
    add_paragraphs(document, ctx.preamble)
    if ctx.measures_heading:
        add_paragraphs(document, [ctx.measures_heading])
    add_numbered_items(document, ctx.measures)


def add_numbered_items(document: DocxDocument, items: Sequence[str]) -> None:
    for number, item in enumerate(items, start=1):
        first, *rest = lines_of(item) or [""]
        add_body_paragraph(document, f"{thai_number(number)} {first}", space_before_pt=PARAGRAPH_GAP_PT)
        for line in rest:
            add_thai_paragraph(
                document,
                line,
                align=THAI_JUSTIFY,
                left_indent=FIRST_LINE_INDENT,
                first_line_indent=EXPLANATION_FIRST_LINE,
                space_before_pt=PARAGRAPH_GAP_PT,
            )


def add_paragraphs(document: DocxDocument, texts: Sequence[str]) -> None:
    """Body paragraphs, one per non-empty line of each text."""
    for text in texts:
        for line in lines_of(text):
            add_body_paragraph(document, line, space_before_pt=PARAGRAPH_GAP_PT)


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
