"""The memo and its announcement as they will print, as page images, made in the background.

What a signer reads before signing must be the print itself (the emblem, the line breaks, the
minutes so far, the acting line), not an HTML likeness. LibreOffice takes seconds, so a page asks
for the images and gets "being made" at once; a thread of the web process renders them (one
LibreOffice at a time per process) into <memo folder>/print/<key>/, where the key is the SHA-256
of everything printed: a new revision, a new minute, another emblem or another signer makes a
new key, and the same print is never made twice. Several web processes share the folder: the
first to create the key's marker renders; a marker left by a process that died is reported as a
failure after STALE_SECONDS (with a retry), so the page never waits for ever.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from documents.context import AnnouncementContext, MemoContext
from documents.docx.announcement import build_announcement_docx
from documents.docx.circular import build_circular_docx
from documents.docx.memo import build_memo_docx
from documents.docx.order import build_order_docx
from documents.pdf.page_images import pdf_page_images
from documents.pdf.paginated import PaginatedDocument, pdfs_with_continuations

log = logging.getLogger(__name__)
PRINT_FOLDER = "print"
STALE_SECONDS = 180
MANIFEST, FAILED, STARTED = "pages.json", "failed.txt", "started"
TITLES = {"memo": "บันทึกข้อความ", "announcement": "ประกาศ"}
FILE_NAME = re.compile(r"^(memo|announcement)(-[0-9]{1,3}\.png|\.pdf)$")
KEY = re.compile(r"^[0-9a-f]{64}$")


class State(enum.StrEnum):
    READY = "ready"
    MAKING = "making"
    FAILED = "failed"


@dataclass(frozen=True)
class PrintedDocument:
    kind: str  # "memo" | "announcement"
    pages: list[str]  # the page images' file names, page 1 first
    pdf: str  # the PDF's file name

    @property
    def title(self) -> str:
        return TITLES[self.kind]


@dataclass(frozen=True)
class PrintPages:
    state: State
    key: str
    documents: list[PrintedDocument] = dataclasses.field(default_factory=list)
    error: str = ""


def print_key(memo_ctx: MemoContext, announcement_ctx: AnnouncementContext) -> str:
    """SHA-256 of everything the two documents print (the emblem by its own hash)."""
    canonical = json.dumps(
        [dataclasses.asdict(memo_ctx), dataclasses.asdict(announcement_ctx)],
        ensure_ascii=False,
        sort_keys=True,
        default=_plain,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def print_pages(root: Path, memo_ctx: MemoContext, announcement_ctx: AnnouncementContext) -> PrintPages:
    """The page images under root/print/<key>/ if made; else starts making them (once) and says so."""
    key = print_key(memo_ctx, announcement_ctx)
    folder = root / PRINT_FOLDER / key
    found = _found(folder, key)
    if found is not None:
        return found
    if _claim(folder):
        threading.Thread(
            target=_make, args=(folder, memo_ctx, announcement_ctx), daemon=True, name=f"print-{key[:8]}"
        ).start()
    return PrintPages(State.MAKING, key)


def forget_failure(root: Path, key: str) -> None:
    """Clear a failed (or abandoned) making, so the next look starts it again. A print that is
    made or still being made is kept: a retry must not make LibreOffice run again for nothing."""
    if not KEY.match(key):
        return
    folder = root / PRINT_FOLDER / key
    found = _found(folder, key)
    if found is not None and found.state == State.FAILED:
        shutil.rmtree(folder, ignore_errors=True)


def print_file(root: Path, key: str, name: str) -> Path | None:
    """A page image or PDF of a made print; None for any other name (no path tricks)."""
    if not KEY.match(key) or not FILE_NAME.match(name):
        return None
    path = root / PRINT_FOLDER / key / name
    return path if path.is_file() else None


def _found(folder: Path, key: str) -> PrintPages | None:
    if (folder / MANIFEST).is_file():
        documents = [PrintedDocument(**d) for d in json.loads((folder / MANIFEST).read_text(encoding="utf-8"))]
        return PrintPages(State.READY, key, documents)
    if (folder / FAILED).is_file():
        return PrintPages(State.FAILED, key, error=(folder / FAILED).read_text(encoding="utf-8"))
    started = folder / STARTED
    if started.is_file() and time.time() - started.stat().st_mtime > STALE_SECONDS:
        return PrintPages(
            State.FAILED,
            key,
            error="จัดทำภาพเอกสารไม่เสร็จในเวลาที่ควร (the print was not made in time: "
            "the process making it may have stopped)",
        )
    return PrintPages(State.MAKING, key) if started.is_file() else None


def _claim(folder: Path) -> bool:
    """True for the one caller (of any process) that creates the key's marker."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(folder / STARTED, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def _make(folder: Path, memo_ctx: MemoContext, announcement_ctx: AnnouncementContext) -> None:
    try:
        documents = _render(folder, memo_ctx, announcement_ctx)  # documents.pdf.soffice runs one soffice at a time
        _write_atomically(folder / MANIFEST, json.dumps([dataclasses.asdict(d) for d in documents], ensure_ascii=False))
        _remove_older(folder)
    except Exception as error:  # noqa: BLE001  (any failure is shown on the page, with a retry)
        log.exception("print preview %s failed", folder.name)
        _write_atomically(folder / FAILED, f"{type(error).__name__}: {error}")


def _render(folder: Path, memo_ctx: MemoContext, announcement_ctx: AnnouncementContext) -> list[PrintedDocument]:
    documents = [PaginatedDocument("memo", lambda marks: build_memo_docx(memo_ctx, continuations=marks))]
    # The second paper is what the memo issues: an announcement, an order or a circular in its own
    # layout (models.document_kinds); a report memo issues none (the memo is the report).
    build = _ISSUED_BUILDERS.get(announcement_ctx.kind, build_announcement_docx)
    if announcement_ctx.kind != "report":
        documents.append(PaginatedDocument("announcement", lambda marks: build(announcement_ctx, continuations=marks)))
    made = pdfs_with_continuations(documents, folder)
    return [
        PrintedDocument(
            result.stem, [p.name for p in pdf_page_images(result.pdf, folder, stem=result.stem)], result.pdf.name
        )
        for result in made
    ]


_ISSUED_BUILDERS = {"order": build_order_docx, "circular": build_circular_docx}


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _remove_older(kept: Path) -> None:
    # Prints of earlier states of the memo are no longer shown; one still being made is left.
    for other in kept.parent.iterdir():
        if other != kept and other.is_dir() and not _in_progress(other):
            shutil.rmtree(other, ignore_errors=True)


def _in_progress(folder: Path) -> bool:
    return (folder / STARTED).is_file() and not (folder / MANIFEST).is_file() and not (folder / FAILED).is_file()


def _plain(value: object) -> object:
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot hash {type(value).__name__} into a print key")
