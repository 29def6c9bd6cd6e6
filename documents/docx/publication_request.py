"""The publication request (แบบฟอร์มการขออนุญาตเผยแพร่ข้อมูลผ่านเว็บไซต์ของหน่วยงาน) as a .docx.

The integrity assessment (ITA) asks, beside each document an office publishes, for this form: who
asked to publish it, who approved, who posted it, when, and at which address. The layout follows
the form offices use (the Ministry of Public Health's and the local governments' copies of it): a
title, the facts as label and value rows, then three signature boxes side by side in a table
(the person responsible for the information, the approver, the person who posted it).

Saraban fills it from the records rather than from what someone types: the drafter who sent the
memo, the final signer's approval with its capacity, and the moment and address of publication.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from documents.context import Signatory
from documents.docx.output import document_bytes, set_core_properties
from documents.docx.thai import DEFAULT_FONT, add_thai_paragraph, add_thai_runs, new_thai_document
from documents.thai_format import signature_lines, thai_date_full

TITLE = "แบบฟอร์มการขออนุญาตเผยแพร่ข้อมูลผ่านเว็บไซต์ของหน่วยงาน"
LABEL_WIDTH = Cm(4.5)
VALUE_WIDTH = Cm(11.5)


@dataclass(frozen=True)
class RequestSignature:
    """One box at the foot: its heading, the person (from the records) and the date they acted."""

    heading: str  # "ผู้รับผิดชอบการให้ข้อมูล"
    signatory: Signatory | None  # None: the website posted it by itself (no person)
    date: dt.date
    note: str = ""  # printed under the box: how the person acted ("ลงนามอนุมัติในระบบ ...")


@dataclass(frozen=True)
class PublicationRequestContext:
    organisation_name: str
    date: dt.date  # the day the request is dated: the day of publication
    subject: str  # what is published, as its title reads
    details: Sequence[str]  # one line each: the document, its number and date, its files
    address: str  # the public address (URL) it is published at
    note: str  # the memo it was approved on
    signatures: Sequence[RequestSignature]


def build_publication_request_docx(ctx: PublicationRequestContext, *, font: str = DEFAULT_FONT) -> bytes:
    """The form as .docx bytes; the same context always gives the same bytes."""
    document = new_thai_document(font)
    add_thai_paragraph(document, TITLE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    rows = [
        ("ชื่อหน่วยงาน", [ctx.organisation_name]),
        ("วัน/เดือน/ปี", [thai_date_full(ctx.date)]),
        ("หัวข้อ", [ctx.subject]),
        ("รายละเอียดข้อมูล", list(ctx.details)),
        ("ที่อยู่ที่เผยแพร่ (Link)", [ctx.address]),
        ("หมายเหตุ", [ctx.note]),
    ]
    facts = document.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    facts.alignment = WD_TABLE_ALIGNMENT.CENTER
    facts.autofit = False
    for label, lines in rows:
        cells = facts.add_row().cells
        _fill(cells[0], [label], bold=True)
        _fill(cells[1], lines)
    # Word reads the cells' widths, LibreOffice the table's grid: both are set.
    for column, width in zip(facts.columns, (LABEL_WIDTH, VALUE_WIDTH), strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    add_thai_paragraph(document, "")
    boxes = document.add_table(rows=1, cols=len(ctx.signatures))
    boxes.style = "Table Grid"
    boxes.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, signature in zip(boxes.rows[0].cells, ctx.signatures, strict=True):
        _fill(cell, _box_lines(signature), centred=True, bold_first=True)
    set_core_properties(document, title=TITLE, author=ctx.organisation_name, date=ctx.date)
    return document_bytes(document)


def _box_lines(signature: RequestSignature) -> list[str]:
    if signature.signatory is None:
        person = ["ระบบสารบรรณอิเล็กทรอนิกส์", "(นำขึ้นเว็บไซต์โดยอัตโนมัติ)"]
    else:
        person = signature_lines(signature.signatory)
    lines = [signature.heading, *person, f"วันที่ {thai_date_full(signature.date)}"]
    return [*lines, signature.note] if signature.note else lines


def _fill(cell, lines: Sequence[str], *, bold: bool = False, centred: bool = False, bold_first: bool = False) -> None:  # noqa: ANN001
    """The cell's text, one paragraph per line (a new cell holds one empty paragraph: it takes the first)."""
    align = WD_ALIGN_PARAGRAPH.CENTER if centred else None
    for index, line in enumerate(lines):
        strong = bold or (bold_first and index == 0)
        if index == 0:
            cell.paragraphs[0].alignment = align
            add_thai_runs(cell.paragraphs[0], line, bold=strong)
        else:
            add_thai_paragraph(cell, line, bold=strong, align=align)
