"""python-docx helpers that make Thai text come out right in Word and LibreOffice.

Thai is a complex script: word processors take its font from rFonts/@cs, its size from szCs and its
bold from bCs. python-docx's font.name/size/bold set only the Latin ones, so a run set that way
prints Thai at the default size, not bold, in a fallback font. This module fixes the document
defaults once and offers a run helper that always sets the Latin and complex-script properties
together, and writes Latin and Thai text as separate runs tagged with their own language
(documents.docx.language).
"""

from __future__ import annotations

from collections.abc import Iterable

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Length, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from documents.docx.language import DEFAULT_LANGUAGES, run_languages, script_segments
from documents.docx.nonbreaking import bind_phrases

DEFAULT_FONT = "TH SarabunIT๙"  # the font the correspondence regulation's typing standard names
BODY_SIZE_PT = 16

# Word users expect w:jc="thaiDistribute" for Thai, but LibreOffice 7.4 lays it out as left-aligned,
# while "both" justifies well in both programs. "distribute" splits vowels and tone marks off their
# letters, so it is never used.
THAI_JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY  # serialises as w:jc="both"

FIRST_LINE_INDENT = Cm(2.5)

A4_WIDTH, A4_HEIGHT = Cm(21), Cm(29.7)
MARGIN_LEFT, MARGIN_RIGHT = Cm(3), Cm(2)
MARGIN_TOP, MARGIN_BOTTOM = Cm(2.5), Cm(2)
TEXT_WIDTH = Length(A4_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)

# The schema fixes the order of w:rPr children; Word reports a corrupt file when it is not kept.
_RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
    "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
    "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
    "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath",
)  # fmt: skip

_THEME_FONT_ATTRIBUTES = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def new_thai_document(font: str = DEFAULT_FONT) -> DocxDocument:
    """An empty A4 document whose defaults already print Thai in `font` at 16 pt."""
    document = Document()
    _replace_document_defaults(document, font)
    _strip_theme_fonts(document)
    set_a4_page(document.sections[0])
    return document


def _replace_document_defaults(document: DocxDocument, font: str) -> None:
    # The default template says 11 pt, theme fonts, bidi ar-SA, 1.15 lines and 10 pt after each
    # paragraph; replacing the defaults saves patching every run and paragraph.
    doc_defaults = document.styles.element.find(qn("w:docDefaults"))
    doc_defaults.clear()
    doc_defaults.append(parse_xml(_RPR_DEFAULT_XML.format(nsdecls=nsdecls("w"), font=font)))
    doc_defaults.append(parse_xml(_PPR_DEFAULT_XML.format(nsdecls=nsdecls("w"))))


_DEFAULT_LANG_ATTRIBUTES = " ".join(f'w:{name}="{value}"' for name, value in DEFAULT_LANGUAGES.items())
_RPR_DEFAULT_XML = (
    "<w:rPrDefault {nsdecls}><w:rPr>"
    '<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
    f'<w:sz w:val="{BODY_SIZE_PT * 2}"/><w:szCs w:val="{BODY_SIZE_PT * 2}"/>'
    f"<w:lang {_DEFAULT_LANG_ATTRIBUTES}/>"
    "</w:rPr></w:rPrDefault>"
)
_PPR_DEFAULT_XML = (
    "<w:pPrDefault {nsdecls}><w:pPr>"
    '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
    "</w:pPr></w:pPrDefault>"
)


def _strip_theme_fonts(document: DocxDocument) -> None:
    # A theme font attribute wins over a named font, so the template's styles (headings, titles)
    # would print in Calibri/Cambria; without them every style inherits the default font.
    for rfonts in document.styles.element.iter(qn("w:rFonts")):
        for name in _THEME_FONT_ATTRIBUTES:
            rfonts.attrib.pop(qn(f"w:{name}"), None)
        if not rfonts.attrib:
            rfonts.getparent().remove(rfonts)


def set_a4_page(section: Section) -> None:
    """A4 with the margins of the correspondence regulation's typing standard."""
    section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM


def add_thai_runs(paragraph: Paragraph, text: str, *, bold: bool = False, size_pt: float | None = None) -> list[Run]:
    """Runs whose bold and size apply to Thai too (b+bCs, sz+szCs): one per script, each tagged
    with its language (Latin en-US, Thai th-TH). Spaces inside a phrase that must not break over
    two lines ("พ.ศ. ๒๕๖๔", a name with its surname) are written non-breaking (documents.docx.nonbreaking)."""
    return [
        _add_run(paragraph, segment, latin, bold=bold, size_pt=size_pt)
        for segment, latin in script_segments(bind_phrases(text))
    ]


def _add_run(paragraph: Paragraph, text: str, latin: bool, *, bold: bool, size_pt: float | None) -> Run:
    run = paragraph.add_run(text)
    rpr = run._r.get_or_add_rPr()
    if bold:
        set_rpr_child(rpr, "b")
        set_rpr_child(rpr, "bCs")
    if size_pt is not None:
        half_points = str(round(size_pt * 2))
        set_rpr_child(rpr, "sz", val=half_points)
        set_rpr_child(rpr, "szCs", val=half_points)
    set_rpr_child(rpr, "lang", **run_languages(latin))
    return run


def set_rpr_child(rpr: BaseOxmlElement, tag: str, **attributes: str) -> BaseOxmlElement:
    """Put <w:tag w:attr=...> into a w:rPr at its schema position, replacing an existing one."""
    for old in rpr.findall(qn(f"w:{tag}")):
        rpr.remove(old)
    child = rpr.makeelement(qn(f"w:{tag}"), {qn(f"w:{k}"): v for k, v in attributes.items()})
    later_tags = {qn(f"w:{t}") for t in _RPR_ORDER[_RPR_ORDER.index(tag) + 1 :]}
    successor = next((c for c in rpr if c.tag in later_tags), None)
    if successor is None:
        rpr.append(child)
    else:
        successor.addprevious(child)
    return child


def add_thai_paragraph(
    container,
    text: str = "",
    *,
    bold: bool = False,
    size_pt: float | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    first_line_indent: Length | None = None,
    left_indent: Length | None = None,
    space_before_pt: float = 0,
) -> Paragraph:
    """A paragraph with one Thai run; `container` is a document, header, or table cell."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if first_line_indent is not None:
        fmt.first_line_indent = first_line_indent
    if left_indent is not None:
        fmt.left_indent = left_indent
    if space_before_pt:
        fmt.space_before = Pt(space_before_pt)
    if text:
        add_thai_runs(paragraph, text, bold=bold, size_pt=size_pt)
    return paragraph


def add_body_paragraph(container, text: str, *, space_before_pt: float = 0) -> Paragraph:
    """A justified body paragraph whose first line is indented 2.5 cm."""
    return add_thai_paragraph(
        container,
        text,
        align=THAI_JUSTIFY,
        first_line_indent=FIRST_LINE_INDENT,
        space_before_pt=space_before_pt,
    )


def add_centred_lines(container, lines: Iterable[str], *, left_indent: Length | None = None) -> list[Paragraph]:
    """One centred paragraph per line, e.g. a signature block centred within its band."""
    return [
        add_thai_paragraph(container, line, align=WD_ALIGN_PARAGRAPH.CENTER, left_indent=left_indent) for line in lines
    ]
