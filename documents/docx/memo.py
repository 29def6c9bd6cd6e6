"""The memo (บันทึกข้อความ) as a .docx, following the regulation's memo form.

Order on the page: emblem and title, header fields (ส่วนราชการ, ที่/วันที่, เรื่อง), addressee, the
four sections, closing, the drafter's signature, the superiors' minutes (เกษียน) in the order they
were written, and the ร่าง/พิมพ์/ทาน/ตรวจ initials block at the bottom right.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Cm, Length
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from documents.context import MemoContext, Minute, StageMark
from documents.docx.blocks import add_garuda, add_signature_block, keep_together
from documents.docx.continuation import ContinuationMark, add_continuation_marks
from documents.docx.output import document_bytes, set_core_properties
from documents.docx.page_number import number_pages_from_the_second
from documents.docx.thai import (
    DEFAULT_FONT,
    TEXT_WIDTH,
    add_body_paragraph,
    add_thai_paragraph,
    add_thai_runs,
    new_thai_document,
)
from documents.thai_format import thai_date_memo, thai_date_short, thai_number, to_thai_digits

TITLE = "บันทึกข้อความ"
TITLE_SIZE_PT = 29
LABEL_SIZE_PT = 20
SMALL_SIZE_PT = 14
GARUDA_HEIGHT = Cm(1.5)
SECTION_GAP_PT = 6  # the typing standard's space before a new paragraph
DATE_FIELD_POSITION = Length(TEXT_WIDTH // 2)  # วันที่ starts mid-line on the ที่ line
SIGNATURE_BAND_START = Length(TEXT_WIDTH // 2)  # signatures sit centred in the right half

SECTION_HEADINGS = ("ต้นเรื่อง", "ข้อเท็จจริง", "ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ", "ข้อพิจารณาและข้อเสนอ")
STAGES = ("ร่าง", "พิมพ์", "ทาน", "ตรวจ")
UNRECORDED_STAGE = ".........."
ATTACHMENTS_LABEL = "สิ่งที่ส่งมาด้วย"
ATTACHMENTS_INDENT = Cm(3)  # where the numbered files start, past the label


def build_memo_docx(
    ctx: MemoContext,
    *,
    font: str = DEFAULT_FONT,
    continuations: Sequence[ContinuationMark] = (),
) -> bytes:
    """The memo as .docx bytes; the same context (and marks) always gives the same bytes.

    `continuations` are the words at the foot of each page but the last, found from a PDF by
    documents.pdf.paginated; without them the memo has none (their place depends on the layout).
    """
    document = new_thai_document(font)
    number_pages_from_the_second(document.sections[0])
    _add_title(document, ctx)
    _add_header_fields(document, ctx)
    _add_body(document, ctx)
    _add_minutes_and_stages(document, ctx.minutes, ctx.stages)
    add_continuation_marks(document, continuations)
    set_core_properties(document, title=ctx.subject, author=ctx.letterhead.organisation_name, date=ctx.date)
    return document_bytes(document)


def _add_title(document: DocxDocument, ctx: MemoContext) -> None:
    # Emblem at the left margin and the title centred on the same line, as on the printed form.
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.tab_stops.add_tab_stop(Length(TEXT_WIDTH // 2), WD_TAB_ALIGNMENT.CENTER)
    add_garuda(paragraph, ctx.letterhead.garuda_image, GARUDA_HEIGHT, preprinted=ctx.letterhead.garuda_preprinted)
    add_thai_runs(paragraph, "\t" + TITLE, bold=True, size_pt=TITLE_SIZE_PT)
    if ctx.revision_label:
        add_thai_paragraph(document, ctx.revision_label, size_pt=SMALL_SIZE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)


def _add_header_fields(document: DocxDocument, ctx: MemoContext) -> None:
    unit = _issuing_unit_line(ctx)
    _add_field_line(document, [("ส่วนราชการ", unit)])
    register = ("ที่", to_thai_digits(ctx.register_number))
    _add_field_line(document, [register, ("วันที่", thai_date_memo(ctx.date))], split=True)
    _add_field_line(document, [("เรื่อง", ctx.subject)])


def _issuing_unit_line(ctx: MemoContext) -> str:
    letterhead = ctx.letterhead
    parts = [letterhead.issuing_unit]
    if letterhead.phone:
        parts.append(f"โทร. {to_thai_digits(letterhead.phone)}")
    if letterhead.fax:
        parts.append(f"โทรสาร {to_thai_digits(letterhead.fax)}")
    return " ".join(parts)


def _add_field_line(document: DocxDocument, fields: list[tuple[str, str]], *, split: bool = False) -> Paragraph:
    """Bold labels with their values; dot leaders fill to the date field and to the margin."""
    paragraph = document.add_paragraph()
    tab_stops = paragraph.paragraph_format.tab_stops
    if split:
        tab_stops.add_tab_stop(DATE_FIELD_POSITION, WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.DOTS)
    tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    for label, value in fields:
        add_thai_runs(paragraph, label, bold=True, size_pt=LABEL_SIZE_PT)
        add_thai_runs(paragraph, f" {value}\t")
    return paragraph


def _add_body(document: DocxDocument, ctx: MemoContext) -> None:
    add_thai_paragraph(document, f"เรียน {ctx.addressee}", space_before_pt=SECTION_GAP_PT)
    _add_attachments(document, ctx.attachments)
    legal = [f"{thai_number(i)} {item}" for i, item in enumerate(ctx.legal_basis, start=1)]
    texts = (
        ctx.origin.splitlines(),
        ctx.facts.splitlines(),
        legal,
        ctx.considerations.splitlines(),
    )
    for heading, paragraphs in zip(SECTION_HEADINGS, texts, strict=True):
        _add_section(document, heading, paragraphs)
    closing = add_body_paragraph(document, ctx.closing, space_before_pt=SECTION_GAP_PT)
    signature = add_signature_block(document, ctx.drafter, left_indent=SIGNATURE_BAND_START)
    # The signature never starts a page without a line of the text it signs, and it stays with
    # what follows it (the minutes, or the initials block): a page holding only the initials
    # (or only a signature) is what offices notice.
    keep_together([closing, *signature])
    if not ctx.minutes:
        signature[-1].paragraph_format.keep_with_next = True


def _add_attachments(document: DocxDocument, names: list[str]) -> None:
    # As the regulation's letters list them, under เรียน: "สิ่งที่ส่งมาด้วย  ๑. ...", the later
    # items under the first (a hanging indent at the tab after the label).
    if not names:
        return
    for index, name in enumerate(names, start=1):
        label = ATTACHMENTS_LABEL if index == 1 else ""
        paragraph = add_thai_paragraph(document, f"{label}\t{thai_number(index)} {name}")
        paragraph.paragraph_format.tab_stops.add_tab_stop(ATTACHMENTS_INDENT)
        paragraph.paragraph_format.left_indent = ATTACHMENTS_INDENT
        paragraph.paragraph_format.first_line_indent = -ATTACHMENTS_INDENT


def _add_section(document: DocxDocument, heading: str, paragraphs: list[str]) -> None:
    title = add_thai_paragraph(document, heading, bold=True, space_before_pt=SECTION_GAP_PT)
    title.paragraph_format.keep_with_next = True
    for text in filter(None, (p.strip() for p in paragraphs)):
        add_body_paragraph(document, text)


def _add_minutes_and_stages(document: DocxDocument, minutes: list[Minute], stages: list[StageMark]) -> None:
    """The minutes, then the initials block, which never stands alone at the top of a page.

    Without minutes the initials follow the drafter's signature, which keeps with them
    (_add_body). With minutes they follow the minutes table: Word keeps a table's last row with the
    next paragraph when its paragraphs say keep_with_next, LibreOffice (7.4) does not, though it
    keeps one row with the next; so the initials are the table's last row, kept with the last minutes.
    """
    if not minutes:
        _add_stage_block(document, stages)
        return
    table = _add_minutes(document, minutes)
    for cell in table.rows[-1].cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
    row = table.add_row()
    _keep_row_on_one_page(row)
    cell = row.cells[0].merge(row.cells[1])
    empty = list(cell.paragraphs)
    _no_right_margin(cell)
    _add_stage_block(cell, stages)
    for paragraph in empty:  # python-docx starts every cell with an empty paragraph
        cell._tc.remove(paragraph._p)


def _add_minutes(document: DocxDocument, minutes: list[Minute]) -> Table:
    # Two minutes side by side, in writing order left to right, then down: the way superiors fill
    # the space under a memo, and it keeps a memo with its minutes within two pages.
    table = document.add_table(rows=(len(minutes) + 1) // 2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        _keep_row_on_one_page(row)
    cells = [cell for row in table.rows for cell in row.cells]
    for cell in cells:
        cell.width = Length(TEXT_WIDTH // 2)
    for cell, minute in zip(cells, minutes, strict=False):  # an odd count leaves one cell empty
        _fill_minute(cell, minute)
    return table


def _keep_row_on_one_page(row: _Row) -> None:
    # A minute split over two pages leaves its signature apart from its text (w:cantSplit).
    row_properties = row._tr.get_or_add_trPr()
    row_properties.append(row_properties.makeelement(qn("w:cantSplit"), {}))


def _no_right_margin(cell: _Cell) -> None:
    # The initials end at the page's right margin, as they do below a memo without minutes.
    properties = cell._tc.get_or_add_tcPr()
    margins = properties.makeelement(qn("w:tcMar"), {})
    margins.append(margins.makeelement(qn("w:right"), {qn("w:w"): "0", qn("w:type"): "dxa"}))
    properties.append(margins)


def _fill_minute(cell: _Cell, minute: Minute) -> None:
    empty_first = cell.paragraphs[0]
    for index, line in enumerate(minute.lines):
        add_thai_paragraph(cell, line, bold=bool(minute.mark) and index == 0)
    add_signature_block(cell, minute.signatory, left_indent=Cm(0))
    add_thai_paragraph(cell, f"- {thai_date_short(minute.date)} -", align=WD_ALIGN_PARAGRAPH.CENTER)
    cell._tc.remove(empty_first._p)  # python-docx starts every cell with an empty paragraph


def _add_stage_block(container, stages: list[StageMark]) -> None:
    # The form always shows all four stages, so an unrecorded memo still prints the blank lines.
    marks = stages or [StageMark(stage) for stage in STAGES]
    lines = [
        add_thai_paragraph(
            container,
            stage_line(mark),
            size_pt=SMALL_SIZE_PT,
            align=WD_ALIGN_PARAGRAPH.RIGHT,
            space_before_pt=0 if index else SECTION_GAP_PT,
        )
        for index, mark in enumerate(marks)
    ]
    keep_together(lines)  # the four lines are one block on the file copy, never split by a page


def stage_line(mark: StageMark) -> str:
    """ "สมหญิง ๔ มี.ค. ๖๔ ร่าง" when recorded, "..........ร่าง" when not."""
    if not mark.initials:
        return f"{UNRECORDED_STAGE}{mark.stage}"
    date = f" {thai_date_short(mark.date)}" if mark.date else ""
    return f"{mark.initials}{date} {mark.stage}"
