"""The final PDFs frozen at publication: the memo with every minute, and the announcement.

They are written next to the published .docx (same stems), carrying continuation words like
`saraban render --pdf`, signed with the organisation's key (PAdES, services.publication.signing_keys), and
hashed once signed, so that the public page, the assessor's pack and `saraban verify` can show
that the file is the one that was published. Without LibreOffice (or when it fails) there is no PDF:
the reason is returned and the publication goes on with the .docx alone.
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from documents.docx.memo import build_memo_docx
from documents.pdf.paginated import PaginatedDocument, pdfs_with_continuations
from documents.pdf.signature import sign_pdf
from documents.pdf.signing_certificate import SigningIdentity
from documents.pdf.soffice import ConversionFailed, LibreOfficeMissing
from documents.text.announcement_text import AnnouncementText
from models import Memo, Organisation, Publication, Revision
from services.printing.document_context import memo_context
from services.printing.rendering import (
    WrittenFile,
    issued_document,
    memo_folder,
    memo_stem,
    recorded_minutes,
)
from services.publication.signing_keys import organisation_identity

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FrozenPdfs:
    memo: WrittenFile | None
    announcement: WrittenFile | None
    missing_reason: str = ""  # why there is no PDF; "" when both were made
    certificate_pem: bytes = b""  # what both PDFs were signed with


def freeze_final_pdfs(
    session: Session, memo: Memo, revision: Revision, *, words: AnnouncementText | None = None, number: str = ""
) -> FrozenPdfs:
    """<memo folder>/<memo stem>.pdf and <issued document's stem>.pdf, with their SHA-256 (the
    announcement, order or circular from `words` when the caller rendered and checked them, and
    carrying `number`, its register number as printed; or the report as acknowledged)."""
    memo_ctx = memo_context(session, memo, revision)
    memo_doc = PaginatedDocument(
        memo_stem(revision, recorded_minutes(session, memo, revision)),
        lambda marks: build_memo_docx(memo_ctx, continuations=marks),
    )
    announcement_doc = issued_document(session, memo, revision, words=words, number=number)
    try:
        made = pdfs_with_continuations([memo_doc, announcement_doc], memo_folder(session, memo))
    except LibreOfficeMissing as missing:
        return FrozenPdfs(None, None, str(missing))
    except (ConversionFailed, subprocess.TimeoutExpired, OSError) as failed:
        # A PDF is evidence, not the publication itself: the .docx is published either way.
        log.error("memo %s: the final PDFs could not be made: %s", memo.id, failed)
        return FrozenPdfs(None, None, f"LibreOffice could not convert the documents: {failed}")
    # A key that cannot sign stops the publication (the memo shows why): a PDF published
    # unsigned could not be told from a forged one.
    org = session.get(Organisation, memo.organisation_id)
    identity = organisation_identity(org, create=not _signed_before(session, org))
    memo_pdf, announcement_pdf = (
        _signed(result.pdf, identity, reason=reason, location=org.name)
        for result, reason in zip(made, _reasons(memo.register_number, memo.document_kind, number), strict=True)
    )
    return FrozenPdfs(memo_pdf, announcement_pdf, certificate_pem=identity.certificate_pem)


def _signed_before(session: Session, org: Organisation) -> bool:
    return (
        session.exec(
            select(Publication.id)
            .join(Memo, Memo.id == Publication.memo_id)
            .where(Memo.organisation_id == org.id, Publication.signing_certificate_pem != "")
        ).first()
        is not None
    )


def _reasons(register_number: str, kind: str, number: str) -> tuple[str, str]:
    thai, english = _ISSUED_NAMES.get(kind, _ISSUED_NAMES["announcement"])
    numbered = f" ที่ {number} " if number else ""
    return (
        f"บันทึกข้อความที่ {register_number} ที่ลงนามครบแล้ว (the signed memo {register_number})",
        f"{thai}{numbered}ตามบันทึกที่ {register_number} ที่เผยแพร่ (the {english} published on memo {register_number})",
    )


# What the second PDF is, for its signature's reason (models.document_kinds).
_ISSUED_NAMES = {
    "announcement": ("ประกาศ", "announcement"),
    "order": ("คำสั่ง", "order"),
    "circular": ("หนังสือเวียน", "circular"),
    "report": ("รายงานที่ผู้บริหารลงนามทราบแล้ว ", "report, acknowledged,"),
}


def _signed(path: Path, identity: SigningIdentity, *, reason: str, location: str) -> WrittenFile:
    signed = sign_pdf(path.read_bytes(), identity, reason=reason, location=location)
    temporary = path.with_name(f"{path.name}.part")  # not the .docx's own "<stem>.part"
    temporary.write_bytes(signed)
    temporary.replace(path)  # readers never see an unsigned or half-written file under this name
    return WrittenFile(path, hashlib.sha256(signed).hexdigest())


def sha256_of(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
