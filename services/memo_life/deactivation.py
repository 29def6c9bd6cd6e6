"""Deactivating an account: the person can no longer act, and the memos waiting for them move on.

It belongs to the memo's life, not to accounts: a deactivated signer's waiting steps go up the
organisation as an overdue step would (services.memo_life.escalation), so no memo is left waiting for
someone who can no longer act.
"""

import datetime as dt

from sqlmodel import Session, select

from models import Holding, Memo, Organisation
from models.clock import utcnow
from models.enums import MemoStatus
from services.accounts.credentials import audit_account_change, end_sessions
from services.accounts.people import member_of
from services.errors import BadInput
from services.memo_life.escalation import escalate_step
from services.memo_life.frozen_route import step_rule


def deactivate(
    session: Session, *, actor: str, org: Organisation, username: str, now: dt.datetime | None = None
) -> list[int]:
    """The person can no longer log in or sign; their sessions end, the positions they held
    fall vacant, and every memo waiting at one of their steps goes to the position above
    (as an overdue step would). Returns those memos' ids."""
    person = member_of(session, org, username)
    if person.username == actor:
        raise BadInput("ผู้ดูแลระบบปิดบัญชีของตนเองไม่ได้ (an administrator cannot deactivate themself)")
    if not person.active:
        raise BadInput(f"บัญชี {username} ถูกปิดแล้ว ({username} is already deactivated)")
    held = list(session.exec(select(Holding).where(Holding.person_id == person.id)))
    escalated = _escalate_waiting(session, org, [h.position_id for h in held], now or utcnow())
    for holding in held:
        session.delete(holding)
    person.active = False
    session.add(person)
    end_sessions(session, person.id)
    audit_account_change(
        session,
        person,
        actor=actor,
        action="account.deactivated",
        data={"vacated_position_ids": [h.position_id for h in held], "escalated_memo_ids": escalated},
    )
    return escalated


def _escalate_waiting(session: Session, org: Organisation, position_ids: list[int], now: dt.datetime) -> list[int]:
    memos = session.exec(select(Memo).where(Memo.organisation_id == org.id, Memo.status == MemoStatus.IN_REVIEW)).all()
    escalated: list[int] = []
    for memo in memos:
        step = step_rule(session, memo, memo.step)
        if step.position_id in position_ids and escalate_step(session, memo, now, reason="signer-deactivated"):
            escalated.append(memo.id)
    return escalated
