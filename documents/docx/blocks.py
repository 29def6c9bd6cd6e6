"""Blocks that memos and announcements share: the Garuda emblem and the signature block."""

from __future__ import annotations

import io

from docx.enum.text import WD_LINE_SPACING
from docx.shared import Cm, Length
from docx.text.paragraph import Paragraph

from documents.context import Signatory
from documents.docx.thai import add_centred_lines, add_thai_paragraph, add_thai_runs, set_rpr_child
from documents.thai_format import signature_lines

GARUDA_PLACEHOLDER = "[ตราครุฑ]"
_PLACEHOLDER_SIZE_PT = 12

# Room left blank for the handwritten (or typed, under amendment 4 of 2564) signature.
SIGNATURE_SPACE = Cm(1.2)


def add_garuda(paragraph: Paragraph, image: bytes | None, height: Length, *, preprinted: bool = False) -> None:
    """The organisation's emblem at `height`, or a marked placeholder holding the same height;
    on printed Garuda paper (`preprinted`), the same height left blank under the printed emblem.

    The emblem is not available offline and its use is regulated, so the organisation supplies it;
    the placeholder keeps the page layout (and so the page count) the same as with the real image.
    """
    if preprinted:
        _hold_height(paragraph, height)
        return
    if image is not None:
        paragraph.add_run().add_picture(io.BytesIO(image), height=height)
        return
    for run in add_thai_runs(paragraph, GARUDA_PLACEHOLDER, size_pt=_PLACEHOLDER_SIZE_PT):
        set_rpr_child(run._r.get_or_add_rPr(), "bdr", val="single", sz="4", space="0", color="auto")
    _hold_height(paragraph, height)


def _hold_height(paragraph: Paragraph, height: Length) -> None:
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    paragraph.paragraph_format.line_spacing = height


def add_signature_block(container, signatory: Signatory, *, left_indent: Length) -> list[Paragraph]:
    """Blank room for the signature, then rank, "(name)" and position lines, centred in their band.

    The band runs from `left_indent` to the right margin; centring within it is how Thai offices
    place signatures (the right part of the page, not the page centre).
    """
    blank = add_thai_paragraph(container)
    blank.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    blank.paragraph_format.line_spacing = SIGNATURE_SPACE
    return [
        blank,
        *add_centred_lines(container, signature_lines(signatory), left_indent=left_indent),
    ]


def keep_together(paragraphs: list[Paragraph]) -> None:
    """Keep a block on one page: each paragraph stays with the next and is not split."""
    for paragraph in paragraphs[:-1]:
        paragraph.paragraph_format.keep_with_next = True
    for paragraph in paragraphs:
        paragraph.paragraph_format.keep_together = True
