"""Is this file the one that was published? Its SHA-256 against the publication records, its PDF
signature against the certificate the publication recorded, and who approved it.

Verdicts: "genuine" (a published file; a PDF's signature is intact and by the recorded
certificate), "altered" (it carries an organisation's signature that is broken, or a valid one
on bytes no publication recorded, or its record and its signature disagree), "cancelled" and
"superseded" (a genuine file of an announcement that no longer holds), "unknown" (never
published here). Only publications are ever matched: a file or number of anything unpublished
answers as unknown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlmodel import Session, select

from documents.pdf.signature import SignatureCheck, check_pdf_signature
from documents.text.announcement_reading import announcement_title
from models import Memo, Organisation, Publication, PublicationCancellation, Revision
from services.publication.approvals import history_gaps
from services.publication.cancellation import cancellation_of, cancelled_text
from services.publication.public import Approval, approvals, published_reading
from services.publication.publication_channels import public_page_link

GENUINE, ALTERED, UNKNOWN = "genuine", "altered", "unknown"
CANCELLED, SUPERSEDED = "cancelled", "superseded"
# Which recorded file a hash matched, and what it is called.
KINDS = {
    "announcement_pdf": "ประกาศ PDF (announcement PDF)",
    "memo_pdf": "บันทึกข้อความ PDF (signed memo PDF)",
    "announcement": "ประกาศ .docx (announcement .docx)",
    "memo": "บันทึกข้อความ .docx (memo .docx)",
}


@dataclass(frozen=True)
class PublishedMatch:
    kind: str  # a key of KINDS
    publication_id: int
    organisation: str
    register_number: str
    subject: str
    published_at: dt.datetime
    public_page: str  # the announcement's own page on the public site
    certificate_sha256: str  # what the publication recorded; "" when it was published unsigned


@dataclass(frozen=True)
class Withdrawn:
    """An announcement cancelled, or superseded by a later one (then which)."""

    verdict: str  # CANCELLED | SUPERSEDED
    text: str  # "ยกเลิกประกาศนี้แล้วเมื่อ ... เหตุผล: ...", as the public page says it
    at: dt.datetime
    reason: str
    superseded_by: PublishedMatch | None = None


@dataclass(frozen=True)
class FileVerification:
    sha256: str
    verdict: str  # GENUINE | ALTERED | UNKNOWN | CANCELLED | SUPERSEDED
    reason: str  # one line, Thai and English
    published: PublishedMatch | None = None
    signature: SignatureCheck | None = None  # None for a file that is not a PDF
    approvals: list[Approval] = field(default_factory=list)
    signer_organisation: str = ""  # for an unpublished file signed with a known certificate
    withdrawn: Withdrawn | None = None  # for CANCELLED and SUPERSEDED


def verify_file(session: Session, data: bytes) -> FileVerification:
    sha256 = hashlib.sha256(data).hexdigest()
    is_pdf = data.startswith(b"%PDF-")
    found = publication_with(session, sha256)
    if found is None:
        signature = check_pdf_signature(data) if is_pdf else None
        return _not_recorded(session, sha256, signature)
    publication, kind = found
    memo = session.get(Memo, publication.memo_id)
    org = session.get(Organisation, memo.organisation_id)
    signature = _recorded_signature(data, publication) if kind.endswith("_pdf") else None
    verdict, reason = _judge_published(kind, publication, signature)
    withdrawn = None
    if verdict == GENUINE:
        verdict, reason, withdrawn = standing(session, memo, publication, reason=reason)
    return FileVerification(
        sha256,
        verdict,
        reason,
        published_match(session, publication, kind),
        signature,
        approvals(session, org, memo, publication),
        withdrawn=withdrawn,
    )


def standing(
    session: Session, memo: Memo, publication: Publication, *, reason: str = ""
) -> tuple[str, str, Withdrawn | None]:
    """Whether a published announcement holds (GENUINE, with the `reason` given), or not: ALTERED
    when the signed history does not show its approval, else CANCELLED or SUPERSEDED; with why."""
    if gaps := _approval_gaps(session, memo, publication):
        return (
            ALTERED,
            (
                "บันทึกการเผยแพร่มีอยู่ แต่ประวัติการลงนามไม่แสดงว่าทุกขั้นอนุมัติฉบับนี้ (a publication records this file, "
                f"but the signed history does not show every step approving it: {'; '.join(gaps)})"
            ),
            None,
        )
    cancellation = cancellation_of(session, publication.id)
    if cancellation is None:
        return GENUINE, reason, None
    withdrawn = _withdrawn(session, cancellation)
    what = (
        f"superseded by announcement {cancellation.superseded_by_id}"
        if withdrawn.verdict == SUPERSEDED
        else "cancelled"
    )
    return (
        withdrawn.verdict,
        (
            f"{withdrawn.text} ({withdrawn.verdict.upper()}: the file is the one published, unaltered, "
            f"but the announcement was {what} on {cancellation.at:%Y-%m-%d}: {cancellation.reason})"
        ),
        withdrawn,
    )


def _withdrawn(session: Session, cancellation: PublicationCancellation) -> Withdrawn:
    replacement = (
        session.get(Publication, cancellation.superseded_by_id) if cancellation.superseded_by_id is not None else None
    )
    return Withdrawn(
        SUPERSEDED if cancellation.superseded_by_id is not None else CANCELLED,
        cancelled_text(session, cancellation),
        cancellation.at,
        cancellation.reason,
        published_match(session, replacement, "announcement") if replacement else None,
    )


def published_match(session: Session, publication: Publication, kind: str) -> PublishedMatch:
    memo = session.get(Memo, publication.memo_id)
    org = session.get(Organisation, memo.organisation_id)
    return PublishedMatch(
        kind,
        publication.id,
        org.name,
        memo.register_number,
        _subject(session, org, memo, publication, kind),
        publication.published_at,
        f"{public_page_link(org)}/{publication.id}",
        publication.signing_certificate_sha256,
    )


def _approval_gaps(session: Session, memo: Memo, publication: Publication) -> list[str]:
    # The same recomputation publication makes (services.publication.approvals): a record and a
    # signed PDF made after a forged approval are no proof that the signers approved.
    revision = session.exec(
        select(Revision).where(Revision.memo_id == memo.id, Revision.sha256 == publication.revision_sha256)
    ).first()
    if revision is None:
        return ["the published revision is not in the history"]
    return history_gaps(session, memo, revision)


def _subject(session: Session, org: Organisation, memo: Memo, publication: Publication, kind: str) -> str:
    # An announcement is known by its printed title, the memo by its own subject.
    if kind.startswith("announcement") and publication.document_kind != "announcement":
        return publication.announcement_title or memo.subject  # an order, a circular, a report
    if kind.startswith("announcement"):
        return announcement_title(org.name, published_reading(session, org, memo, publication).subject)
    return memo.subject


def publication_with(session: Session, sha256: str) -> tuple[Publication, str] | None:
    """The publication that recorded a file with this SHA-256, and which of its files it is."""
    columns = [getattr(Publication, f"{kind}_sha256") for kind in KINDS]
    publication = session.exec(select(Publication).where(or_(*(column == sha256 for column in columns)))).first()
    if publication is None:
        return None
    return publication, next(kind for kind in KINDS if getattr(publication, f"{kind}_sha256") == sha256)


def _recorded_signature(data: bytes, publication: Publication) -> SignatureCheck:
    # Checked at the publication's own time: a certificate that expired since still vouches
    # for what it signed while it was valid.
    moment = publication.published_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    trusted = publication.signing_certificate_pem.encode("ascii") or None
    return check_pdf_signature(data, trusted_certificate_pem=trusted, moment=moment)


def _judge_published(kind: str, publication: Publication, signature: SignatureCheck | None) -> tuple[str, str]:
    if signature is None:
        return GENUINE, (
            "ตรงกับไฟล์ที่เผยแพร่ ไฟล์ .docx ไม่มีลายมือชื่อ ตรวจด้วย SHA-256 (matches a published file; "
            "a .docx carries no signature: its SHA-256 is the proof)"
        )
    if not publication.signing_certificate_pem:
        return GENUINE, ("ตรงกับไฟล์ที่เผยแพร่ก่อนมีการลงลายมือชื่อ (matches a file published before PDFs were signed)")
    if signature.good:
        return GENUINE, "ไฟล์ที่เผยแพร่ ไม่ถูกแก้ไข (the published file, unaltered)"
    # The record names this very file, yet its signature fails: the record or the file was forged.
    return ALTERED, f"บันทึกการเผยแพร่กับลายมือชื่อไม่ตรงกัน (the record and the signature disagree): {signature.problem}"


def _not_recorded(session: Session, sha256: str, signature: SignatureCheck | None) -> FileVerification:
    if signature is None or not signature.signed:
        return FileVerification(
            sha256,
            UNKNOWN,
            "ไม่ใช่ไฟล์ที่เผยแพร่ (not a published file: no publication recorded this SHA-256)",
            signature=signature,
        )
    signer = _organisation_with_certificate(session, signature.signer.sha256) if signature.signer else ""
    if not (signature.intact and signature.valid):
        return FileVerification(
            sha256,
            ALTERED,
            "ไม่ตรงกับไฟล์ใดที่เผยแพร่ และลายมือชื่อใช้ไม่ได้ (no published file has this SHA-256, and its signature is broken)",
            signature=signature,
            signer_organisation=signer,
        )
    if signer:
        return FileVerification(
            sha256,
            ALTERED,
            (
                f"ลงนามโดย{signer} แต่ไม่ตรงกับไฟล์ใดที่เผยแพร่ ไฟล์ถูกแก้ไขหรือไม่เคยเผยแพร่ (signed by {signer}'s "
                "certificate, but no published file has this SHA-256: altered, or never published)"
            ),
            signature=signature,
            signer_organisation=signer,
        )
    return FileVerification(
        sha256,
        UNKNOWN,
        "ไม่ใช่ไฟล์ที่เผยแพร่ และผู้ลงนามไม่ใช่หน่วยงานในระบบนี้ (not a published "
        "file, signed by a certificate no publication here used)",
        signature=signature,
    )


def _organisation_with_certificate(session: Session, certificate_sha256: str) -> str:
    row = session.exec(
        select(Organisation.name)
        .join(Memo, Memo.organisation_id == Organisation.id)
        .join(Publication, Publication.memo_id == Memo.id)
        .where(Publication.signing_certificate_sha256 == certificate_sha256)
    ).first()
    return row or ""
