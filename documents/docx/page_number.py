r"""The Thai page number "- ๒ -" centred at the top of every page but the first.

Thai official documents do not number the first page; later pages carry the number between dashes
at the top centre. The number is a PAGE field so it follows the real layout.

Word and LibreOffice each honour a different way of asking for Thai digits, and misread the other's:

- Word: a PAGE field without a format switch takes the section's number format, and
  <w:pgNumType w:fmt="thaiNumbers"/> is Thai digits, so Word shows "- ๒ -". LibreOffice 7.4
  ignores that format (it printed "2", checked).
- Word's field switch PAGE \* ThaiArabic means Thai digits too, but LibreOffice 7.4 maps
  ThaiArabic, ThaiLetter and ThaiCardText all to Thai *letters*: "- ข -" (checked), so it is not
  used.
- LibreOffice: documents.pdf.soffice turns on its "Context" numerals option, which draws the digits of
  Thai-tagged text with Thai digit glyphs. The field's runs are tagged th-TH for that (the
  document default for Latin text is en-US, documents.docx.language), so the PDF prints "- ๒ -"
  (its text layer holds "2").

The field's cached result is "๒", what a reader sees before the fields are updated.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.text.paragraph import Paragraph

from documents.docx.language import language_attributes_xml
from documents.docx.thai import add_thai_runs

PAGE_FIELD_INSTRUCTION = "PAGE"
THAI_PAGE_NUMBER_FORMAT = "thaiNumbers"  # ST_NumberFormat: Thai digits ๑ ๒ ๓
CACHED_PAGE_NUMBER = "๒"  # the first numbered page is page 2

# w:sectPr children that come after w:pgNumType in the schema; it goes before the first present.
_AFTER_PG_NUM_TYPE = ("cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection",
                      "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")  # fmt: skip


def number_pages_from_the_second(section: Section) -> None:
    """A blank first-page header (titlePg) and "- <page> -" in Thai digits on the pages after it."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # explicit and empty on page one
    set_page_number_format(section, THAI_PAGE_NUMBER_FORMAT)
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_thai_runs(paragraph, "- ")
    add_field(paragraph, PAGE_FIELD_INSTRUCTION, shown=CACHED_PAGE_NUMBER)
    add_thai_runs(paragraph, " -")


def set_page_number_format(section: Section, number_format: str) -> None:
    """<w:pgNumType w:fmt=...> in the section's properties, at its schema position."""
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:pgNumType")):
        sect_pr.remove(old)
    element = sect_pr.makeelement(qn("w:pgNumType"), {qn("w:fmt"): number_format})
    later = {qn(f"w:{tag}") for tag in _AFTER_PG_NUM_TYPE}
    successor = next((child for child in sect_pr if child.tag in later), None)
    if successor is None:
        sect_pr.append(element)
    else:
        successor.addprevious(element)


def add_field(paragraph: Paragraph, instruction: str, *, shown: str) -> None:
    """A complex field in Thai-tagged runs; `shown` is the cached result a reader sees before
    fields are updated."""
    rpr = f"<w:rPr><w:lang {language_attributes_xml(latin=False)}/></w:rPr>"
    for run_xml in (
        '<w:r {ns}>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r {ns}>{rpr}<w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        '<w:r {ns}>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r {ns}>{rpr}<w:t>{shown}</w:t></w:r>",
        '<w:r {ns}>{rpr}<w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(run_xml.format(ns=nsdecls("w"), rpr=rpr, instruction=instruction, shown=shown)))
