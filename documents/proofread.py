"""Automated proofreading that runs before the human proofreader (ทาน) confirms a document.

Pure functions over text: they report findings with suggestions and never change the text.
    proofread(text, register_prefix=..., expected_dates=...) -> list[ProofreadWarning]
    proofread_file(path, ...)  # .txt, .md or .docx
    proofread_docx(path, ...)  # one line per paragraph (body paragraphs and table cells, in order)
Word lists are loaded on first use (about 1 s, once per process); call warm_up() at start-up to
pay that early. Nothing is downloaded: see documents.proofread_lexicon.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from documents.proofread_dates import ExpectedDates
from documents.proofread_dates import date_warnings
from documents.proofread_digits import digit_warnings
from documents.proofread_lexicon import warm_up
from documents.proofread_marks import mark_warnings
from documents.proofread_register import register_warnings
from documents.proofread_spelling import spelling_warnings
from documents.proofread_warning import ProofreadWarning

Warning = ProofreadWarning  # the name used in the project brief; shadows the builtin only via this import

KINDS = frozenset({
    "spelling",  # known misspelling, typo that splits into valid words, or unknown word near a known one
    "split-word",  # a stray space inside a word ("เข้า มามีส่วนร่วม")
    "mixed-digits",  # the minority digit style in a document mixing ๐-๙ and 0-9
    "zero-width",  # U+200B, U+200C, U+200D, U+FEFF, U+2060
    "double-space",  # two or more spaces between words
    "sara-e-e",  # เเ typed for แ
    "repeated-mark",  # a doubled vowel or tone mark, or two tone marks
    "date-invalid",  # a date that does not exist (๓๑ กุมภาพันธ์)
    "date-year",  # a Gregorian year where a BE year is expected
    "date-mismatch",  # a date that disagrees with the record, or a memo dated after its announcement
    "register-format",  # a ที่ header not in the "<prefix>/<number>" form
    "placeholder",  # template syntax or a blank left unfilled
})

TEXT_SUFFIXES = frozenset({".txt", ".md"})

__all__ = [
    "KINDS",
    "ExpectedDates",
    "ProofreadError",
    "ProofreadWarning",
    "Warning",
    "proofread",
    "proofread_docx",
    "proofread_file",
    "warm_up",
]


class ProofreadError(ValueError):
    """The file cannot be proofread: missing, unreadable, or of an unsupported type."""


def proofread(
    text: str,
    *,
    register_prefix: str | None = None,
    expected_dates: ExpectedDates | None = None,
) -> list[ProofreadWarning]:
    """All findings, ordered by position. register_prefix e.g. "อท ๕๓๗๐๑.๔"."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    found = [
        *spelling_warnings(lines),
        *mark_warnings(lines),
        *digit_warnings(lines),
        *date_warnings(lines, expected_dates),
        *register_warnings(lines, register_prefix),
    ]
    return sorted(_drop_explained(found), key=lambda w: (w.line, w.column, w.kind))


_CHARACTER_KINDS = frozenset({"zero-width", "sara-e-e", "repeated-mark"})


def _drop_explained(found: list[ProofreadWarning]) -> list[ProofreadWarning]:
    """A stray character also garbles the word around it (เเผนงาน): report only the character."""
    marks = [w for w in found if w.kind in _CHARACTER_KINDS]
    return [w for w in found if w.kind != "spelling" or not any(_touches(w, m) for m in marks)]


def _touches(word: ProofreadWarning, mark: ProofreadWarning) -> bool:
    return word.line == mark.line and word.column <= mark.column + len(mark.text) and mark.column <= word.column + len(word.text)


def proofread_file(
    path: str | Path,
    *,
    register_prefix: str | None = None,
    expected_dates: ExpectedDates | None = None,
) -> list[ProofreadWarning]:
    path = Path(path)
    options = {"register_prefix": register_prefix, "expected_dates": expected_dates}
    if path.suffix.lower() == ".docx":
        return proofread_docx(path, **options)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise ProofreadError(f"cannot proofread {path.name}: only .txt, .md and .docx files are supported")
    return proofread(_read_text(path), **options)


def proofread_docx(
    path: str | Path,
    *,
    register_prefix: str | None = None,
    expected_dates: ExpectedDates | None = None,
) -> list[ProofreadWarning]:
    """Line numbers are paragraph numbers (1-based), counting table-cell paragraphs in place."""
    lines = docx_paragraphs(path)
    return proofread("\n".join(lines), register_prefix=register_prefix, expected_dates=expected_dates)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ProofreadError(f"cannot read {path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise ProofreadError(f"cannot read {path}: not UTF-8 text") from error


def docx_paragraphs(path: str | Path) -> list[str]:
    """The text of every paragraph, table cells included, in document order."""
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise ProofreadError(f"cannot proofread {path.name}: not a .docx file")
    try:
        document = docx.Document(str(path))
    except (OSError, PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ProofreadError(f"cannot read {path}: not a readable .docx file ({error})") from error
    # A manual line break inside a paragraph would shift every later line number: read it as a space.
    return [text.replace("\n", " ") for text in _block_texts(document)]


def _block_texts(container: DocxDocument | _Cell) -> list[str]:
    texts: list[str] = []
    for block in container.iter_inner_content():
        texts += [block.text] if isinstance(block, Paragraph) else _table_texts(block)
    return texts


def _table_texts(table: Table) -> list[str]:
    texts: list[str] = []
    seen: set[int] = set()
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) not in seen:  # a merged cell is returned once per grid column it spans
                seen.add(id(cell._tc))
                texts += _block_texts(cell)
    return texts
