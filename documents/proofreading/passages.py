"""Where each piece of text sits in a memo or an announcement, so that a warning can say it.

A person looks for a mistake by the part of the document ("ข้อเท็จจริง", "ข้อ ๒", "เกษียน ๑") and
the paragraph within it, not by a line number of some internal text. A Passage is one paragraph
(or one field of a header line: "ที่ ..." and "วันที่ ..." share a line on the memo form) with its
place; the checks run on the passages' texts and documents.proofreading.proofread turns line numbers back
into places.

Passages come from a built or uploaded .docx (reading the memo form's headings and fields, or the
announcement's title, numbered measures and closing) or, for an announcement not yet issued, from
its rendered words (documents.text.announcement_text), which give the parts exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from documents.context import MemoContext
from documents.docx.blocks import GARUDA_PLACEHOLDER
from documents.docx.memo import SECTION_HEADINGS
from documents.docx.nonbreaking import NBSP
from documents.text.announcement_text import AnnouncementText
from documents.thai_format import thai_number, to_thai_digits

MEMO = "memo"
ANNOUNCEMENT = "announcement"

MEMO_TITLE_SECTION = "หัวบันทึก"
MEMO_END_SECTION = "ท้ายบันทึก"  # the closing ("จึงเรียนมา...") and the drafter's signature
STAGE_SECTION = "ร่าง/พิมพ์/ทาน/ตรวจ"
MINUTE_SECTION = "เกษียน {number}"
ANNOUNCEMENT_TITLE_SECTION = "หัวประกาศ"
SUBJECT_SECTION = "เรื่อง"
PREAMBLE_SECTION = "ความนำ"
MEASURE_SECTION = "ข้อ {number}"
ANNOUNCEMENT_END_SECTION = "ท้ายประกาศ"
DATE_SECTION = "วันที่ประกาศ"
SIGNATURE_SECTION = "ผู้ลงนาม"
TABLE_SECTION = "ตาราง ช่องที่ {number}"

# The memo's header fields; "ที่" only when followed by a space or dots, not "ที่ประชุม".
_FIELD = re.compile(r"^\s*(?P<label>ส่วนราชการ|วันที่|ที่|เรื่อง|เรียน)(?=[\s.:…]|$)")
_STAGE_LINE = re.compile(r"(?:^\s*[.…]+|\s)(?:ร่าง|พิมพ์|ทาน|ตรวจ)\s*$")
_MEASURE = re.compile(r"^\s*(?P<number>[๐-๙0-9]+)\.\s")
_RULE = re.compile(r"^\s*-{3,}\s*$")
_MEMO_CLOSING = re.compile(r"^\s*จึงเรียน")
_ANNOUNCEMENT_CLOSING = re.compile(r"^\s*จึงประกาศ")
_DATE_LINE = re.compile(r"^\s*ประกาศ\s*ณ\s*วันที่")


@dataclass(frozen=True)
class Passage:
    """One paragraph, or one field of a header line, as a person finds it on the page."""

    document: str  # MEMO | ANNOUNCEMENT | "" (a file of another kind)
    section: str  # "ข้อเท็จจริง", "ข้อ ๒"; "" when the document has no known parts
    paragraph: int  # 1-based within the section (within the document when section is "")
    text: str
    source: int = 0  # the paragraph it comes from: 0-based, reading order, table cells in place
    offset: int = 0  # where `text` starts within that paragraph


@dataclass(frozen=True)
class _Block:
    """A body paragraph, or all paragraphs of one table cell, with their reading-order indexes."""

    paragraphs: list[tuple[int, str]]
    cell: int | None = None  # 1-based number of the table cell, None for a body paragraph


def docx_passages(document: DocxDocument) -> list[Passage]:
    """The passages of a memo or announcement .docx; other files get one per paragraph."""
    blocks = list(_blocks(document))
    kind = _document_kind(blocks)
    if kind == MEMO:
        return list(_memo_passages(blocks))
    if kind == ANNOUNCEMENT:
        return list(_announcement_passages(blocks))
    texts = [(index, text) for block in blocks for index, text in block.paragraphs if text.strip()]
    return [Passage("", "", n, text, source=index) for n, (index, text) in enumerate(texts, start=1)]


def announcement_text_passages(text: AnnouncementText) -> list[Passage]:
    """The passages of an announcement from its rendered words, numbered as the builder prints."""
    parts = [
        (ANNOUNCEMENT_TITLE_SECTION, [f"ประกาศ{text.organisation_name}"]),
        (SUBJECT_SECTION, [f"เรื่อง {text.subject}"]),
        (PREAMBLE_SECTION, [*text.preamble, *([text.measures_heading] if text.measures_heading else [])]),
    ]
    for number, measure in enumerate(text.measures, start=1):
        first, *rest = [line.strip() for line in measure.splitlines() if line.strip()]
        parts.append((MEASURE_SECTION.format(number=to_thai_digits(number)), [f"{thai_number(number)} {first}", *rest]))
    parts.append((ANNOUNCEMENT_END_SECTION, [line for line in text.closing.splitlines() if line.strip()]))
    passages, source = [], 0
    for section, texts in parts:
        for paragraph, line in enumerate(texts, start=1):
            passages.append(Passage(ANNOUNCEMENT, section, paragraph, line, source=source))
            source += 1
    return passages


def memo_text_passages(ctx: MemoContext) -> list[Passage]:
    """The parts of a memo its drafter types (เรื่อง, เรียน, the four body sections and the
    closing), placed and numbered as docx_passages finds them in the built memo, without building
    it: the memo form's live preview proofreads these as the officer types. The letterhead, the
    register number, the date and the signature come from records, not from the typing."""
    legal = [f"{thai_number(i)} {item}" for i, item in enumerate(ctx.legal_basis, start=1)]
    parts = [
        ("เรื่อง", [f"เรื่อง {ctx.subject}"]),
        ("เรียน", [f"เรียน {ctx.addressee}"]),
        *zip(
            SECTION_HEADINGS,
            (ctx.origin.splitlines(), ctx.facts.splitlines(), legal, ctx.considerations.splitlines()),
            strict=True,
        ),
        (MEMO_END_SECTION, [ctx.closing]),
    ]
    passages = []
    for section, texts in parts:
        kept = [text.strip() for text in texts if text.strip()]
        passages += [Passage(MEMO, section, n, text, source=len(passages) + n - 1) for n, text in enumerate(kept, 1)]
    return passages


def _blocks(document: DocxDocument) -> Iterator[_Block]:
    index, cell_number = 0, 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            yield _Block([(index, _text(item))])
            index += 1
            continue
        for cell_paragraphs in _cells(item):
            cell_number += 1
            yield _Block([(index + i, _text(p)) for i, p in enumerate(cell_paragraphs)], cell=cell_number)
            index += len(cell_paragraphs)


def _cells(table: Table) -> Iterator[list[Paragraph]]:
    seen: set[int] = set()
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) not in seen:  # a merged cell is returned once per grid column it spans
                seen.add(id(cell._tc))
                yield list(cell.paragraphs)


def _text(paragraph: Paragraph) -> str:
    # A manual line break would split a paragraph in two for a reader: keep it as a space. The
    # builders print "พ.ศ. ๒๕๖๔" and names with non-breaking spaces (documents.docx.nonbreaking):
    # they are checked as the spaces that were typed, one character for one, so columns hold.
    return paragraph.text.replace("\n", " ").replace(NBSP, " ")


def _document_kind(blocks: Sequence[_Block]) -> str:
    first_texts = [text.strip() for block in blocks[:6] if block.cell is None for _, text in block.paragraphs]
    first_texts = [text for text in first_texts if text][:3]
    if any("บันทึกข้อความ" in text for text in first_texts):
        return MEMO
    if any(text.startswith("ประกาศ") for text in first_texts):
        return ANNOUNCEMENT
    return ""


class _Numbering:
    """Paragraph numbers per section, in order of appearance."""

    def __init__(self, document: str) -> None:
        self.document = document
        self.counts: dict[str, int] = {}

    def passage(self, section: str, text: str, source: int, offset: int = 0) -> Passage:
        self.counts[section] = self.counts.get(section, 0) + 1
        return Passage(self.document, section, self.counts[section], text, source, offset)


def _memo_passages(blocks: Sequence[_Block]) -> Iterator[Passage]:
    numbering = _Numbering(MEMO)
    section = MEMO_TITLE_SECTION
    for block in blocks:
        if block.cell is not None:
            # Below minutes, the initials block is the table's last row (documents.docx.memo).
            stages = all(_STAGE_LINE.search(t) for _, t in block.paragraphs)
            minute = STAGE_SECTION if stages else MINUTE_SECTION.format(number=to_thai_digits(block.cell))
            yield from (numbering.passage(minute, t, i) for i, t in block.paragraphs if t.strip())
            continue
        ((index, text),) = block.paragraphs
        if text.strip() in SECTION_HEADINGS:
            section = text.strip()
        elif section == MEMO_TITLE_SECTION and _FIELD.match(text):
            yield from _field_passages(numbering, index, text)
        elif text.strip():
            section = _memo_section_of(section, text)
            yield numbering.passage(section, text, index)


def _memo_section_of(section: str, text: str) -> str:
    if _STAGE_LINE.search(text) and section in (MEMO_END_SECTION, STAGE_SECTION, SECTION_HEADINGS[-1]):
        return STAGE_SECTION
    if section == SECTION_HEADINGS[-1] and _MEMO_CLOSING.match(text):
        return MEMO_END_SECTION
    return section


def _field_passages(numbering: _Numbering, index: int, text: str) -> Iterator[Passage]:
    """ "ที่ ...<tab>วันที่ ...<tab>": one passage per field, each in the section of its label."""
    offset = 0
    for part in text.split("\t"):
        match = _FIELD.match(part)
        if part.strip():
            label = match["label"] if match else MEMO_TITLE_SECTION
            yield numbering.passage(label, part, index, offset)
        offset += len(part) + 1


def _announcement_passages(blocks: Sequence[_Block]) -> Iterator[Passage]:
    numbering = _Numbering(ANNOUNCEMENT)
    section = ANNOUNCEMENT_TITLE_SECTION
    for block in blocks:
        if block.cell is not None:
            cell = TABLE_SECTION.format(number=to_thai_digits(block.cell))
            yield from (numbering.passage(cell, t, i) for i, t in block.paragraphs if t.strip())
            continue
        ((index, text),) = block.paragraphs
        if not text.strip() or _RULE.match(text) or text.strip() == GARUDA_PLACEHOLDER:
            continue
        section = _announcement_section_of(section, text)
        yield numbering.passage(section, text, index)


def _announcement_section_of(section: str, text: str) -> str:
    if section == ANNOUNCEMENT_TITLE_SECTION:
        return SUBJECT_SECTION if text.strip().startswith("เรื่อง") else section
    if section in (DATE_SECTION, SIGNATURE_SECTION):
        return SIGNATURE_SECTION
    if _DATE_LINE.match(text):
        return DATE_SECTION
    if _ANNOUNCEMENT_CLOSING.match(text) or section == ANNOUNCEMENT_END_SECTION:
        return ANNOUNCEMENT_END_SECTION
    if measure := _MEASURE.match(text):
        return MEASURE_SECTION.format(number=to_thai_digits(measure["number"]))
    return PREAMBLE_SECTION if section == SUBJECT_SECTION else section
