"""A memo that ends unpublished: withdrawn by its drafter (ถอนเรื่อง) before any step approved it,
or cancelled by an administrator (ยกเลิก) on its way. (A signer's disapproval, ไม่อนุมัติ, is a
decision of its own kind: services.memo_life.signoff.)

Each ending is an insert-only row the audit chain covers, with who, why and in which round; its
register number stays taken and shows what became of it. The memo's flow run is told to finish.
"""

from sqlalchemy import Engine
from sqlmodel import Session, select

from documents.thai_format import thai_date_short
from models import Decision, Memo, MemoEnding, Person, audit
from models.clock import office_date, utcnow
from models.digits import thai_digits
from models.enums import DecisionKind, MemoStatus
from models.rules import Cancelled, Refused, Withdrawn, advance
from services.accounts.people import authenticate_by_pin
from services.memo_life.ending_notices import tell_of_ending
from services.memo_life.memos import check_same_organisation, memo_for_update, move
from services.outbox.flow_signals import signal_flow
from services.unit_of_work import run_action

NOT_DRAFTER = Refused("not-drafter", "เฉพาะผู้ร่างเท่านั้นที่ถอนเรื่องได้ (only the memo's drafter may withdraw it)")
NOT_ADMIN = Refused("not-admin", "เฉพาะผู้ดูแลระบบเท่านั้นที่ยกเลิกเรื่องได้ (only an administrator may cancel a memo)")
NO_REASON = Refused("reason-required", "ต้องระบุเหตุผล (give the reason: it is kept with the memo)")


def withdraw(session: Session, *, memo_id: int, username: str, pin: str, reason: str) -> MemoEnding:
    memo = memo_for_update(session, memo_id)
    person = authenticate_by_pin(session, username, pin)
    check_same_organisation(person, memo)
    if person.id != memo.drafter_id:
        raise NOT_DRAFTER
    return _end(session, memo, person, Withdrawn(), reason, "memo.withdrawn")


def cancel(session: Session, *, memo_id: int, username: str, pin: str, reason: str) -> MemoEnding:
    memo = memo_for_update(session, memo_id)
    person = authenticate_by_pin(session, username, pin)
    check_same_organisation(person, memo)
    if not person.is_admin:
        raise NOT_ADMIN
    return _end(session, memo, person, Cancelled(), reason, "memo.cancelled")


def end_memo(
    how: str, *, memo_id: int, username: str, pin: str, reason: str, via: str, engine: Engine | None = None
) -> MemoEnding:
    """`withdraw` or `cancel` in a transaction of its own (refusals audited)."""
    action = {"withdraw": withdraw, "cancel": cancel}[how]
    return run_action(
        lambda s: action(s, memo_id=memo_id, username=username, pin=pin, reason=reason),
        engine=engine,
        actor=username,
        name=f"memo.{how}",
        subject=f"memo:{memo_id}",
        via=via,
    )


def ending_of(session: Session, memo_id: int) -> MemoEnding | None:
    return session.exec(select(MemoEnding).where(MemoEnding.memo_id == memo_id)).first()


def _end(
    session: Session, memo: Memo, person: Person, event: Withdrawn | Cancelled, reason: str, action: str
) -> MemoEnding:
    if not reason.strip():
        raise NO_REASON
    progress = advance(memo.progress(), event)
    now = utcnow()
    ending = MemoEnding(
        memo_id=memo.id,
        kind=progress.status.value,
        round=memo.round,
        person_id=person.id,
        reason=reason.strip(),
        at=now,
    )
    session.add(ending)
    move(session, memo, progress, now)
    signal_flow(session, memo.id, "ended")  # the memo's flow run finishes once this commits
    session.flush()
    audit.append(
        session,
        actor=person.username,
        action=action,
        subject=f"memo:{memo.id}",
        data={
            "ending_id": ending.id,
            "round": memo.round,
            "register_number": memo.register_number,
            "reason": ending.reason,
        },
    )
    tell_of_ending(session, memo, ending.kind, person, ending.reason)  # in this transaction: never lost
    return ending


def ended_text(session: Session, memo: Memo) -> str:
    """What became of an ended memo, for its page: "ถอนเรื่องโดย ... เมื่อ ...: เหตุผล"."""
    if memo.status == MemoStatus.DISAPPROVED:
        decision = session.exec(
            select(Decision).where(
                Decision.memo_id == memo.id, Decision.round == memo.round, Decision.kind == DecisionKind.DISAPPROVE
            )
        ).one()
        who, when, why = decision.signer_id, decision.at, decision.minute
        what = f"ไม่อนุมัติที่ขั้นที่ {thai_digits(decision.step_index + 1)}"
    else:
        ending = ending_of(session, memo.id)
        who, when, why = ending.person_id, ending.at, ending.reason
        what = "ถอนเรื่อง" if memo.status == MemoStatus.WITHDRAWN else "ยกเลิกเรื่อง"
    name = session.get(Person, who).full_name
    return f"{what}โดย {name} เมื่อ {thai_date_short(office_date(when))} เหตุผล: {why} (เรื่องสิ้นสุด เลขทะเบียนนี้ไม่ใช้อีก)"
