"""Who must act next on which memo: the personal queue (รอพิจารณา), straight from the database."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models import Escalation, Holding, Memo, MemoRoute, Person, Position
from models.clock import office_date, utcnow
from models.digits import thai_digits
from models.enums import MemoStatus, Stage
from models.rules import DelegationGrant, StageActor, StepRule, may_record_stage
from services.accounts.people import delegation_grants, held_position_ids
from services.memo_life.escalation import escalated_positions
from services.memo_life.frozen_route import required_route, step_rule
from services.memo_life.holders import Waiting, holders_now, holders_text
from services.memo_life.signoff import duties_refusal
from services.memo_life.stage_roles import stage_positions
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
    # Everything asked of every memo is read once here (the menu counts this queue on every
    # page): the person's positions and grants, and the routes and escalations of the memos.
    viewer = _Viewer.of(session, person)
    reviewed = [m for m in memos if m.status == MemoStatus.IN_REVIEW]
    routes = _routes(session, reviewed)
    escalated = _escalations(session, reviewed)
    items = []
    for memo in memos:
        if memo.status == MemoStatus.IN_REVIEW:
            route = routes.get(memo.id) or required_route(session, memo)  # refused as the memo page is
            capacity = viewer.capacity(session, memo, route, escalated.get(memo.id, ()))
            item = _signing_item(memo, capacity)
        else:
            item = _other_item(session, viewer, memo)
        items += [item] if item else []
    return items


def may_act_now(session: Session, person: Person, memo: Memo) -> QueueItem | None:
    """What `person` may do on `memo` now, as their queue shows it (None: nothing). The immediate
    notices ask this too, so a person is told of exactly the work their queue offers."""
    if not person.active or person.organisation_id != memo.organisation_id:
        return None
    if memo.status == MemoStatus.IN_REVIEW:
        return _signing_item(memo, signing_capacity(session, person, memo))
    return _other_item(session, _Viewer.of(session, person), memo)


def _signing_item(memo: Memo, capacity: str | None) -> QueueItem | None:
    return _item(memo, f"พิจารณาขั้นที่ {thai_digits(memo.step + 1)}", capacity) if capacity else None


def _other_item(session: Session, viewer: "_Viewer", memo: Memo) -> QueueItem | None:
    if memo.status == MemoStatus.RETURNED:
        return _item(memo, "แก้ไขตามที่ส่งคืน (revise)", "self") if viewer.person.id == memo.drafter_id else None
    stage = memo.progress().next_stage
    if viewer.may_record(session, memo, stage):
        return _item(memo, f"บันทึกขั้นตอน {stage.value}", "self")
    return None


ESCALATED = "escalated"  # the capacity shown for a step escalated to the person's position


def signing_capacity(session: Session, person: Person, memo: Memo) -> str | None:
    """ "self", the acting capacity, or ESCALATED: how `person` would sign the memo's current
    step; None when they may not."""
    route = required_route(session, memo)
    return _Viewer.of(session, person).capacity(session, memo, route, escalated_positions(session, memo, memo.step))


@dataclass(frozen=True)
class _Viewer:
    """What the rules ask of the person, read once for all the memos of a queue."""

    person: Person
    held: frozenset[int]
    grants: tuple[DelegationGrant, ...]
    today: dt.date
    stage_positions: dict[tuple[int, Stage], frozenset[int]]  # filled as memos of each unit come

    @classmethod
    def of(cls, session: Session, person: Person) -> "_Viewer":
        held = frozenset(held_position_ids(session, person.id))
        return cls(person, held, tuple(delegation_grants(session, person.id)), office_date(), {})

    def capacity(self, session: Session, memo: Memo, route: MemoRoute, escalated_to: Iterable[int]) -> str | None:
        rule = _rule_at(session, memo, route)
        escalated = bool(self.held & set(escalated_to))
        grant = _grant_among(self.grants, rule, self.today)
        if rule.position_id not in self.held and grant is None and not escalated:
            return None  # most memos of a queue end here, before the decisions are read
        if duties_refusal(session, memo, self.person.id, memo.step, route) is not None:
            return None
        if rule.position_id in self.held:
            return "self"
        return grant.capacity.value if grant else ESCALATED

    def may_record(self, session: Session, memo: Memo, stage: Stage) -> bool:
        key = (memo.unit_id, stage)
        if key not in self.stage_positions:
            self.stage_positions[key] = stage_positions(session, memo, stage)
        actor = StageActor(self.person.id, self.held)
        return may_record_stage(stage, actor, memo.drafter_id, self.stage_positions[key])


def _routes(session: Session, memos: list[Memo]) -> dict[int, MemoRoute]:
    """Each memo's route in force (its latest), in one query."""
    rows = session.exec(
        select(MemoRoute).where(col(MemoRoute.memo_id).in_([m.id for m in memos])).order_by(col(MemoRoute.id))
    )
    return {route.memo_id: route for route in rows}


def _rule_at(session: Session, memo: Memo, route: MemoRoute) -> StepRule:
    rules = route.rules()
    return rules[memo.step] if 0 <= memo.step < len(rules) else step_rule(session, memo, memo.step)  # refused


def _escalations(session: Session, memos: list[Memo]) -> dict[int, list[int]]:
    """The positions each memo's current step was escalated to, in one query."""
    at = {m.id: (m.round, m.step) for m in memos}
    rows = session.exec(select(Escalation).where(col(Escalation.memo_id).in_(list(at))))
    escalated: dict[int, list[int]] = {}
    for row in rows:
        if at[row.memo_id] == (row.round, row.step_index):
            escalated.setdefault(row.memo_id, []).append(row.to_position_id)
    return escalated


def _grant_among(grants: Iterable[DelegationGrant], rule: StepRule, today: dt.date) -> DelegationGrant | None:
    """The recorded order under which the person may act for the step's position today."""
    return next(
        (
            g
            for g in grants
            if g.position_id == rule.position_id and g.valid_on(today) and g.capacity in rule.accepted_capacities
        ),
        None,
    )


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
    grant = None if capacity == ESCALATED else _grant_among(delegation_grants(session, person.id), step, office_date())
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
    holders = holders_now(session, memos)
    return [
        SentItem(
            m.id,
            m.register_number,
            m.subject,
            m.status.value,
            where_now(session, m, holders.get(m.id)),
            m.updated_at,
            m.flow_problem,
        )
        for m in memos
    ]


def where_now(session: Session, memo: Memo, waiting: Waiting | None = None) -> str:
    """Where the memo stands, in Thai, naming who holds it now: "รอ นายสมชาย ใจดี (ปลัดเทศบาล)
    พิจารณา ...". A list passes each memo's `waiting` (services.memo_life.holders, read for the
    whole list at once); alone, the memo's is read here."""
    if waiting is None and memo.status in (MemoStatus.IN_REVIEW, MemoStatus.PREPARING):
        waiting = holders_now(session, [memo]).get(memo.id)
    holders = waiting.people if waiting else []
    if memo.status == MemoStatus.IN_REVIEW:
        title = waiting.step_title if waiting and waiting.step_title else ""
        if not title:  # no route read (a memo from before routes were frozen: step_rule says so)
            title = session.get(Position, step_rule(session, memo, memo.step).position_id).title
        steps = f"ขั้นที่ {thai_digits(memo.step + 1)}/{thai_digits(memo.steps_total)}"
        if not holders:
            return f"รอ {title} พิจารณา ({steps}; ยังไม่มีผู้ลงนามได้ แจ้งผู้ดูแลระบบ)"
        return f"รอ {holders_text(holders)} ({title}) พิจารณา ({steps})"
    if memo.status == MemoStatus.PREPARING:
        stage = memo.progress().next_stage.value
        if not holders:
            return f"รอขั้นตอน {stage} (ยังไม่มีผู้บันทึกได้ แจ้งผู้ดูแลระบบ)"
        return f"รอ {holders_text(holders)} บันทึกขั้นตอน {stage}"
    if memo.status == MemoStatus.RETURNED:
        return "ส่งคืนแก้ไข รอผู้ร่างแก้ไข"
    return {
        "withdrawn": "ผู้ร่างถอนเรื่องแล้ว (เลขทะเบียนนี้ไม่ใช้อีก)",
        "disapproved": "ไม่อนุมัติ เรื่องสิ้นสุดแล้ว",
        "cancelled": "ผู้ดูแลระบบยกเลิกเรื่องแล้ว (เลขทะเบียนนี้ไม่ใช้อีก)",
    }.get(memo.status.value) or LABELS[standing(session, memo)]  # published: and still in force?
