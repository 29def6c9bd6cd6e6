"""Who must act next on which memo: the personal queue (รอพิจารณา), straight from the database."""

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models import Holding, Memo, Person, Position
from models.clock import office_date, utcnow
from models.digits import thai_digits
from models.enums import MemoStatus
from models.rules import DelegationGrant, StepRule
from services.accounts.people import delegation_grants, held_position_ids
from services.memo_life.escalation import escalated_positions
from services.memo_life.frozen_route import step_rule
from services.memo_life.signoff import duties_refusal
from services.memo_life.stage_roles import may_record
from services.memo_life.standing import IN_FLIGHT, LABELS, standing


@dataclass(frozen=True)
class QueueItem:
    memo_id: int
    register_number: str
    subject: str
    waiting_for: str  # "sign step 2", "record พิมพ์", "revise"
    capacity: str  # "self" or the acting capacity the person would sign in
    waiting_since: dt.datetime

    @property
    def waited(self) -> dt.timedelta:
        return utcnow() - self.waiting_since


def queue_for(session: Session, username: str) -> list[QueueItem]:
    person = session.exec(select(Person).where(Person.username == username)).first()
    if person is None:
        return []
    memos = session.exec(
        select(Memo)
        .where(
            Memo.organisation_id == person.organisation_id,
            col(Memo.status).in_([MemoStatus.PREPARING, MemoStatus.IN_REVIEW, MemoStatus.RETURNED]),
        )
        .order_by(Memo.updated_at)
    ).all()
    return [item for memo in memos if (item := _item_for(session, person, memo)) is not None]


def may_act_now(session: Session, person: Person, memo: Memo) -> QueueItem | None:
    """What `person` may do on `memo` now, as their queue shows it (None: nothing). The immediate
    notices ask this too, so a person is told of exactly the work their queue offers."""
    if not person.active or person.organisation_id != memo.organisation_id:
        return None
    return _item_for(session, person, memo)


def _item_for(session: Session, person: Person, memo: Memo) -> QueueItem | None:
    if memo.status == MemoStatus.IN_REVIEW:
        capacity = signing_capacity(session, person, memo)
        return _item(memo, f"พิจารณาขั้นที่ {thai_digits(memo.step + 1)}", capacity) if capacity else None
    if memo.status == MemoStatus.RETURNED:
        return _item(memo, "แก้ไขตามที่ส่งคืน (revise)", "self") if person.id == memo.drafter_id else None
    stage = memo.progress().next_stage
    if may_record(session, person, memo, stage):
        return _item(memo, f"บันทึกขั้นตอน {stage.value}", "self")
    return None


ESCALATED = "escalated"  # the capacity shown for a step escalated to the person's position


def signing_capacity(session: Session, person: Person, memo: Memo) -> str | None:
    """ "self", the acting capacity, or ESCALATED: how `person` would sign the memo's current
    step; None when they may not."""
    step = step_rule(session, memo, memo.step)
    if duties_refusal(session, memo, person.id, memo.step) is not None:
        return None
    held = held_position_ids(session, person.id)
    if step.position_id in held:
        return "self"
    grant = _grant_for(session, person, step)
    if grant is not None:
        return grant.capacity.value
    return ESCALATED if set(held) & set(escalated_positions(session, memo, memo.step)) else None


def _grant_for(session: Session, person: Person, step: StepRule) -> DelegationGrant | None:
    """The recorded order under which `person` may act for the step's position today."""
    today = office_date()
    grants = [
        g
        for g in delegation_grants(session, person.id)
        if g.position_id == step.position_id and g.valid_on(today) and g.capacity in step.accepted_capacities
    ]
    return grants[0] if grants else None


@dataclass(frozen=True)
class ActingFor:
    """Whose duties a person signs the current step in, said before they sign."""

    capacity: str  # the acting capacity, or ESCALATED
    position: str  # the step's position, by its title
    holders: list[str]  # who holds that position (full names); empty when it is vacant
    order_number: str  # the appointing order; empty for an escalated step
    valid_to: dt.date | None  # the order's last day


def acting_for(session: Session, person: Person, memo: Memo) -> ActingFor | None:
    """None when `person` signs the current step as themselves (or may not sign it)."""
    capacity = signing_capacity(session, person, memo)
    if capacity in {None, "self"}:
        return None
    step = step_rule(session, memo, memo.step)
    holders = session.exec(
        select(Person.full_name)
        .join(Holding, col(Holding.person_id) == col(Person.id))
        .where(Holding.position_id == step.position_id, Person.active)
        .order_by(Person.full_name)
    ).all()
    grant = None if capacity == ESCALATED else _grant_for(session, person, step)
    return ActingFor(
        capacity=capacity,
        position=session.get(Position, step.position_id).title,
        holders=list(holders),
        order_number=grant.order_number if grant else "",
        valid_to=grant.valid_to if grant else None,
    )


def _item(memo: Memo, waiting_for: str, capacity: str) -> QueueItem:
    return QueueItem(memo.id, memo.register_number, memo.subject, waiting_for, capacity, memo.updated_at)


@dataclass(frozen=True)
class SentItem:
    memo_id: int
    register_number: str
    subject: str
    status: str
    where: str  # the step or stage it waits at, in Thai
    since: dt.datetime
    problem: str = ""  # what went wrong after a decision, until it is put right


def sent_by(session: Session, person_id: int) -> list[SentItem]:
    """The memos a person drafted that are still moving, and where each one is now (an ended
    memo is not moving: withdrawn, disapproved and cancelled ones are listed apart)."""
    memos = session.exec(
        select(Memo)
        .where(Memo.drafter_id == person_id, col(Memo.status).in_(IN_FLIGHT))
        .order_by(col(Memo.updated_at).desc())
    ).all()
    return [
        SentItem(
            m.id, m.register_number, m.subject, m.status.value, where_now(session, m), m.updated_at, m.flow_problem
        )
        for m in memos
    ]


def where_now(session: Session, memo: Memo) -> str:
    if memo.status == MemoStatus.IN_REVIEW:
        step = step_rule(session, memo, memo.step)
        return f"รอ {session.get(Position, step.position_id).title} พิจารณา (ขั้นที่ {thai_digits(memo.step + 1)}/{thai_digits(memo.steps_total)})"
    if memo.status == MemoStatus.PREPARING:
        return f"รอขั้นตอน {memo.progress().next_stage.value}"
    if memo.status == MemoStatus.RETURNED:
        return "ส่งคืนแก้ไข รอผู้ร่างแก้ไข"
    return {
        "withdrawn": "ผู้ร่างถอนเรื่องแล้ว (เลขทะเบียนนี้ไม่ใช้อีก)",
        "disapproved": "ไม่อนุมัติ เรื่องสิ้นสุดแล้ว",
        "cancelled": "ผู้ดูแลระบบยกเลิกเรื่องแล้ว (เลขทะเบียนนี้ไม่ใช้อีก)",
    }.get(memo.status.value) or LABELS[standing(session, memo)]  # published: and still in force?
