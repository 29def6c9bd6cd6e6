"""The final PDFs frozen at publication: the memo with every minute, and the announcement.

They are written next to the published .docx (same stems), carrying continuation words like
`saraban render --pdf`, and hashed so that the public page and the assessor's pack can show that
the file is the one that was published. Without LibreOffice (or when it fails) there is no PDF:
the reason is returned and the publication goes on with the .docx alone.
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from documents.announcement_docx import build_announcement_docx
from documents.announcement_text import AnnouncementText
from documents.memo_docx import build_memo_docx
from documents.paginated_pdf import PaginatedDocument, pdfs_with_continuations
from documents.pdf import ConversionFailed, LibreOfficeMissing
from models import Memo, Revision
from services.document_context import memo_context
from services.rendering import (WrittenFile, announcement, announcement_stem, memo_folder, memo_stem,
                                recorded_minutes)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FrozenPdfs:
    memo: WrittenFile | None
    announcement: WrittenFile | None
    missing_reason: str = ""  # why there is no PDF; "" when both were made


def freeze_final_pdfs(session: Session, memo: Memo, revision: Revision, *,
                      words: AnnouncementText | None = None) -> FrozenPdfs:
    """<memo folder>/<memo stem>.pdf and <announcement stem>.pdf, with their SHA-256 (the
    announcement from `words` when the caller rendered and checked them)."""
    memo_ctx = memo_context(session, memo, revision)
    announcement_ctx = announcement(session, memo, revision, words=words)
    memo_doc = PaginatedDocument(memo_stem(revision, recorded_minutes(session, memo, revision)),
                                 lambda marks: build_memo_docx(memo_ctx, continuations=marks))
    announcement_doc = PaginatedDocument(
        announcement_stem(revision), lambda marks: build_announcement_docx(announcement_ctx, continuations=marks))
    try:
        made = pdfs_with_continuations([memo_doc, announcement_doc], memo_folder(session, memo))
    except LibreOfficeMissing as missing:
        return FrozenPdfs(None, None, str(missing))
    except (ConversionFailed, subprocess.TimeoutExpired, OSError) as failed:
        # A PDF is evidence, not the publication itself: the .docx is published either way.
        log.error("memo %s: the final PDFs could not be made: %s", memo.id, failed)
        return FrozenPdfs(None, None, f"LibreOffice could not convert the documents: {failed}")
    memo_pdf, announcement_pdf = (_hashed(result.pdf) for result in made)
    return FrozenPdfs(memo_pdf, announcement_pdf)


def _hashed(path: Path) -> WrittenFile:
    return WrittenFile(path, sha256_of(path))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
