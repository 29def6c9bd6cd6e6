"""PDFs whose pages carry continuation words (คำต่อเนื่อง), made in two LibreOffice passes.

Pass 1 converts the documents as built (all in one soffice call) and reads each page's text back;
documents.pdf.continuation_words finds the first word of every page after the first and a paragraph
on the page before to anchor its mark. Pass 2 rebuilds the documents that run over a page with
their marks and converts them (again one call). The marks sit outside the text flow, so pass 2
must break pages where pass 1 did; that is checked (page count, the start of every page, each mark
on its page), and a document that fails the check keeps its pass-1 PDF and .docx, without marks,
with the reason in `problems`: a PDF without words beats one whose words point to the wrong text.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from documents.context import MemoContext
from documents.docx.continuation import CONTINUATION_SUFFIX, ContinuationMark, body_paragraph_texts
from documents.docx.memo import build_memo_docx
from documents.docx.thai import DEFAULT_FONT
from documents.pdf.continuation_words import (
    find_continuations,
    page_body_lines,
    page_start_key,
    skeleton,
)
from documents.pdf.office_server import convert_with_sarabun_metrics
from documents.pdf.soffice import convert_to_pdf
from documents.pdf.text import PopplerMissing, pdf_page_texts, poppler_available

BuildWithMarks = Callable[[Sequence[ContinuationMark]], bytes]


@dataclass(frozen=True)
class PaginatedDocument:
    """A document to convert: its file stem and how to build it with a given set of marks."""

    stem: str  # unique within one call: soffice names each PDF after its input file
    build: BuildWithMarks


@dataclass(frozen=True)
class PaginatedPdf:
    stem: str
    docx: bytes  # the .docx whose layout the PDF shows, marks included
    pdf: Path
    pages: int  # 0 when pdftotext is missing and the pages could not be read
    marks: list[ContinuationMark] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # pages left without a mark, and why


def pdfs_with_continuations(
    documents: Sequence[PaginatedDocument],
    out_dir: Path,
    *,
    env: Mapping[str, str] | None = None,
) -> list[PaginatedPdf]:
    """Write <out_dir>/<stem>.pdf for every document; at most two LibreOffice passes in all.

    `env` is passed to soffice; when None, the documents print with TH Sarabun's metrics (the real
    font or the Laksaman stand-in, see documents.pdf.preview_fonts) so pages break as they will on
    paper: on the machine's office server when one runs (documents.pdf.office_server).
    """
    stems = [d.stem for d in documents]
    if len(set(stems)) != len(stems):
        raise ValueError(f"document stems must be unique in one call: {stems}")
    with tempfile.TemporaryDirectory(prefix="saraban-paginate-") as scratch:
        work = Path(scratch)
        first = _convert({d.stem: d.build(()) for d in documents}, work / "pass1", env)
        if not poppler_available():  # the PDFs are fine, only the words cannot be found
            return [_publish(d.stem, _without_marks(first[d.stem]), out_dir) for d in documents]
        found = {stem: find_continuations(body_paragraph_texts(p.docx), p.pages)
                 for stem, p in first.items() if len(p.pages) > 1}  # fmt: skip
        builders = {d.stem: d.build for d in documents}
        marked = {stem: builders[stem](marks) for stem, (marks, _) in found.items() if marks}
        second = _convert(marked, work / "pass2", env) if marked else {}
        results = []
        for d in documents:
            marks, problems = found.get(d.stem, ([], []))
            chosen = _choose(first[d.stem], second.get(d.stem), marks, problems)
            results.append(_publish(d.stem, chosen, out_dir))
        return results


def memo_pdf_with_continuations(
    ctx: MemoContext,
    out_dir: Path,
    *,
    stem: str = "memo",
    font: str = DEFAULT_FONT,
    env: Mapping[str, str] | None = None,
) -> Path:
    """The memo as <out_dir>/<stem>.pdf with a continuation word at the foot of every page but
    the last. For the matching .docx use pdfs_with_continuations (its result carries the bytes)."""
    document = PaginatedDocument(stem, lambda marks: build_memo_docx(ctx, font=font, continuations=marks))
    (result,) = pdfs_with_continuations([document], out_dir, env=env)
    return result.pdf


@dataclass(frozen=True)
class _Pass:
    """One document as converted in one pass, with marks as given to its builder."""

    docx: bytes
    pdf: Path
    pages: list[str]  # each page's text
    marks: list[ContinuationMark] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _convert(docx_by_stem: Mapping[str, bytes], work: Path, env: Mapping[str, str] | None) -> dict[str, _Pass]:
    work.mkdir(parents=True)
    paths = []
    for stem, data in docx_by_stem.items():
        path = work / f"{stem}.docx"
        path.write_bytes(data)
        paths.append(path)
    if env is None:
        pdfs = convert_with_sarabun_metrics(paths, work, work.parent)
    else:
        pdfs = convert_to_pdf(paths, work, env=env)
    read_pages = pdf_page_texts if poppler_available() else lambda _pdf: []
    return {
        stem: _Pass(data, pdf, read_pages(pdf)) for (stem, data), pdf in zip(docx_by_stem.items(), pdfs, strict=True)
    }


def _without_marks(first: _Pass) -> _Pass:
    return _Pass(first.docx, first.pdf, first.pages, [], [str(PopplerMissing())])


def _choose(first: _Pass, second: _Pass | None, marks: list[ContinuationMark], problems: list[str]) -> _Pass:
    if second is None:  # no page's word could be placed
        return _Pass(first.docx, first.pdf, first.pages, [], problems)
    moved = breaks_moved(first.pages, second.pages, marks)
    if moved:
        kept = f"{moved}; kept the PDF and .docx without continuation words"
        return _Pass(first.docx, first.pdf, first.pages, [], [*problems, kept])
    return _Pass(second.docx, second.pdf, second.pages, marks, problems)


def breaks_moved(before: list[str], after: list[str], marks: Sequence[ContinuationMark]) -> str:
    """Why the marked PDF does not match the unmarked one, or "" when every page starts alike
    and every mark is the last line of its page."""
    if len(before) != len(after):
        return f"the marks changed the page count from {len(before)} to {len(after)}"
    for number, (old, new) in enumerate(zip(before, after, strict=True), start=1):
        if page_start_key(old) != page_start_key(new):
            return f"page {number} starts elsewhere once the marks are added"
    for mark in marks:
        last_line = (page_body_lines(after[mark.page - 1]) or [""])[-1]
        if skeleton(mark.word) not in skeleton(last_line) or CONTINUATION_SUFFIX not in last_line:
            return f"the mark {mark.text!r} is not at the foot of page {mark.page}"
    return ""


def _publish(stem: str, chosen: _Pass, out_dir: Path) -> PaginatedPdf:
    # The scratch directory goes away; the PDF is moved out under its final name.
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{stem}.pdf"
    shutil.move(chosen.pdf, target)
    return PaginatedPdf(stem, chosen.docx, target, len(chosen.pages), chosen.marks, chosen.problems)
