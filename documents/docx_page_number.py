r"""The Thai page number "- ๒ -" centred at the top of every page but the first.

Thai official documents do not number the first page; later pages carry the number between dashes
at the top centre. The number is a PAGE field so it follows the real layout.

Why a plain PAGE field and not PAGE \* ThaiArabic (Word's switch for Thai digits): LibreOffice 7.4
maps ThaiArabic, ThaiLetter and ThaiCardText all to Thai letters, so page 2 printed "- ข -" in the
PDF (checked); the section-level <w:pgNumType w:fmt="thaiNumbers"/> is ignored by it. PDFs are
made with LibreOffice here, and documents.pdf turns on its "Context" numerals option, which draws
the number with Thai digit glyphs ("- ๒ -" on paper, "2" in the PDF's text layer). Word shows "2"
unless its own numeral option is "Context"; pass THAI_DIGIT_PAGE_FIELD for Word-only output.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.section import Section
from docx.text.paragraph import Paragraph

from documents.docx_thai import add_thai_run

PAGE_FIELD_INSTRUCTION = "PAGE"
THAI_DIGIT_PAGE_FIELD = r"PAGE \* ThaiArabic"  # right in Word, Thai letters in LibreOffice 7.4


def number_pages_from_the_second(
    section: Section, *, instruction: str = PAGE_FIELD_INSTRUCTION
) -> None:
    """A blank first-page header (titlePg) and "- <page> -" on the pages after it."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # explicit and empty on page one
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_thai_run(paragraph, "- ")
    add_field(paragraph, instruction, shown="2")
    add_thai_run(paragraph, " -")


def add_field(paragraph: Paragraph, instruction: str, *, shown: str) -> None:
    """A complex field; `shown` is the cached result a reader sees before fields are updated."""
    for run_xml in (
        '<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r {ns}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r {ns}><w:t>{shown}</w:t></w:r>",
        '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(
            parse_xml(run_xml.format(ns=nsdecls("w"), instruction=instruction, shown=shown))
        )
