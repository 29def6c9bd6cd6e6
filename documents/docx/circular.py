"""The circular to staff (หนังสือเวียน) as a .docx: an official letter numbered with ว.

Order on the page, as the regulation's letter (หนังสือภายนอก): emblem centred; "ที่ <prefix>/ว
<number>" at the left and the issuing organisation at the right on one line; the date from the
middle of the page; "เรื่อง", "เรียน" (the staff it goes to); the body and its numbered items;
the closing; "ขอแสดงความนับถือ" and the signature block with its acting line. (The regulation's
"ถึง" belongs to the stamped letter, หนังสือประทับตรา, not to this form.) Numbered "- ๒ -" from
its second page, with continuation words, like the announcement.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm, Length

from documents.context import AnnouncementContext
from documents.docx.blocks import add_garuda, add_signature_block, keep_together
from documents.docx.continuation import ContinuationMark, add_continuation_marks
from documents.docx.numbered_items import PARAGRAPH_GAP_PT, add_paragraphs, add_reasons_and_items
from documents.docx.output import document_bytes, set_core_properties
from documents.docx.page_number import number_pages_from_the_second
from documents.docx.thai import DEFAULT_FONT, TEXT_WIDTH, add_thai_paragraph, add_thai_runs, new_thai_document
from documents.thai_format import thai_date_memo

GARUDA_HEIGHT = Cm(3)
DATE_LINE_INDENT = Length(TEXT_WIDTH // 2)  # the date starts mid-page
SIGNATURE_BAND_START = Cm(5)
COMPLIMENTARY_CLOSE = "ขอแสดงความนับถือ"
UNNUMBERED = "ว ........"  # before publication gives the circular its number


def build_circular_docx(
    ctx: AnnouncementContext,
    *,
    font: str = DEFAULT_FONT,
    continuations: Sequence[ContinuationMark] = (),
) -> bytes:
    """The circular as .docx bytes; the same context (and marks) always gives the same bytes."""
    document = new_thai_document(font)
    number_pages_from_the_second(document.sections[0])
    _add_heading(document, ctx)
    add_reasons_and_items(document, ctx)
    closing = [line.strip() for line in ctx.closing.splitlines() if line.strip()]
    add_paragraphs(document, closing[:-1])
    last = add_thai_paragraph(
        document, closing[-1] if closing else "", first_line_indent=Cm(2.5), space_before_pt=PARAGRAPH_GAP_PT
    )
    _add_signature(document, ctx, last)
    add_continuation_marks(document, continuations)
    set_core_properties(document, title=f"หนังสือเวียน เรื่อง {ctx.subject}", author=ctx.organisation_name, date=ctx.date)
    return document_bytes(document)


def circular_number_line(ctx: AnnouncementContext) -> str:
    return f"ที่ {ctx.number or UNNUMBERED}"


def _add_heading(document: DocxDocument, ctx: AnnouncementContext) -> None:
    emblem = document.add_paragraph()
    emblem.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_garuda(emblem, ctx.garuda_image, GARUDA_HEIGHT, preprinted=ctx.garuda_preprinted)
    line = document.add_paragraph()
    line.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    add_thai_runs(line, f"{circular_number_line(ctx)}\t{ctx.organisation_name}")
    add_thai_paragraph(
        document, thai_date_memo(ctx.date), left_indent=DATE_LINE_INDENT, space_before_pt=PARAGRAPH_GAP_PT
    )
    add_thai_paragraph(document, f"เรื่อง {ctx.subject}", space_before_pt=PARAGRAPH_GAP_PT)
    add_thai_paragraph(document, f"เรียน {ctx.addressee}", space_before_pt=PARAGRAPH_GAP_PT)


def _add_signature(document: DocxDocument, ctx: AnnouncementContext, last_line) -> None:  # noqa: ANN001
    close = add_thai_paragraph(
        document,
        COMPLIMENTARY_CLOSE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        left_indent=SIGNATURE_BAND_START,
        space_before_pt=PARAGRAPH_GAP_PT,
    )
    signature = add_signature_block(document, ctx.signatory, left_indent=SIGNATURE_BAND_START)
    keep_together([last_line, close, *signature])  # the signature never starts a page alone
