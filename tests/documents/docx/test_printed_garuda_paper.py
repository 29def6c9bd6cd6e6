"""On printed Garuda paper the emblem's room is left blank: the PDF never says "[ตราครุฑ]", and the
pages break where they do with the placeholder (the room keeps its height)."""

import dataclasses
import shutil

import pytest

from documents.docx.announcement import build_announcement_docx
from documents.docx.blocks import GARUDA_PLACEHOLDER
from documents.docx.memo import build_memo_docx
from documents.pdf.paginated import PaginatedDocument, pdfs_with_continuations
from documents.pdf.soffice import soffice_available
from documents.pdf.text import pdf_page_texts
from documents.text.sample_004 import announcement_004, memo_004

pytestmark = pytest.mark.skipif(
    not soffice_available() or shutil.which("pdftotext") is None, reason="LibreOffice and poppler-utils are needed"
)


def printed(tmp_path, *, preprinted: bool) -> dict[str, list[str]]:
    """The 004 memo and announcement as PDF pages' text, on plain or printed Garuda paper."""
    memo = memo_004()
    memo = dataclasses.replace(memo, letterhead=dataclasses.replace(memo.letterhead, garuda_preprinted=preprinted))
    announcement = dataclasses.replace(announcement_004(), garuda_preprinted=preprinted)
    made = pdfs_with_continuations(
        [
            PaginatedDocument("memo", lambda marks: build_memo_docx(memo, continuations=marks)),
            PaginatedDocument("announcement", lambda marks: build_announcement_docx(announcement, continuations=marks)),
        ],
        tmp_path / ("printed" if preprinted else "plain"),
    )
    return {result.stem: pdf_page_texts(result.pdf) for result in made}


def test_printed_garuda_paper_leaves_the_emblem_blank_and_the_pages_unchanged(tmp_path):
    plain, on_garuda_paper = printed(tmp_path, preprinted=False), printed(tmp_path, preprinted=True)
    for stem in ("memo", "announcement"):
        assert GARUDA_PLACEHOLDER in plain[stem][0]  # the test can tell the difference
        assert not any(GARUDA_PLACEHOLDER in page for page in on_garuda_paper[stem]), stem
        assert "ตราครุฑ" not in "".join(on_garuda_paper[stem])
        assert len(on_garuda_paper[stem]) == len(plain[stem]), stem
