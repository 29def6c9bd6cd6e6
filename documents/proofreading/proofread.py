"""Automated proofreading that runs before the human proofreader (ทาน) confirms a document.

Pure functions over text: they report findings with suggestions and never change the text.
    proofread(text, register_prefix=..., expected_dates=...) -> list[ProofreadWarning]
    proofread_file(path, ...)  # .txt, .md or .docx
    proofread_docx(path or bytes, ...)  # located: memo or announcement, section, paragraph, sentence
    proofread_announcement_text(text)  # an announcement's rendered words, before it is issued
    proofread_memo_text(ctx)  # the parts of a memo its drafter types, without building the .docx
Word lists are loaded on first use (about 1 s, once per process); call warm_up() at start-up to
pay that early. Nothing is downloaded: see documents.proofreading.lexicon.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError

from documents.context import MemoContext
from documents.proofreading.dates import ExpectedDates, date_warnings
from documents.proofreading.digits import digit_warnings
from documents.proofreading.lexicon import warm_up
from documents.proofreading.marks import mark_warnings
from documents.proofreading.passages import Passage, announcement_text_passages, docx_passages, memo_text_passages
from documents.proofreading.register import register_warnings
from documents.proofreading.sentence import sentence_around
from documents.proofreading.spelling import spelling_warnings
from documents.proofreading.warning import ProofreadWarning
from documents.text.announcement_text import AnnouncementText

Warning = ProofreadWarning  # the name used in the project brief; shadows the builtin only via this import

KINDS = frozenset(
    {
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
    }
)

TEXT_SUFFIXES = frozenset({".txt", ".md"})

__all__ = [
    "KINDS",
    "ExpectedDates",
    "ProofreadError",
    "ProofreadWarning",
    "Warning",
    "proofread",
    "proofread_announcement_text",
    "proofread_docx",
    "proofread_file",
    "proofread_memo_text",
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
    return proofread_lines(lines, register_prefix=register_prefix, expected_dates=expected_dates)


def proofread_lines(
    lines: Sequence[str],
    *,
    register_prefix: str | None = None,
    expected_dates: ExpectedDates | None = None,
) -> list[ProofreadWarning]:
    """All findings in `lines` (one paragraph each), ordered by position."""
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
    return (
        word.line == mark.line
        and word.column <= mark.column + len(mark.text)
        and mark.column <= word.column + len(word.text)
    )


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
        raise ProofreadError(
            f"ตรวจไฟล์ {path.name} ไม่ได้: ตรวจได้เฉพาะไฟล์ .txt .md และ .docx "
            f"(cannot proofread {path.name}: only .txt, .md and .docx files are supported)"
        )
    return proofread(_read_text(path), **options)


def proofread_docx(
    source: str | Path | bytes,
    *,
    register_prefix: str | None = None,
    expected_dates: ExpectedDates | None = None,
) -> list[ProofreadWarning]:
    """A .docx file (or its bytes). Line numbers are paragraph numbers (1-based), counting
    table-cell paragraphs in place; each warning also names its document part, paragraph and
    sentence when the file is a memo or an announcement."""
    passages = docx_passages(_open_docx(source))
    return proofread_passages(passages, register_prefix=register_prefix, expected_dates=expected_dates)


def proofread_announcement_text(
    text: AnnouncementText, *, expected_dates: ExpectedDates | None = None
) -> list[ProofreadWarning]:
    """An announcement's words as rendered from its template, before it has a date or signer."""
    return proofread_passages(announcement_text_passages(text), expected_dates=expected_dates)


def proofread_memo_text(ctx: MemoContext) -> list[ProofreadWarning]:
    """The parts of a memo its drafter typed, placed as in the built memo (no .docx is built:
    the form's live preview calls this as the officer types)."""
    return proofread_passages(memo_text_passages(ctx))


def proofread_passages(
    passages: Sequence[Passage],
    *,
    register_prefix: str | None = None,
    expected_dates: ExpectedDates | None = None,
) -> list[ProofreadWarning]:
    """The checks over the passages' texts, each warning placed back where a person finds it."""
    found = proofread_lines([p.text for p in passages], register_prefix=register_prefix, expected_dates=expected_dates)
    return [_located(warning, passages[warning.line - 1]) for warning in found]


def _located(warning: ProofreadWarning, passage: Passage) -> ProofreadWarning:
    start = warning.column - 1
    return dataclasses.replace(
        warning,
        line=passage.source + 1,
        column=passage.offset + warning.column,
        document=passage.document,
        section=passage.section,
        paragraph=passage.paragraph,
        sentence=sentence_around(passage.text, start, start + len(warning.text)),
    )


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ProofreadError(f"อ่านไฟล์ {path} ไม่ได้ (cannot read {path}: {error.strerror or error})") from error
    except UnicodeDecodeError as error:
        raise ProofreadError(f"อ่านไฟล์ {path} ไม่ได้: ไม่ใช่ข้อความ UTF-8 (cannot read {path}: not UTF-8 text)") from error


def _open_docx(source: str | Path | bytes) -> DocxDocument:
    if isinstance(source, bytes):
        stream, name = io.BytesIO(source), "the document"
    else:
        path = Path(source)
        if path.suffix.lower() != ".docx":
            raise ProofreadError(
                f"ตรวจไฟล์ {path.name} ไม่ได้: ไม่ใช่ไฟล์ .docx (cannot proofread {path.name}: not a .docx file)"
            )
        stream, name = str(path), str(path)
    try:
        return docx.Document(stream)
    except (OSError, PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ProofreadError(
            f"อ่านไฟล์ {name} ไม่ได้: ไฟล์ .docx เสียหายหรือไม่ใช่ .docx "
            f"(cannot read {name}: not a readable .docx file: {error})"
        ) from error
