"""The announcement (ประกาศ) as a .docx on Garuda paper.

Order on the page: emblem centred, "ประกาศ<organisation>", "เรื่อง <subject>", a short rule, the
preamble (why), the numbered measures (what is announced), the closing, the date line and the
signature block. An announcement that runs over a page is numbered "- ๒ -" from its second page and
carries the continuation word at the foot of every page but the last, like the memo.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from documents.context import AnnouncementContext
from documents.docx.blocks import add_garuda, add_signature_block, keep_together
from documents.docx.continuation import ContinuationMark, add_continuation_marks
from documents.docx.output import document_bytes, set_core_properties
from documents.docx.page_number import number_pages_from_the_second
from documents.docx.thai import (
    DEFAULT_FONT,
    FIRST_LINE_INDENT,
    THAI_JUSTIFY,
    add_body_paragraph,
    add_thai_paragraph,
    new_thai_document,
)
from documents.thai_format import thai_date_full, thai_number

GARUDA_HEIGHT = Cm(3)
RULE_LINE = "-------------------"  # what offices type under the subject
PARAGRAPH_GAP_PT = 6  # the typing standard's space before a new paragraph
DATE_LINE_INDENT = Cm(4.5)  # the date line opens the signature part of the page
SIGNATURE_BAND_START = Cm(5)  # signature centred in the 5-16 cm band
# An item's explanation: every line under the item's number (the body's first-line indent), its
# first line where the item's text starts, past "๑. ".
EXPLANATION_INDENT = FIRST_LINE_INDENT
EXPLANATION_FIRST_LINE = Cm(0.75)


def build_announcement_docx(
    ctx: AnnouncementContext,
    *,
    font: str = DEFAULT_FONT,
    continuations: Sequence[ContinuationMark] = (),
) -> bytes:
    """The announcement as .docx bytes; the same context (and marks) always gives the same bytes.

    `continuations` are the words at the foot of each page but the last, found from a PDF by
    documents.pdf.paginated; without them there are none (their place depends on the layout).
    """
    document = new_thai_document(font)
    number_pages_from_the_second(document.sections[0])
    _add_heading(document, ctx)
    _add_text(document, ctx)
    _add_date_and_signature(document, ctx)
    add_continuation_marks(document, continuations)
    set_core_properties(
        document,
        title=f"ประกาศ{ctx.organisation_name}",
        author=ctx.organisation_name,
        date=ctx.date,
    )
    return document_bytes(document)


def _add_heading(document: DocxDocument, ctx: AnnouncementContext) -> None:
    emblem = document.add_paragraph()
    emblem.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_garuda(emblem, ctx.garuda_image, GARUDA_HEIGHT, preprinted=ctx.garuda_preprinted)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    add_thai_paragraph(
        document,
        f"ประกาศ{ctx.organisation_name}",
        bold=True,
        align=centre,
        space_before_pt=PARAGRAPH_GAP_PT,
    )
    add_thai_paragraph(document, f"เรื่อง {ctx.subject}", bold=True, align=centre)
    add_thai_paragraph(document, RULE_LINE, align=centre)


def _add_text(document: DocxDocument, ctx: AnnouncementContext) -> None:
    for paragraph in ctx.preamble:
        add_body_paragraph(document, paragraph, space_before_pt=PARAGRAPH_GAP_PT)
    if ctx.measures_heading:
        add_body_paragraph(document, ctx.measures_heading, space_before_pt=PARAGRAPH_GAP_PT)
    for number, measure in enumerate(ctx.measures, start=1):
        _add_measure(document, number, measure)
    for line in _lines(ctx.closing):
        add_body_paragraph(document, line, space_before_pt=PARAGRAPH_GAP_PT)


def _add_measure(document: DocxDocument, number: int, measure: str) -> None:
    # A measure may carry explanation paragraphs (seed 001): only its first line gets the number,
    # and the explanations sit under it, indented, so they read as part of the item (as the public
    # page shows them) rather than as paragraphs of the announcement's own.
    first, *rest = _lines(measure)
    add_body_paragraph(document, f"{thai_number(number)} {first}", space_before_pt=PARAGRAPH_GAP_PT)
    for line in rest:
        add_thai_paragraph(
            document,
            line,
            align=THAI_JUSTIFY,
            left_indent=EXPLANATION_INDENT,
            first_line_indent=EXPLANATION_FIRST_LINE,
            space_before_pt=PARAGRAPH_GAP_PT,
        )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _add_date_and_signature(document: DocxDocument, ctx: AnnouncementContext) -> None:
    date_line = add_thai_paragraph(
        document,
        f"ประกาศ ณ วันที่ {thai_date_full(ctx.date)}",
        left_indent=DATE_LINE_INDENT,
        space_before_pt=2 * PARAGRAPH_GAP_PT,
    )
    signature = add_signature_block(document, ctx.signatory, left_indent=SIGNATURE_BAND_START)
    keep_together([date_line, *signature])
