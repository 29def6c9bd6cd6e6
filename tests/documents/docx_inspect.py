"""Reading built .docx bytes back for tests: paragraphs through python-docx, raw parts as XML."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

NBSP = "\u00a0"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def reopen(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def part_xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def all_paragraph_texts(data: bytes, *, exact: bool = False) -> list[str]:
    """Every paragraph's text in body order, table cells included (minutes live in a table).

    The builders write the spaces of "พ.ศ. ๒๕๖๔" and the like as U+00A0 (documents.docx.nonbreaking);
    they read as the spaces they print as, unless `exact` (tests/documents/docx/test_print_details.py).
    """
    body = reopen(data).element.body
    texts = [Paragraph(p, None).text for p in body.iter(qn("w:p"))]  # .text renders w:tab as "\t"
    return texts if exact else [text.replace(NBSP, " ") for text in texts]


def header_texts(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith("word/header")]
        return ["".join(etree.fromstring(archive.read(n)).itertext()) for n in names]


def runs_with_text(data: bytes, text: str) -> list[etree._Element]:
    body = part_xml(data, "word/document.xml")
    return [r for r in body.iter(qn("w:r")) if text in "".join(t.text or "" for t in r.iter(qn("w:t")))]


def attr(element: etree._Element, name: str) -> str | None:
    return element.get(qn(f"w:{name}"))


def page_number_field(data: bytes) -> tuple[str, str | None, str]:
    """(PAGE field instruction, the section's page number format, the default header's text as
    shown before fields update) of built .docx bytes."""
    section = reopen(data).sections[0]
    header = section.header._element  # the default header: pages after the first
    (instruction,) = [t.text.strip() for t in header.iter(qn("w:instrText"))]
    number_type = section._sectPr.find(qn("w:pgNumType"))
    number_format = None if number_type is None else number_type.get(qn("w:fmt"))
    shown = "".join(t.text or "" for t in header.iter(qn("w:t")))
    return instruction, number_format, shown
