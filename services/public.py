"""What an organisation shows the public: its published announcements, with what lets anyone
check that the posted file is the one that was approved. Nothing internal: no drafts, and
minutes only when the organisation chooses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from documents.signing_certificate import certificate_facts
from models import Decision, Memo, Organisation, Person, Position, Publication
from services.errors import BadInput


@dataclass(frozen=True)
class Approval:
    step: int
    position: str
    signer: str
    capacity: str
    at: dt.datetime
    minute: str | None  # None unless the organisation publishes minutes


@dataclass(frozen=True)
class PublicAnnouncement:
    publication_id: int
    subject: str
    register_number: str
    announcement_date: dt.date
    published_at: dt.datetime
    file_sha256: str
    revision_sha256: str
    approvals: list[Approval]
    files: list[str]
    pdf_sha256: str = ""  # the announcement PDF frozen at publication, when LibreOffice made one
    audit_head: str = ""  # "SEQ:MAC": the audit chain as it stood when this was published
    signature: PublicSignature | None = None  # who signed the PDFs, when they were signed


@dataclass(frozen=True)
class PublicSignature:
    """The certificate the published PDFs were signed with: what `saraban verify` prints too, so
    that a person can compare the two (a self-signed certificate has no authority to vouch for it)."""

    pdf_name: str  # the signed file on the page
    subject: str
    sha256: str
    self_signed: bool


def public_organisation(session: Session, code: str) -> Organisation:
    org = session.exec(select(Organisation).where(Organisation.code == code)).first()
    if org is None:
        raise BadInput(f"ไม่พบหน่วยงาน {code} (no organisation '{code}')")
    return org


def published(session: Session, org: Organisation) -> list[PublicAnnouncement]:
    rows = session.exec(select(Publication, Memo).join(Memo, Memo.id == Publication.memo_id)
                        .where(Memo.organisation_id == org.id).order_by(Publication.published_at.desc())).all()
    return [_announcement(session, org, publication, memo) for publication, memo in rows]


def public_file(session: Session, org: Organisation, publication_id: int, name: str) -> Path:
    for item in published(session, org):
        if item.publication_id == publication_id and name in item.files:
            return Path(session.get(Publication, publication_id).announcement_path).with_name(name)
    raise BadInput("ไม่พบไฟล์ (no such file)")


def _announcement(session: Session, org: Organisation, publication: Publication, memo: Memo) -> PublicAnnouncement:
    # Only the files on the record: a PDF rendered later on demand was not published and has no
    # recorded hash, so it is not offered as the announcement.
    recorded = [Path(publication.announcement_path)]
    if publication.announcement_pdf_path:
        recorded.append(Path(publication.announcement_pdf_path))
    files = [p.name for p in recorded if p.exists()]
    # Titled as on paper ("ประกาศ<organisation> เรื่อง ..."); publications before 0013: the memo's subject.
    title = publication.announcement_title or memo.subject
    return PublicAnnouncement(publication.id, title, memo.register_number, publication.announcement_date,
                              publication.published_at, publication.announcement_sha256,
                              publication.revision_sha256, approvals(session, org, memo, publication), files,
                              publication.announcement_pdf_sha256, audit_head=publication.audit_head,
                              signature=_signature(publication))


def _signature(publication: Publication) -> PublicSignature | None:
    if not (publication.signing_certificate_pem and publication.announcement_pdf_path):
        return None
    facts = certificate_facts(publication.signing_certificate_pem.encode("ascii"))
    return PublicSignature(Path(publication.announcement_pdf_path).name, facts.subject, facts.sha256,
                           facts.self_signed)


def approvals(session: Session, org: Organisation, memo: Memo, publication: Publication) -> list[Approval]:
    """The sign-offs of the published revision, in step order (minutes only if the organisation
    publishes them)."""
    decisions = session.exec(select(Decision).where(Decision.memo_id == memo.id, Decision.round == memo.round,
                                                    Decision.revision_sha256 == publication.revision_sha256)
                             .order_by(Decision.step_index)).all()
    return [Approval(d.step_index, session.get(Position, d.position_id).title,
                     session.get(Person, d.signer_id).full_name, _capacity(session, d), d.at,
                     d.minute if org.public_minutes else None) for d in decisions]


def _capacity(session: Session, decision: Decision) -> str:
    # An escalated step is signed by the position above in its own name: say under which title.
    signed_as = decision.signed_as_position_id
    if signed_as is not None and signed_as != decision.position_id:
        return f"ลงนามในตำแหน่ง{session.get(Position, signed_as).title} เมื่อเรื่องเกินกำหนด (escalated)"
    return decision.capacity.value
