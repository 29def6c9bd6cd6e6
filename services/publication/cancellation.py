"""Cancelling a published announcement (ยกเลิกประกาศ): a wrong date, a measure withdrawn; or
marking it superseded (แทนที่) by a later announcement of the same office.

Nothing published is taken down or rewritten: the number, the signed files and the public page
stay, marked cancelled (or superseded, naming the replacement) with the date and the reason, in
the feed too; `saraban verify` says CANCELLED or SUPERSEDED for its files, never GENUINE. Only an administrator of the publishing organisation
cancels, with their PIN, on the record.
"""

from sqlalchemy import Engine
from sqlmodel import Session, select

from documents.thai_format import thai_date_short
from models import Memo, Publication, PublicationCancellation, audit
from models.clock import office_date, utcnow
from models.rules import Refused
from services.accounts.people import authenticate_by_pin
from services.errors import BadInput
from services.memo_life.ending_notices import tell_of_ending
from services.unit_of_work import run_action

SYSTEM = "system"  # the actor of a supersession: it follows from the signers' approval
NOT_ADMIN = Refused("not-admin", "เฉพาะผู้ดูแลระบบเท่านั้นที่ยกเลิกประกาศได้ (only an administrator may cancel an announcement)")


def cancel_publication(
    session: Session,
    *,
    publication_id: int,
    username: str,
    pin: str,
    reason: str,
    superseded_by_id: int | None = None,
) -> PublicationCancellation:
    publication = session.get(Publication, publication_id)
    if publication is None:
        raise BadInput(f"ไม่พบประกาศเลขที่ {publication_id} (no announcement {publication_id})")
    person = authenticate_by_pin(session, username, pin)
    memo = session.get(Memo, publication.memo_id)
    if not person.is_admin or person.organisation_id != memo.organisation_id:
        raise NOT_ADMIN
    if not reason.strip():
        raise Refused("reason-required", "ต้องระบุเหตุผลที่ยกเลิก (give the reason: it is shown with the announcement)")
    if cancellation_of(session, publication_id) is not None:
        raise Refused("already-cancelled", "ประกาศนี้ถูกยกเลิกไปแล้ว (this announcement was already cancelled)")
    if superseded_by_id is not None:
        _check_replacement(session, publication, memo, superseded_by_id)
    cancellation = PublicationCancellation(
        publication_id=publication_id,
        person_id=person.id,
        reason=reason.strip(),
        at=utcnow(),
        superseded_by_id=superseded_by_id,
    )
    session.add(cancellation)
    session.flush()
    audit.append(
        session,
        actor=username,
        action="publication.cancelled",
        subject=f"memo:{memo.id}",
        data={
            "publication_id": publication_id,
            "register_number": memo.register_number,
            "reason": cancellation.reason,
            "superseded_by_id": superseded_by_id,
        },
    )
    how = "superseded" if superseded_by_id is not None else "publication_cancelled"
    tell_of_ending(session, memo, how, person, cancellation.reason)  # the drafter and the signers
    return cancellation


def supersede_named(session: Session, memo: Memo, publication: Publication, named: int | None) -> None:
    """At the publication of `memo`, mark the announcement its draft replaces as superseded by
    it: approved by every signer with the text, so recorded as the final signer's act. One
    cancelled since the draft was sent stays as it is (said in the audit entry)."""
    if named is None:
        return
    old = session.get(Publication, named)
    old_memo = session.get(Memo, old.memo_id) if old else None
    if old is None or old_memo is None or old_memo.organisation_id != memo.organisation_id:
        return  # checked when the draft was sent; a row gone since is for `audit verify` to report
    already = cancellation_of(session, named)
    if already is None:
        session.add(
            PublicationCancellation(
                publication_id=named,
                person_id=publication.approved_by_id,
                reason=f"แทนที่ด้วยประกาศตามบันทึกที่ {memo.register_number}",
                at=utcnow(),
                superseded_by_id=publication.id,
            )
        )
        session.flush()
    audit.append(
        session,
        actor=SYSTEM,
        action="publication.superseded",
        subject=f"memo:{old_memo.id}",
        data={
            "publication_id": named,
            "superseded_by_id": publication.id,
            "by_memo": memo.register_number,
            "already_cancelled": already is not None,
        },
    )


def _check_replacement(session: Session, publication: Publication, memo: Memo, replacement_id: int) -> None:
    replacement = session.get(Publication, replacement_id)
    replacing = session.get(Memo, replacement.memo_id) if replacement else None
    if replacing is None or replacing.organisation_id != memo.organisation_id:
        raise BadInput(f"ไม่พบประกาศเลขที่ {replacement_id} ของหน่วยงานนี้ (no announcement {replacement_id} of this office)")
    if replacement.published_at <= publication.published_at:
        raise BadInput(
            "ประกาศที่แทนที่ต้องเผยแพร่ภายหลังประกาศเดิม (the replacement must be published after the announcement it replaces)"
        )


def cancel_publication_once(
    *,
    publication_id: int,
    username: str,
    pin: str,
    reason: str,
    via: str,
    superseded_by_id: int | None = None,
    engine: Engine | None = None,
) -> PublicationCancellation:
    """`cancel_publication` in a transaction of its own (refusals audited)."""
    return run_action(
        lambda s: cancel_publication(
            s,
            publication_id=publication_id,
            username=username,
            pin=pin,
            reason=reason,
            superseded_by_id=superseded_by_id,
        ),
        engine=engine,
        actor=username,
        name="publication.cancel",
        subject=f"publication:{publication_id}",
        via=via,
    )


def cancellation_of(session: Session, publication_id: int) -> PublicationCancellation | None:
    return session.exec(
        select(PublicationCancellation).where(PublicationCancellation.publication_id == publication_id)
    ).first()


def cancelled_text(session: Session, cancellation: PublicationCancellation) -> str:
    """ "ยกเลิกประกาศนี้แล้วเมื่อ ๖ ธ.ค. ๖๙ เหตุผล: ..." (or "แทนที่ด้วยประกาศ ที่ ... แล้วเมื่อ ...")
    for the public page, the feed and verify."""
    when = thai_date_short(office_date(cancellation.at))
    if cancellation.superseded_by_id is None:
        return f"ยกเลิกประกาศนี้แล้วเมื่อ {when} เหตุผล: {cancellation.reason}"
    replacement = session.get(Publication, cancellation.superseded_by_id)
    number = session.get(Memo, replacement.memo_id).register_number
    return f"แทนที่ด้วยประกาศ ที่ {number} (เลขที่ {cancellation.superseded_by_id}) แล้วเมื่อ {when} เหตุผล: {cancellation.reason}"
