"""Rendering speed of the documents: .docx per memo and per announcement, PDF per document.

    uv run python -m bench.documents --runs 20 --batch 8

Prints the median seconds to build one 004 memo .docx (four minutes) and one 004 announcement
.docx (Jinja2 text included) over --runs runs, then PDF seconds per document for --batch documents
(memos and announcements alternating) converted in one soffice call, one call per document, and
with continuation words (two passes, see documents.pdf.paginated). Needs LibreOffice for the PDF
part; the TH Sarabun stand-in is used as in production when the real font is not installed.
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from documents.docx.announcement import build_announcement_docx
from documents.docx.memo import build_memo_docx
from documents.pdf.paginated import PaginatedDocument, pdfs_with_continuations
from documents.pdf.preview_fonts import sarabun_metrics_env
from documents.pdf.soffice import convert_to_pdf, soffice_available
from documents.text.sample_004 import announcement_004, memo_004


def median_seconds(action: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def batch_of_documents(work: Path, count: int) -> list[Path]:
    memo, announcement = build_memo_docx(memo_004()), build_announcement_docx(announcement_004())
    paths = []
    for index in range(count):
        path = work / f"doc-{index:02d}.docx"
        path.write_bytes(memo if index % 2 == 0 else announcement)
        paths.append(path)
    return paths


def pdf_figures(batch: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="saraban-bench-") as scratch:
        work = Path(scratch)
        env = sarabun_metrics_env(work / "fonts")
        paths = batch_of_documents(work, batch)
        convert_to_pdf(paths[:1], work / "warm-up", env=env)  # fontconfig cache, disk cache
        one_call = timed(lambda: convert_to_pdf(paths, work / "one-call", env=env))
        per_document = timed(lambda: [convert_to_pdf([p], work / "per-doc", env=env) for p in paths])
        memo, announcement = memo_004(), announcement_004()
        documents = [
            PaginatedDocument(f"memo-{i}", lambda marks: build_memo_docx(memo, continuations=marks))
            if i % 2 == 0
            else PaginatedDocument(
                f"announcement-{i}", lambda marks: build_announcement_docx(announcement, continuations=marks)
            )
            for i in range(batch)
        ]
        continued = timed(lambda: pdfs_with_continuations(documents, work / "continued", env=env))
    return {
        "one soffice call for the batch": one_call / batch,
        "one soffice call per document": per_document / batch,
        "with continuation words (2 calls)": continued / batch,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs for the .docx medians")
    parser.add_argument("--batch", type=int, default=8, help="documents per PDF batch")
    args = parser.parse_args()

    build_memo_docx(memo_004())  # imports and first-use caches out of the figures
    memo = median_seconds(lambda: build_memo_docx(memo_004()), args.runs)
    announcement = median_seconds(lambda: build_announcement_docx(announcement_004()), args.runs)
    print(f".docx, median of {args.runs} runs:")
    print(f"  memo (004, four minutes)      {memo * 1000:8.1f} ms")
    print(f"  announcement (004, template)  {announcement * 1000:8.1f} ms")
    if not soffice_available():
        print("PDF: LibreOffice (soffice) is not installed; skipped")
        return
    print(f"PDF seconds per document, batch of {args.batch} (memos and announcements alternating):")
    for label, seconds in pdf_figures(args.batch).items():
        print(f"  {label:36} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
