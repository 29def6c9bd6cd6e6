"""The order (คำสั่ง) as a .docx on Garuda paper, in the regulation's layout.

Order on the page: emblem centred, "คำสั่ง<organisation>", "ที่ <number>/<BE year>", "เรื่อง
<subject>", a short rule, the reasons, the numbered items, "ทั้งนี้ ตั้งแต่ ..." (the closing),
"สั่ง ณ วันที่ ..." and the signature block with its acting line. Like the announcement it is
numbered "- ๒ -" from its second page and carries the continuation word at the foot of every
page but the last.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from documents.context import AnnouncementContext
from documents.docx.blocks import add_garuda, add_signature_block, keep_together
from documents.docx.continuation import ContinuationMark, add_continuation_marks
from documents.docx.numbered_items import PARAGRAPH_GAP_PT, add_paragraphs, add_reasons_and_items
from documents.docx.output import document_bytes, set_core_properties
from documents.docx.page_number import number_pages_from_the_second
from documents.docx.thai import DEFAULT_FONT, add_thai_paragraph, new_thai_document
from documents.thai_format import thai_date_full, to_thai_digits

GARUDA_HEIGHT = Cm(3)
RULE_LINE = "-------------------"
DATE_LINE_INDENT = Cm(4.5)
SIGNATURE_BAND_START = Cm(5)
UNNUMBERED = "........"  # before publication gives the order its number


def build_order_docx(
    ctx: AnnouncementContext,
    *,
    font: str = DEFAULT_FONT,
    continuations: Sequence[ContinuationMark] = (),
) -> bytes:
    """The order as .docx bytes; the same context (and marks) always gives the same bytes."""
    document = new_thai_document(font)
    number_pages_from_the_second(document.sections[0])
    _add_heading(document, ctx)
    add_reasons_and_items(document, ctx)
    add_paragraphs(document, [ctx.closing])
    _add_date_and_signature(document, ctx)
    add_continuation_marks(document, continuations)
    set_core_properties(document, title=f"คำสั่ง{ctx.organisation_name}", author=ctx.organisation_name, date=ctx.date)
    return document_bytes(document)


def order_number_line(ctx: AnnouncementContext) -> str:
    """ "ที่ ๑/๒๕๗๐": the number given at publication (dots before), over the BE year of its date."""
    return f"ที่ {ctx.number or f'{UNNUMBERED}/{to_thai_digits(ctx.date.year + 543)}'}"


def _add_heading(document: DocxDocument, ctx: AnnouncementContext) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    emblem = document.add_paragraph()
    emblem.alignment = centre
    add_garuda(emblem, ctx.garuda_image, GARUDA_HEIGHT, preprinted=ctx.garuda_preprinted)
    add_thai_paragraph(
        document, f"คำสั่ง{ctx.organisation_name}", bold=True, align=centre, space_before_pt=PARAGRAPH_GAP_PT
    )
    add_thai_paragraph(document, order_number_line(ctx), align=centre)
    add_thai_paragraph(document, f"เรื่อง {ctx.subject}", bold=True, align=centre)
    add_thai_paragraph(document, RULE_LINE, align=centre)


def _add_date_and_signature(document: DocxDocument, ctx: AnnouncementContext) -> None:
    date_line = add_thai_paragraph(
        document,
        f"สั่ง ณ วันที่ {thai_date_full(ctx.date)}",
        left_indent=DATE_LINE_INDENT,
        space_before_pt=2 * PARAGRAPH_GAP_PT,
    )
    signature = add_signature_block(document, ctx.signatory, left_indent=SIGNATURE_BAND_START)
    keep_together([date_line, *signature])
