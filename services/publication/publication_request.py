"""The publication request (แบบฟอร์มการขออนุญาตเผยแพร่ข้อมูลผ่านเว็บไซต์ของหน่วยงาน) of a publication,
made from the records once it is published: the drafter asked (when the memo was sent), the last
signer approved (in the capacity they signed in, when they signed), the website posted it (when,
at which address). Nobody types it, so it cannot say other than what happened.

Made once per publication, after the publication has committed (a LibreOffice failure never holds
the announcement up): its .docx beside the published files, its PDF signed with the organisation's
key like theirs, and a history row with both hashes. Without LibreOffice the .docx alone is kept,
as for the publication."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from documents.docx.publication_request import (
    PublicationRequestContext,
    RequestSignature,
    build_publication_request_docx,
)
from documents.pdf.paginated import PaginatedDocument, pdfs_with_continuations
from documents.pdf.signature import sign_pdf
from documents.pdf.soffice import LibreOfficeMissing
from documents.thai_format import thai_date_full
from models import Decision, Memo, Organisation, Person, Publication, PublicationRequest, audit
from models.clock import office_date
from models.db import read_scope, session_scope
from models.decision_words import decision_word
from models.document_kinds import acknowledges
from models.settings import get_settings
from services.printing.document_context import decision_signatory, own_signatory
from services.printing.rendering import memo_folder
from services.publication.signing_keys import organisation_identity

STEM = "publication-request"


def public_address(org: Organisation, publication: Publication) -> str:
    """The publication's own page, where the form says it was published."""
    return f"{get_settings().public_base_url.rstrip('/')}/public/{org.code}/{publication.id}"


def request_context(session: Session, publication: Publication, address: str) -> PublicationRequestContext:
    memo = session.get(Memo, publication.memo_id)
    org = session.get(Organisation, memo.organisation_id)
    drafter = session.get(Person, publication.requested_by_id or memo.drafter_id)
    approval = _final_approval(session, publication)
    details = [
        f"{publication.announcement_title or memo.subject} ลงวันที่ {thai_date_full(publication.announcement_date)}",
        "ไฟล์ที่เผยแพร่: " + ", ".join(_file_lines(publication)),
    ]
    approved_on = office_date(approval.at)
    note = (
        f"เผยแพร่ตามบันทึกข้อความ ที่ {memo.register_number} ซึ่ง{_decided(approval, publication)}"
        f"เมื่อวันที่ {thai_date_full(approved_on)}"
    )
    return PublicationRequestContext(
        organisation_name=org.name,
        date=office_date(publication.published_at),
        subject=publication.announcement_title or memo.subject,
        details=details,
        address=address,
        note=note,
        signatures=[
            RequestSignature(
                "ผู้รับผิดชอบการให้ข้อมูล",
                own_signatory(session, drafter),
                office_date(memo.created_at),
                note="ส่งเรื่องในระบบด้วยรหัส PIN",
            ),
            RequestSignature(
                "ผู้อนุมัติรับรอง",
                decision_signatory(session, approval),
                approved_on,
                note="ลงนามในระบบด้วยรหัส PIN",
            ),
            RequestSignature("ผู้รับผิดชอบการนำข้อมูลขึ้นเผยแพร่", None, office_date(publication.published_at)),
        ],
    )


def make_publication_request(
    publication_id: int, *, address: str | None = None, engine: Engine | None = None
) -> PublicationRequest:
    """The request of this publication, made now unless it was made before (then that one).
    LibreOffice and the signing run between a read and a short write, never under the write lock."""
    with read_scope(engine) as session:
        made = _made(session, publication_id)
        if made is not None:
            return made
        publication = session.get(Publication, publication_id)
        memo = session.get(Memo, publication.memo_id)
        org = session.get(Organisation, memo.organisation_id)
        where = address or public_address(org, publication)
        ctx = request_context(session, publication, where)
        folder = memo_folder(session, memo)
    folder.mkdir(parents=True, exist_ok=True)
    docx_bytes = build_publication_request_docx(ctx)
    docx_path = folder / f"{STEM}.docx"
    _write(docx_path, docx_bytes)
    pdf_path, pdf_sha256 = _signed_pdf(ctx, folder, org, memo, signed_before=bool(publication.signing_certificate_pem))
    with session_scope(engine) as session:
        made = _made(session, publication_id)
        if made is not None:  # another run made it meanwhile: the same form, theirs recorded
            return made
        row = PublicationRequest(
            publication_id=publication_id,
            address=where,
            docx_path=str(docx_path),
            docx_sha256=hashlib.sha256(docx_bytes).hexdigest(),
            pdf_path=str(pdf_path) if pdf_path else "",
            pdf_sha256=pdf_sha256,
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            actor="system",
            action="publication.request-made",
            subject=f"memo:{memo.id}",
            data={"publication_id": publication_id, "docx_sha256": row.docx_sha256, "pdf_sha256": pdf_sha256},
        )
        return row


def _made(session: Session, publication_id: int) -> PublicationRequest | None:
    return session.exec(select(PublicationRequest).where(PublicationRequest.publication_id == publication_id)).first()


def _decided(approval: Decision, publication: Publication) -> str:
    """ "ได้รับการอนุมัติ", or for a report memo "ผู้บริหารได้ทราบแล้ว" (its last step acknowledges)."""
    if acknowledges(publication.document_kind):
        return f"ผู้บริหาร{decision_word(approval.kind, last_step=True, acknowledges=True)}แล้ว "
    return f"ได้รับการ{decision_word(approval.kind, last_step=True)}"


def _final_approval(session: Session, publication: Publication) -> Decision:
    decision = session.exec(
        select(Decision)
        .where(Decision.memo_id == publication.memo_id, Decision.signer_id == publication.approved_by_id)
        .order_by(col(Decision.id).desc())
    ).first()
    if decision is None:  # publication requires every step's approval: its history was removed
        raise LookupError(f"publication {publication.id}: its final approval is not in the history")
    return decision


def _file_lines(publication: Publication) -> list[str]:
    lines = [f"{Path(publication.announcement_path).name} (SHA-256 {publication.announcement_sha256})"]
    if publication.announcement_pdf_path:
        lines.append(f"{Path(publication.announcement_pdf_path).name} (SHA-256 {publication.announcement_pdf_sha256})")
    return lines


def _signed_pdf(
    ctx: PublicationRequestContext, folder: Path, org: Organisation, memo: Memo, *, signed_before: bool
) -> tuple[Path | None, str]:
    document = PaginatedDocument(STEM, lambda _marks: build_publication_request_docx(ctx))  # one page: no marks
    try:
        (made,) = pdfs_with_continuations([document], folder)
    except LibreOfficeMissing:  # as for the publication: the .docx alone, for good
        return None, ""
    # A conversion that failed once (ConversionFailed, a timeout) is not recorded as PDF-less, for
    # the row cannot change: it fails the memo's run, which shows the problem and is retried.
    # The publication's PDFs were signed with the office's key: this one must be too, never a new key.
    identity = organisation_identity(org, create=not signed_before)
    reason = (
        f"แบบขออนุญาตเผยแพร่ประกาศตามบันทึกที่ {memo.register_number} (publication request of memo {memo.register_number})"
    )
    signed = sign_pdf(made.pdf.read_bytes(), identity, reason=reason, location=org.name)
    _write(made.pdf, signed)
    return made.pdf, hashlib.sha256(signed).hexdigest()


def _write(path: Path, content: bytes) -> None:
    temporary = path.with_name(f"{path.name}.part")
    temporary.write_bytes(content)
    temporary.replace(path)  # never half a file under the recorded name
