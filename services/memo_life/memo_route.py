"""The route of a memo as its page shows it: each preparation stage and sign-off step of the
current round, who did it and in which capacity, who may act next (the queue's own rule), and
when the wait is due in official working days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, select

from documents.thai_format import thai_date_short, to_thai_digits
from models import Decision, Delegation, Holding, Memo, MemoRoute, Organisation, Person, Position, StageRecord
from models.approvals import route_of
from models.clock import office_date, utcnow
from models.deadlines import calendar_of
from models.decision_words import decision_word
from models.document_kinds import acknowledges
from models.enums import ENDED, STAGE_ORDER, Capacity, MemoStatus, Stage
from models.workdays import working_days_between
from services.accounts.reset_watch import reset_flag_text
from services.memo_life.endings import ended_text
from services.memo_life.queue import ESCALATED, may_act_now

DONE, NOW, LATER = "done", "now", "later"


@dataclass(frozen=True)
class RouteStep:
    label: str  # "พิมพ์", "ขั้นที่ ๒ ปลัดเทศบาลตำบลโคกพุทรา"
    state: str  # done | now | later
    by: str = ""  # who did it, with the capacity they signed in
    outcome: str = ""  # เห็นชอบ / อนุมัติ (the last step) / ส่งคืนแก้ไข / บันทึกแล้ว (models.decision_words)
    at: dt.datetime | None = None
    next_people: list[str] = field(default_factory=list)  # who may act now, with their capacity
    due: str = ""  # "๙ ธ.ค. ๖๙ เวลา ๑๖.๓๐ น. (เหลือ ๒ วันทำการ)"
    overdue: bool = False


@dataclass(frozen=True)
class Route:
    round: int
    steps: list[RouteStep]
    after: str  # what happens once the route is done, or what the memo waits for off the route
    chain_version: str = ""  # "สายการลงนามฉบับที่ ๒": which version of its chain the memo follows


def memo_route(session: Session, memo: Memo, *, now: dt.datetime | None = None) -> Route:
    now = now or utcnow()
    waiting = (
        _who_may_act(session, memo)
        if memo.status in (MemoStatus.PREPARING, MemoStatus.IN_REVIEW, MemoStatus.RETURNED)
        else []
    )
    due, overdue = _due(session, memo, now)
    route = route_of(session, memo.id)
    steps = _stages(session, memo, waiting, due, overdue) + _signoffs(session, memo, route, waiting, due, overdue)
    after = ended_text(session, memo) if memo.status in ENDED else _after(memo, waiting, due)
    return Route(memo.round, steps, after, _version_text(route))


def _version_text(route: MemoRoute | None) -> str:
    if route is None or route.chain_version == 0:
        return ""
    moved = f" (ย้ายมาใช้เมื่อรอบที่ {to_thai_digits(route.from_round)})" if route.from_round > 1 else ""
    return f"ตามสายการลงนามฉบับที่ {to_thai_digits(route.chain_version)}{moved}"


def _stages(session: Session, memo: Memo, waiting: list[str], due: str, overdue: bool) -> list[RouteStep]:
    records = {
        r.stage: r
        for r in session.exec(
            select(StageRecord).where(StageRecord.memo_id == memo.id, StageRecord.round == memo.round)
        )
    }
    next_stage = memo.progress().next_stage if memo.status == MemoStatus.PREPARING else None
    steps = []
    for stage in STAGE_ORDER:
        record = records.get(stage)
        if record is not None:
            steps.append(
                RouteStep(
                    stage.value,
                    DONE,
                    _name(session, record.person_id),
                    "ร่างแล้ว" if stage is Stage.DRAFT else "บันทึกแล้ว",
                    record.at,
                )
            )
        elif stage == next_stage:
            steps.append(RouteStep(stage.value, NOW, next_people=waiting, due=due, overdue=overdue))
        else:
            steps.append(RouteStep(stage.value, LATER))
    return steps


def _signoffs(
    session: Session, memo: Memo, route: MemoRoute | None, waiting: list[str], due: str, overdue: bool
) -> list[RouteStep]:
    decisions = {
        d.step_index: d
        for d in session.exec(select(Decision).where(Decision.memo_id == memo.id, Decision.round == memo.round))
    }
    steps = []
    rules = route.rules() if route else []
    for row in rules:
        title = session.get(Position, row.position_id).title
        label = f"ขั้นที่ {to_thai_digits(row.index + 1)} {title}"
        decision = decisions.get(row.index)
        if decision is not None:
            last = row.index == len(rules) - 1
            outcome = decision_word(decision.kind, last_step=last, acknowledges=acknowledges(memo.document_kind))
            steps.append(RouteStep(label, DONE, signed_by(session, decision), outcome, decision.at))
        elif memo.status == MemoStatus.IN_REVIEW and row.index == memo.step:
            steps.append(RouteStep(label, NOW, next_people=waiting, due=due, overdue=overdue))
        else:
            steps.append(RouteStep(label, LATER))
    return steps


def signed_by(session: Session, decision: Decision) -> str:
    """ "นายภาคภูมิ ... ปฏิบัติราชการแทน นายกเทศมนตรีตำบลโคกพุทรา (นายสมชาย ...)": the signer, and for
    an acting capacity whose duties: the step's position and, when someone holds it, its holder;
    then whether an administrator had just reset the signer's credentials."""
    flag = reset_flag_text(decision.after_reset)
    return _signer(session, decision) + (f" ⚠ {flag}" if flag else "")


def _signer(session: Session, decision: Decision) -> str:
    signer = _name(session, decision.signer_id)
    position = session.get(Position, decision.position_id)
    if decision.capacity is Capacity.SELF:
        own = decision.signed_as_position_id
        if own is not None and own != decision.position_id:
            return f"{signer} ในนามตำแหน่ง {session.get(Position, own).title} (ยกระดับเพราะเกินกำหนด)"
        return signer
    holder = session.exec(select(Holding.person_id).where(Holding.position_id == position.id)).first()
    whose = f" ({_name(session, holder)})" if holder is not None and holder != decision.signer_id else ""
    order = session.get(Delegation, decision.delegation_id).order_number if decision.delegation_id else ""
    text = f"{signer} {decision.capacity.value} {position.title}{whose}"
    return text + (f" ตาม{order}" if order and not order.startswith("ตาม") else (f" {order}" if order else ""))


def _who_may_act(session: Session, memo: Memo) -> list[str]:
    people = session.exec(
        select(Person).where(Person.organisation_id == memo.organisation_id, Person.active).order_by(Person.id)
    ).all()
    named = []
    for person in people:
        item = may_act_now(session, person, memo)
        if item is None:
            continue
        if item.capacity == ESCALATED:
            named.append(f"{person.full_name} (ยกระดับเพราะเกินกำหนด)")
        elif item.capacity != "self":
            named.append(f"{person.full_name} ในฐานะ{item.capacity}")
        else:
            named.append(person.full_name)
    return named


def _due(session: Session, memo: Memo, now: dt.datetime) -> tuple[str, bool]:
    if memo.due_at is None:
        return "", False
    calendar = calendar_of(session.get(Organisation, memo.organisation_id))
    when = f"{thai_date_short(office_date(memo.due_at))} เวลา ๑๖.๓๐ น."
    if memo.due_at < now:
        late = working_days_between(memo.due_at, now, calendar)
        return f"{when} (เกินกำหนด {to_thai_digits(late)} วันทำการ)" if late else f"{when} (เกินกำหนด)", True
    left = working_days_between(now, memo.due_at, calendar)
    return f"{when} (เหลือ {to_thai_digits(left)} วันทำการ)", False


def _after(memo: Memo, waiting: list[str], due: str) -> str:
    if memo.status == MemoStatus.RETURNED:
        who = ", ".join(waiting) or "ผู้ร่าง"
        return f"ส่งคืนแก้ไข รอ {who} แก้ไขและเสนอใหม่" + (f" กำหนด {due}" if due else "")
    if memo.status == MemoStatus.APPROVED:
        return "อนุมัติครบทุกขั้นแล้ว รอเผยแพร่"
    if memo.status == MemoStatus.PUBLISHED:
        return "เผยแพร่แล้ว"
    return "เมื่อลงนามครบทุกขั้น ระบบจะเผยแพร่ประกาศ"


def _name(session: Session, person_id: int) -> str:
    return session.get(Person, person_id).full_name
