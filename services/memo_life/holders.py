"""Who holds each memo now, by name: the people who may act at its current stage or step, for
lists of many memos (the drafter's "เรื่องที่ท่านเสนอ" may hold a hundred).

The same rules as the queue (services.memo_life.queue: a step's holder, a delegate whose order
is valid today and whose capacity the step accepts, the holder of the position an overdue step
went up to, never one the chain's separation of duties refuses; a stage's recorders), but read
in a fixed number of queries for the whole list instead of several per memo and person."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models import Decision, Delegation, Escalation, Holding, Memo, MemoRoute, Person, Position, StagePermission
from models.clock import office_date
from models.digits import thai_digits
from models.enums import Capacity, MemoStatus
from models.rules import StageActor, StepRule, may_record_stage, signer_refusal

MOST_NAMED = 3  # beyond this, "และอีก ๒ คน"


@dataclass(frozen=True)
class Holder:
    name: str  # the full name, with the capacity when acting: "นายสมชาย ใจดี (รักษาราชการแทน)"
    position: str  # the step's or their own position's title


@dataclass(frozen=True)
class Waiting:
    people: list[Holder]  # who may act now (none: nobody can, the administrator must see to it)
    step_title: str = ""  # for a memo in review: the title of its step's position


def holders_now(session: Session, memos: Sequence[Memo]) -> dict[int, Waiting]:
    """For each memo waiting at a stage or step, who may act on it now (returned memos wait
    for their drafter, who reads this list: they are not named)."""
    waiting = [m for m in memos if m.status in (MemoStatus.PREPARING, MemoStatus.IN_REVIEW)]
    if not waiting:
        return {}
    ids, orgs = [m.id for m in waiting if m.id is not None], {m.organisation_id for m in waiting}
    data = _Rows(session, ids, orgs)
    return {
        m.id: (_signers(data, m) if m.status == MemoStatus.IN_REVIEW else _recorders(data, m))
        for m in waiting
        if m.id is not None
    }


class _Rows:
    """Everything the rules read for the memos, one query per table."""

    def __init__(self, session: Session, ids: list[int], orgs: set[int]) -> None:
        routes = session.exec(select(MemoRoute).where(col(MemoRoute.memo_id).in_(ids)).order_by(MemoRoute.id)).all()
        self.route = {r.memo_id: r for r in routes}  # the latest: the route in force
        self.people = {
            p.id: p
            for p in session.exec(
                select(Person).where(col(Person.organisation_id).in_(orgs), Person.active).order_by(Person.id)
            )
        }
        positions = session.exec(select(Position).where(col(Position.organisation_id).in_(orgs))).all()
        self.positions: dict[int, Position] = {p.id: p for p in positions if p.id is not None}
        self.held: dict[int, set[int]] = defaultdict(set)  # person -> positions
        self.holders: dict[int, list[int]] = defaultdict(list)  # position -> people
        for holding in session.exec(select(Holding).where(col(Holding.position_id).in_(list(self.positions)))):
            self.held[holding.person_id].add(holding.position_id)
            self.holders[holding.position_id].append(holding.person_id)
        today = office_date()
        self.delegations = [
            d
            for d in session.exec(select(Delegation).where(col(Delegation.position_id).in_(list(self.positions))))
            if d.valid_from <= today <= d.valid_to
        ]
        self.escalations = session.exec(select(Escalation).where(col(Escalation.memo_id).in_(ids))).all()
        self.decisions = session.exec(select(Decision).where(col(Decision.memo_id).in_(ids))).all()
        self.permissions = session.exec(
            select(StagePermission).where(col(StagePermission.organisation_id).in_(orgs))
        ).all()


def _signers(data: _Rows, memo: Memo) -> Waiting:
    route = data.route.get(memo.id)
    rules = route.rules() if route else []
    if route is None or not 0 <= memo.step < len(rules):
        return Waiting([])
    step: StepRule = rules[memo.step]
    title = data.positions[step.position_id].title
    signed = {d.step_index: d.signer_id for d in data.decisions if d.memo_id == memo.id and d.round == memo.round}

    def allowed(person_id: int) -> bool:
        return person_id in data.people and (
            signer_refusal(
                signer_id=person_id,
                drafter_id=memo.drafter_id,
                step=memo.step,
                signers_so_far=signed,
                duties=route.duties(),
            )
            is None
        )

    found: dict[int, Holder] = {}
    for person_id in data.holders.get(step.position_id, []):
        if allowed(person_id):
            found[person_id] = Holder(data.people[person_id].full_name, title)
    for d in data.delegations:
        if d.position_id == step.position_id and d.capacity in step.accepted_capacities and d.capacity != Capacity.SELF:
            if d.person_id not in found and allowed(d.person_id):
                found[d.person_id] = Holder(f"{data.people[d.person_id].full_name} ({d.capacity.value})", title)
    above = {
        e.to_position_id
        for e in data.escalations
        if e.memo_id == memo.id and e.round == memo.round and e.step_index == memo.step
    }
    for position_id in sorted(above):
        for person_id in data.holders.get(position_id, []):
            if person_id not in found and allowed(person_id):
                name = f"{data.people[person_id].full_name} (ยกระดับเพราะเกินกำหนด)"
                found[person_id] = Holder(name, data.positions[position_id].title)
    return Waiting(list(found.values()), title)


def _recorders(data: _Rows, memo: Memo) -> Waiting:
    stage = memo.progress().next_stage
    configured = {
        p.position_id for p in data.permissions if p.organisation_id == memo.organisation_id and p.stage == stage
    }
    allowed = configured or {
        position_id
        for position_id, p in data.positions.items()
        if p.organisation_id == memo.organisation_id and p.unit_id == memo.unit_id
    }
    found = []
    for person_id, person in data.people.items():
        held = frozenset(data.held.get(person_id, set()))
        if person.organisation_id == memo.organisation_id and may_record_stage(
            stage, StageActor(person_id, held), memo.drafter_id, allowed
        ):
            title = data.positions[min(held & allowed)].title if held & allowed else ""
            found.append(Holder(person.full_name, title))
    return Waiting(found)


def holders_text(holders: list[Holder]) -> str:
    """ "นายสมชาย ใจดี, นางวันนา ..." (at most three names, then how many more)."""
    names = [h.name for h in holders[:MOST_NAMED]]
    more = len(holders) - MOST_NAMED
    return ", ".join(names) + (f" และอีก {thai_digits(more)} คน" if more > 0 else "")
