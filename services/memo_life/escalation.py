"""Overdue steps go up to the position above; its holder may then act on them as well."""

import datetime as dt

from sqlmodel import Session, select

from models import Escalation, Memo, Organisation, Position, audit
from models.deadlines import overdue_working_days
from models.enums import MemoStatus
from services.memo_life.frozen_route import step_rule
from services.outbox.work_arrivals import note_arrival


def escalated_positions(session: Session, memo: Memo, step: int) -> list[int]:
    """The positions the memo's step was escalated to (at most one today)."""
    return list(
        session.exec(
            select(Escalation.to_position_id).where(
                Escalation.memo_id == memo.id, Escalation.round == memo.round, Escalation.step_index == step
            )
        )
    )


def escalate_overdue(session: Session, org: Organisation, now: dt.datetime) -> list[Escalation]:
    """Escalate every step of this organisation overdue by the configured working days, once."""
    memos = session.exec(select(Memo).where(Memo.organisation_id == org.id, Memo.status == MemoStatus.IN_REVIEW)).all()
    made = []
    for memo in memos:
        if overdue_working_days(org, memo, now) >= org.escalate_after_working_days:
            escalation = _escalate(session, memo, now)
            made += [escalation] if escalation else []
    return made


def escalate_step(session: Session, memo: Memo, now: dt.datetime, *, reason: str = "overdue") -> Escalation | None:
    """Send the memo's current step to the position above now (once per step and round), e.g.
    because its signer was deactivated; None at the top of the organisation."""
    return _escalate(session, memo, now, reason)


def _escalate(session: Session, memo: Memo, now: dt.datetime, reason: str = "overdue") -> Escalation | None:
    if escalated_positions(session, memo, memo.step):
        return None
    step = step_rule(session, memo, memo.step)
    above = session.get(Position, step.position_id).reports_to_id
    if above is None:
        return None  # the top of the organisation: nobody to escalate to
    escalation = Escalation(memo_id=memo.id, round=memo.round, step_index=memo.step, to_position_id=above, at=now)
    session.add(escalation)
    note_arrival(session, memo, reason="escalated")  # the holder above hears of it
    audit.append(
        session,
        actor="system",
        action="step.escalated",
        subject=f"memo:{memo.id}",
        data={
            "round": memo.round,
            "step": memo.step,
            "from_position_id": step.position_id,
            "to_position_id": above,
            "due_at": memo.due_at,
            "reason": reason,
        },
    )
    return escalation
