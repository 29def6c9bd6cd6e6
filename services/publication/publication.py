"""Publishing an approved memo's announcement: frozen files, their hashes, the record.

The record is what an assessor asks for: who requested publication (the drafter), who approved it
(the last signer), who posted it ("system": the posting is automatic), when, and where: the
website, the notice board with its posting and removal dates, and the social channels (opened
here as pending, sent after the commit by services.publication.channel_posting).
"""

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, select

from documents.pdf.signing_certificate import certificate_facts
from documents.text.announcement_reading import document_title
from documents.text.announcement_text import AnnouncementText
from models import Decision, Memo, Organisation, Publication, Revision, audit
from models.clock import office_date, utcnow
from models.db import read_scope
from models.document_kinds import DocumentKind
from models.enums import DecisionKind, MemoStatus
from models.rules import Published, Refused, advance
from services.acknowledgements.asking import ask_at_publication
from services.memo_life.memos import memo_for_update
from services.printing.document_context import current_revision, revision_draft
from services.printing.document_numbers import expected_number, take_number
from services.printing.emblem import check_emblem_for_publication, emblem_missing
from services.printing.rendering import (
    WrittenFile,
    announcement_text_sha256,
    announcement_words,
    final_approval,
    words_json,
    write_announcement,
    write_memo,
)
from services.publication.approvals import approvals_of_record
from services.publication.cancellation import supersede_named
from services.publication.chain_heads import sign_head
from services.publication.frozen_pdfs import FrozenPdfs, freeze_final_pdfs
from services.publication.publication_channels import open_channels
from services.publication.published_attachments import check_published_attachments

# ปิดประกาศ: how many days an announcement stays on the notice board. The organisation table has
# no column for it; the removal date is recorded on each publication, so changing this later
# leaves past records as they were.
NOTICE_BOARD_DAYS = 30
POSTED_BY_SYSTEM = "system"


@dataclass(frozen=True)
class PublishedFiles:
    """The final files of one revision, made before the publication's transaction."""

    revision_sha256: str
    memo_file: WrittenFile
    announcement_file: WrittenFile
    pdfs: FrozenPdfs
    announcement_text_sha256: str  # the words the files print (services.printing.rendering)
    words: AnnouncementText  # those words, kept on the publication
    document_number: str = ""  # an order's or a circular's number the files print ("" for the other kinds)


def prepare_files(memo_id: int, *, engine: Engine | None = None) -> PublishedFiles | None:
    """Make the final .docx and PDFs from a read, before `publish` opens its transaction:
    LibreOffice takes seconds, and on SQLite a write transaction holds the lock that every
    sign-off needs. None when the memo is not approved (publish then says why)."""
    with read_scope(engine) as session:
        memo = session.get(Memo, memo_id)
        if memo is None or memo.status != MemoStatus.APPROVED:
            return None
        if emblem_missing(session.get(Organisation, memo.organisation_id)):
            return None  # publish refuses it: no LibreOffice run for nothing
        revision = current_revision(session, memo)
        final = final_approval(session, memo, revision)
        number = expected_number(session, memo, office_date(final.at)) if final is not None else ""
        return _files(session, memo, revision, number=number)


def _files(session: Session, memo: Memo, revision: Revision, *, number: str = "") -> PublishedFiles:
    # The words are rendered once and hashed: the .docx and the PDF print exactly what was hashed.
    words = announcement_words(session, memo, revision)
    return PublishedFiles(
        revision.sha256,
        write_memo(session, memo, revision),
        write_announcement(session, memo, revision, words=words, number=number),
        freeze_final_pdfs(session, memo, revision, words=words, number=number),
        announcement_text_sha256(words),
        words,
        number,
    )


def publish(session: Session, *, memo_id: int, prepared: PublishedFiles | None = None) -> Publication:
    """Publish once: a second call returns the publication already made.

    `prepared` files are used when they were made from the revision being published; otherwise
    the files are made here, inside the transaction.
    """
    memo = memo_for_update(session, memo_id)
    existing = session.exec(select(Publication).where(Publication.memo_id == memo_id)).first()
    if existing is not None:
        return existing
    if memo.status != MemoStatus.APPROVED:
        raise Refused("not-approved", f"บันทึกยังไม่ได้รับอนุมัติครบทุกขั้น (memo {memo_id} is {memo.status.value}, not approved)")
    check_emblem_for_publication(session.get(Organisation, memo.organisation_id), memo.id)
    revision = current_revision(session, memo)
    final = approvals_of_record(session, memo, revision)[-1]  # from history, not from the memo's row
    announced_on = office_date(final.at)  # the date printed on the announcement
    # An order's or a circular's number is taken here, in the publication's transaction; files
    # prepared with another (one published meanwhile took it) are made again with this one.
    number = take_number(session, memo, announced_on)
    if prepared is None or prepared.revision_sha256 != revision.sha256 or prepared.document_number != number:
        prepared = _files(session, memo, revision, number=number)
    check_announcement_as_approved(session, memo, revision, prepared.announcement_text_sha256)
    attached = check_published_attachments(session, memo, revision)
    memo_file, announcement_file, pdfs = prepared.memo_file, prepared.announcement_file, prepared.pdfs
    publication = Publication(
        memo_id=memo.id,
        revision_sha256=revision.sha256,
        announcement_path=str(announcement_file.path),
        announcement_sha256=announcement_file.sha256,
        memo_path=str(memo_file.path),
        memo_sha256=memo_file.sha256,
        announcement_date=announced_on,
        requested_by_id=memo.drafter_id,
        approved_by_id=final.signer_id,
        posted_by=POSTED_BY_SYSTEM,
        document_kind=memo.document_kind,
        document_number=number,
        **_pdf_fields(pdfs),
        audit_head=audit.head_token(session),
        **_words_fields(prepared.words),
    )
    session.add(publication)
    session.flush()  # the channel rows need the publication's id
    org = session.get(Organisation, memo.organisation_id)
    channels = open_channels(session, publication, org)
    # The head just printed, signed by the office: an HMAC alone proves nothing against someone
    # holding the instance's keys (services.publication.chain_heads).
    signed_head = sign_head(session, org, head_token=publication.audit_head, publication_id=publication.id)
    memo.move_to(advance(memo.progress(), Published()), utcnow())
    issued = revision_draft(revision).announcement
    supersede_named(session, memo, publication, issued.replaces if issued is not None else None)
    if memo.document_kind == DocumentKind.CIRCULAR:  # every member of the staff acknowledges it (รับทราบ)
        ask_at_publication(session, publication)
    audit.append(
        session,
        actor=POSTED_BY_SYSTEM,
        action="memo.published",
        subject=f"memo:{memo.id}",
        data={
            "revision_sha256": revision.sha256,
            # What was issued, and its number: an announcement's entry stays as it was.
            **({"document_kind": memo.document_kind} if memo.document_kind != "announcement" else {}),
            **({"document_number": number} if number else {}),
            "announcement_sha256": announcement_file.sha256,
            "memo_sha256": memo_file.sha256,
            "announcement_pdf_sha256": publication.announcement_pdf_sha256,
            "memo_pdf_sha256": publication.memo_pdf_sha256,
            "pdf_missing": pdfs.missing_reason,
            "signing_certificate_sha256": publication.signing_certificate_sha256,
            "channels": [c.channel for c in channels],
            "published_attachments": [{"name": a.name, "sha256": a.sha256, "size": a.size} for a in attached],
            **signed_head.audit_data(),
        },
    )
    return publication


def _words_fields(words: AnnouncementText) -> dict[str, str]:
    return {
        "announcement_subject": words.subject,
        "announcement_title": document_title(words),
        "announcement_words_json": words_json(words),
    }


def _pdf_fields(pdfs: FrozenPdfs) -> dict[str, str]:
    fields = {}
    for name, written in (("memo", pdfs.memo), ("announcement", pdfs.announcement)):
        if written is not None:
            fields[f"{name}_pdf_path"] = str(written.path)
            fields[f"{name}_pdf_sha256"] = written.sha256
    if pdfs.certificate_pem:
        facts = certificate_facts(pdfs.certificate_pem)
        fields.update(
            signing_certificate_pem=pdfs.certificate_pem.decode("ascii"),
            signing_certificate_sha256=facts.sha256,
            signing_certificate_subject=facts.subject,
        )
    return fields


def check_announcement_as_approved(session: Session, memo: Memo, revision: Revision, rendered_sha256: str) -> None:
    """The announcement about to be published must be the text every signer of the round approved.

    A template (or an organisation's override of it) changed after the approvals would otherwise
    be published unseen. Refused, the memo stays approved and says why (flow_problem): restore the
    template as approved and `saraban memo nudge`, and it is published."""
    approved = {d.announcement_sha256 for d in _round_approvals(session, memo.id, revision.number)}
    approved.discard("")  # decisions recorded before the announcement was bound carry no hash
    if approved and approved != {rendered_sha256}:
        raise Refused(
            "announcement-differs",
            "ข้อความประกาศที่จะเผยแพร่ต่างจากที่ผู้ลงนามอนุมัติไว้ (แม่แบบประกาศถูกแก้ไขหลังอนุมัติ) "
            "ยังไม่เผยแพร่ ให้คืนแม่แบบประกาศเป็นฉบับที่อนุมัติแล้วสั่ง saraban memo nudge "
            f"{memo.id} (the announcement rendered now differs from the one the signers approved: "
            "a template was changed after approval; nothing was published. Restore the template as "
            f"approved, then run `saraban memo nudge {memo.id}`)",
        )


def _round_approvals(session: Session, memo_id: int, round_: int) -> list[Decision]:
    return list(
        session.exec(
            select(Decision).where(
                Decision.memo_id == memo_id, Decision.round == round_, Decision.kind == DecisionKind.APPROVE
            )
        )
    )
