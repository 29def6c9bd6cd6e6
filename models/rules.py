"""The routing rules as plain Python: who may act on a step, and what may follow what.

Everything here is pure (no database, no Prefect), and everything is denied unless a rule
below allows it. A refusal is a `Refused` carrying a message in Thai and English that says
what to do instead.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from models.digits import thai_digits
from models.enums import STAGE_ORDER, Capacity, DecisionKind, MemoStatus, Stage

ACTING_CAPACITIES = frozenset(Capacity) - {Capacity.SELF}


class Refused(Exception):
    """The rules do not allow this action. Nothing has been changed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- who may act -------------------------------------------------------------------------


@dataclass(frozen=True)
class DelegationGrant:
    """A recorded order letting `person_id` act for `position_id` in `capacity`."""

    id: int
    person_id: int
    position_id: int
    capacity: Capacity
    order_number: str
    valid_from: dt.date
    valid_to: dt.date

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to


@dataclass(frozen=True)
class StepRule:
    """One sign-off step of a routing chain."""

    index: int
    position_id: int
    may_return: bool = True
    accepted_capacities: frozenset[Capacity] = frozenset(Capacity)


def steps_json_of(rules: Iterable[StepRule]) -> str:
    """A route's or a chain version's steps as stored: canonical JSON, each step's position and
    rules together."""
    steps = [
        {
            "index": rule.index,
            "position_id": rule.position_id,
            "may_return": rule.may_return,
            "accepted_capacities": sorted(c.value for c in rule.accepted_capacities),
        }
        for rule in rules
    ]
    return json.dumps(steps, sort_keys=True, separators=(",", ":"))


def rules_of(steps_json: str) -> list[StepRule]:
    return [
        StepRule(
            step["index"],
            step["position_id"],
            step["may_return"],
            frozenset(Capacity(c) for c in step["accepted_capacities"]),
        )
        for step in json.loads(steps_json)
    ]


@dataclass(frozen=True)
class Authority:
    """Why a person may sign a step: as the holder (SELF), under a delegation, or because the
    overdue step was escalated to a position they hold (SELF, with `escalated`)."""

    person_id: int
    capacity: Capacity
    delegation_id: int | None = None
    escalated: bool = False
    # The position the signer signs under in their own name: the step's position for its holder,
    # the escalated-to position they hold for an escalated step (its title prints under the
    # signature); None for a delegate, who prints their own title and the position acted for.
    signing_position_id: int | None = None


def authority_for(
    *,
    person_id: int,
    step: StepRule,
    on: dt.date,
    held_position_ids: Iterable[int],
    delegations: Iterable[DelegationGrant],
    claimed: Capacity | None = None,
    escalated_to: Iterable[int] = (),
) -> Authority:
    """The capacity in which `person_id` may sign `step` on day `on`, or Refused.

    `escalated_to` names the positions this overdue step was escalated to: their holders may act
    on it too, in their own name, while the step's own signers still can."""
    held = set(held_position_ids)
    if step.position_id in held:
        return _as_holder(person_id, step, claimed)
    grants = [g for g in delegations if g.person_id == person_id and g.position_id == step.position_id]
    valid = [g for g in grants if g.valid_on(on)]
    if valid:
        return _as_delegate(person_id, step, valid, claimed)
    escalated_held = held & set(escalated_to)
    if escalated_held and claimed in (None, Capacity.SELF):
        return Authority(person_id, Capacity.SELF, escalated=True, signing_position_id=min(escalated_held))
    if grants:
        raise Refused(
            "delegation-not-valid",
            f"คำสั่งมอบหมายไม่มีผลในวันที่ {on.isoformat()} "
            f"(the delegation is not valid on {on.isoformat()}: check its dates)",
        )
    raise Refused(
        "not-assigned",
        "ผู้ลงนามไม่ได้ดำรงตำแหน่งและไม่มีคำสั่งให้ปฏิบัติแทนตำแหน่งของขั้นตอนนี้ "
        "(this person neither holds the step's position nor has a delegation for it)",
    )


def _as_holder(person_id: int, step: StepRule, claimed: Capacity | None) -> Authority:
    if claimed not in (None, Capacity.SELF):
        raise Refused(
            "wrong-capacity",
            f"ผู้ลงนามดำรงตำแหน่งนี้เอง จะลงนามในฐานะ {claimed} ไม่ได้ "
            "(the signer holds this position and signs in their own name)",
        )
    return Authority(person_id, Capacity.SELF, signing_position_id=step.position_id)


def _as_delegate(person_id: int, step: StepRule, valid: list[DelegationGrant], claimed: Capacity | None) -> Authority:
    usable = [g for g in valid if g.capacity in step.accepted_capacities and claimed in (None, g.capacity)]
    if not usable:
        held = ", ".join(sorted({g.capacity.value for g in valid}))
        raise Refused(
            "wrong-capacity",
            f"ลงนามในฐานะนี้ไม่ได้: คำสั่งมอบหมายให้ {held} "
            "ซึ่งขั้นตอนนี้ไม่รับ หรือไม่ตรงกับที่ระบุ "
            f"(the delegation's capacity ({held}) is not accepted by this step or not the one claimed)",
        )
    grant = min(usable, key=lambda g: g.id)
    return Authority(person_id, grant.capacity, grant.id)


# --- what may follow what ----------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Where a memo stands: the state the transition rules read and produce."""

    status: MemoStatus
    round: int = 1  # 1 + how many times the memo was returned and revised
    stages_done: tuple[Stage, ...] = (Stage.DRAFT,)  # on the current revision
    step: int = 0  # the sign-off step waited for, while IN_REVIEW
    steps_total: int = 1

    @property
    def next_stage(self) -> Stage | None:
        remaining = [s for s in STAGE_ORDER if s not in self.stages_done]
        return remaining[0] if remaining else None


@dataclass(frozen=True)
class StageRecorded:
    stage: Stage


@dataclass(frozen=True)
class Decided:
    kind: DecisionKind
    step: int


@dataclass(frozen=True)
class StageReturned:
    """The person at a ทาน or ตรวจ stage sends the memo back to the drafter for corrections."""

    stage: Stage


@dataclass(frozen=True)
class Revised:
    pass


@dataclass(frozen=True)
class Published:
    pass


@dataclass(frozen=True)
class Withdrawn:
    """The drafter takes the memo back for good (ถอนเรื่อง), before any step approved it."""


@dataclass(frozen=True)
class Cancelled:
    """An administrator stops the memo on its way (ยกเลิก), before it is published."""


Event = StageRecorded | StageReturned | Decided | Revised | Published | Withdrawn | Cancelled

# The stages that read the draft against the rules and may send it back: proofreading and checking.
# Typesetting (พิมพ์) only types it; the draft (ร่าง) is the drafter's own.
RETURNING_STAGES = frozenset({Stage.PROOFREAD, Stage.CHECK})


def submitted(steps_total: int) -> Progress:
    """A memo just submitted: drafted (ร่าง) on revision 1, the other stages to come."""
    if steps_total < 1:
        raise Refused("empty-chain", "สายการลงนามต้องมีอย่างน้อยหนึ่งขั้นตอน (a routing chain needs at least one step)")
    return Progress(MemoStatus.PREPARING, steps_total=steps_total)


def advance(progress: Progress, event: Event) -> Progress:
    """The progress after `event`, or Refused when the event may not happen now."""
    handler = _TRANSITIONS.get((progress.status, type(event)))
    if handler is None:
        raise Refused(
            "not-now",
            f"ทำรายการนี้ไม่ได้ในสถานะ {progress.status.value} "
            f"({type(event).__name__} is not allowed while the memo is {progress.status.value})",
        )
    return handler(progress, event)


def allows(progress: Progress, event: Event) -> bool:
    """Whether `event` may happen now: what a page offers is what `advance` accepts."""
    try:
        advance(progress, event)
    except Refused:
        return False
    return True


def _record_stage(p: Progress, e: StageRecorded) -> Progress:
    if e.stage != p.next_stage:
        raise Refused(
            "stage-order",
            f"ขั้นตอนถัดไปคือ {p.next_stage}, ไม่ใช่ {e.stage} (the next preparation stage is {p.next_stage}, not {e.stage})",
        )
    done = p.stages_done + (e.stage,)
    if len(done) == len(STAGE_ORDER):
        return replace(p, status=MemoStatus.IN_REVIEW, stages_done=done, step=0)
    return replace(p, stages_done=done)


def _return_at_stage(p: Progress, e: StageReturned) -> Progress:
    if e.stage not in RETURNING_STAGES:
        raise Refused(
            "stage-no-return",
            f"ขั้นตอน {e.stage} ส่งคืนผู้ร่างไม่ได้ ส่งคืนได้เฉพาะขั้นตอนทานและตรวจ "
            f"(only the ทาน and ตรวจ stages may return the memo, not {e.stage.name.lower()})",
        )
    if e.stage != p.next_stage:
        raise Refused(
            "stage-order",
            f"บันทึกรอขั้นตอน {p.next_stage} ไม่ใช่ {e.stage} (the memo waits for the {p.next_stage} stage, not {e.stage})",
        )
    return replace(p, status=MemoStatus.RETURNED)


def _decide(p: Progress, e: Decided) -> Progress:
    if e.step != p.step:
        raise Refused(
            "wrong-step",
            f"บันทึกนี้รอการพิจารณาขั้นที่ {thai_digits(p.step + 1)} ไม่ใช่ขั้นที่ {thai_digits(e.step + 1)} "
            f"(the memo waits for step {p.step + 1}, not step {e.step + 1})",
        )
    if e.kind is DecisionKind.RETURN:
        return replace(p, status=MemoStatus.RETURNED)
    if e.kind is DecisionKind.DISAPPROVE:
        return replace(p, status=MemoStatus.DISAPPROVED)
    if p.step + 1 == p.steps_total:
        return replace(p, status=MemoStatus.APPROVED)
    return replace(p, step=p.step + 1)


def _revise(p: Progress, _e: Revised) -> Progress:
    # A new revision starts the preparation stages and the whole chain again.
    return Progress(MemoStatus.PREPARING, round=p.round + 1, steps_total=p.steps_total)


def _publish(p: Progress, _e: Published) -> Progress:
    return replace(p, status=MemoStatus.PUBLISHED)


def _withdraw(p: Progress, _e: Withdrawn) -> Progress:
    if p.status == MemoStatus.IN_REVIEW and p.step > 0:
        raise Refused(
            "already-approved",
            "ถอนเรื่องไม่ได้ เพราะมีผู้เห็นชอบแล้ว ให้ขอให้ผู้พิจารณาส่งคืนหรือให้ผู้ดูแลระบบยกเลิก "
            "(a memo a step has approved cannot be withdrawn: ask for a return, or an administrator's cancellation)",
        )
    return replace(p, status=MemoStatus.WITHDRAWN)


def _cancel(p: Progress, _e: Cancelled) -> Progress:
    return replace(p, status=MemoStatus.CANCELLED)


# Each handler takes the event type of its key; the table says which, the signatures cannot.
_TRANSITIONS: dict[tuple[MemoStatus, type], Callable[[Progress, Any], Progress]] = {
    (MemoStatus.PREPARING, StageRecorded): _record_stage,
    (MemoStatus.PREPARING, StageReturned): _return_at_stage,
    (MemoStatus.IN_REVIEW, Decided): _decide,
    (MemoStatus.RETURNED, Revised): _revise,
    (MemoStatus.APPROVED, Published): _publish,
    (MemoStatus.PREPARING, Withdrawn): _withdraw,
    (MemoStatus.IN_REVIEW, Withdrawn): _withdraw,
    (MemoStatus.RETURNED, Withdrawn): _withdraw,
    (MemoStatus.PREPARING, Cancelled): _cancel,
    (MemoStatus.IN_REVIEW, Cancelled): _cancel,
    (MemoStatus.RETURNED, Cancelled): _cancel,
    (MemoStatus.APPROVED, Cancelled): _cancel,
}


def allowed_transitions() -> frozenset[tuple[MemoStatus, type]]:
    """Every (status, event type) pair that some rule allows: the table tests compare against."""
    return frozenset(_TRANSITIONS)


# --- single checks -----------------------------------------------------------------------


def check_may_return(step: StepRule, kind: DecisionKind) -> None:
    if kind is DecisionKind.RETURN and not step.may_return:
        raise Refused("no-return", "ขั้นตอนนี้ส่งคืนแก้ไขไม่ได้ (this step may not return the memo)")


def check_revision(seen_sha256: str | None, current_sha256: str) -> None:
    """An approval binds to the exact revision the signer saw (None: the caller vouches that the
    signer saw the current one; the API and the CLI always pass what the signer saw)."""
    if seen_sha256 is not None and seen_sha256 != current_sha256:
        raise Refused(
            "stale-revision",
            "บันทึกถูกแก้ไขหลังจากที่ท่านเปิดดู กรุณาเปิดฉบับล่าสุดแล้วลงนามใหม่ "
            "(the memo changed after you opened it: review the current revision and sign again)",
        )


def check_minute(kind: DecisionKind, minute: str) -> None:
    if kind is DecisionKind.RETURN and not minute.strip():
        raise Refused("reason-required", "การส่งคืนแก้ไขต้องระบุเหตุผล (a return needs a reason in the minute)")
    if kind is DecisionKind.DISAPPROVE and not minute.strip():
        raise Refused("reason-required", "การไม่อนุมัติต้องระบุเหตุผล (a disapproval needs a reason in the minute)")


@dataclass(frozen=True)
class StageActor:
    """Who wants to record a preparation stage: the person and the positions they hold."""

    person_id: int
    held_position_ids: frozenset[int]


def stage_refusal(
    stage: Stage, actor: StageActor, drafter_id: int, allowed_position_ids: Iterable[int]
) -> Refused | None:
    """Why `actor` may not record `stage` on a memo drafted by `drafter_id`, or None when they may.

    Denied by default: only a holder of one of `allowed_position_ids` (the organisation's
    configuration for this stage) may, and never the drafter (separation of duties: a drafter
    who typesets, proofreads or checks her own memo defeats the purpose of the stage)."""
    if stage is Stage.DRAFT:
        return Refused("stage-is-draft", "ขั้นตอนร่างบันทึกเมื่อส่งบันทึก (ร่าง is recorded when the memo is submitted)")
    if actor.person_id == drafter_id:
        return Refused(
            "self-stage",
            f"ผู้ร่างบันทึกขั้นตอน {stage.value} ของบันทึกตนเองไม่ได้ "
            f"(the drafter may not record {stage.value} on their own memo: another person must)",
        )
    if not actor.held_position_ids:
        return Refused(
            "no-position",
            f"ผู้ใช้ไม่ได้ดำรงตำแหน่งใด จึงบันทึกขั้นตอน {stage.value} ไม่ได้ "
            f"(a person who holds no position may not record {stage.value})",
        )
    if not actor.held_position_ids & frozenset(allowed_position_ids):
        return Refused(
            "stage-not-allowed",
            f"ตำแหน่งของท่านไม่ได้รับมอบหมายให้บันทึกขั้นตอน {stage.value} "
            f"(your position may not record {stage.value} in this organisation: "
            "the administrator sets who may on the admin page or in the organisation file)",
        )
    return None


def may_record_stage(stage: Stage, actor: StageActor, drafter_id: int, allowed_position_ids: Iterable[int]) -> bool:
    """The one stage rule: the queue, the memo page and the recording service all ask it."""
    return stage_refusal(stage, actor, drafter_id, allowed_position_ids) is None


def check_stage_actor(stage: Stage, actor: StageActor, drafter_id: int, allowed_position_ids: Iterable[int]) -> None:
    refusal = stage_refusal(stage, actor, drafter_id, allowed_position_ids)
    if refusal is not None:
        raise refusal


@dataclass(frozen=True)
class ChainDuties:
    """Separation of duties on one routing chain (configured per chain)."""

    drafter_may_sign: bool = False  # whether the drafter may sign a step of their own memo
    same_signer_consecutive_steps: bool = False  # whether one person may sign two steps in a row


def signer_refusal(
    *, signer_id: int, drafter_id: int, step: int, signers_so_far: Mapping[int, int], duties: ChainDuties
) -> Refused | None:
    """Why `signer_id` may not sign `step` under the chain's separation of duties, or None.

    `signers_so_far` maps each step already signed in this round to its signer."""
    if signer_id == drafter_id and not duties.drafter_may_sign:
        return Refused(
            "self-sign", "ผู้ร่างลงนามพิจารณาบันทึกของตนเองไม่ได้ (the drafter may not sign any step of their own memo)"
        )
    if step > 0 and signers_so_far.get(step - 1) == signer_id and not duties.same_signer_consecutive_steps:
        return Refused(
            "consecutive-steps",
            f"ท่านลงนามขั้นที่ {thai_digits(step)} แล้ว สายการลงนามนี้ไม่ให้บุคคลเดียวลงนามสองขั้นติดกัน "
            f"(you signed step {step}: this chain does not let one person sign two steps in a row; "
            "another holder or a delegate must sign this one)",
        )
    return None


def check_signer(
    *, signer_id: int, drafter_id: int, step: int, signers_so_far: Mapping[int, int], duties: ChainDuties
) -> None:
    refusal = signer_refusal(
        signer_id=signer_id, drafter_id=drafter_id, step=step, signers_so_far=signers_so_far, duties=duties
    )
    if refusal is not None:
        raise refusal


def check_announcement(seen_sha256: str | None, current_sha256: str, approved_before: Iterable[str]) -> None:
    """An approval binds the announcement's text as it will be published: the text the signer
    saw (when they say) and the text every earlier step of the round approved."""
    if seen_sha256 is not None and seen_sha256 != current_sha256:
        raise Refused(
            "stale-announcement",
            "ประกาศเปลี่ยนไปหลังจากที่ท่านเปิดดู กรุณาเปิดฉบับล่าสุดแล้วลงนามใหม่ "
            "(the announcement's text changed after you opened it: review it and sign again)",
        )
    if any(earlier and earlier != current_sha256 for earlier in approved_before):
        raise Refused(
            "announcement-changed",
            "ข้อความประกาศต่างจากที่ขั้นก่อนหน้าอนุมัติไว้ (แม่แบบประกาศถูกแก้ไข) "
            "ให้คืนแม่แบบเดิม หรือส่งคืนแก้ไขเพื่อให้พิจารณาใหม่ทั้งสาย "
            "(the announcement's text differs from what the earlier steps approved: its template was "
            "changed; restore the template, or return the memo so the whole chain approves the new text)",
        )


def check_stage_returner(actor_id: int, drafter_id: int) -> None:
    # The drafter makes the corrections; sending the memo back to oneself records nothing useful.
    if actor_id == drafter_id:
        raise Refused("self-return", "ผู้ร่างส่งคืนบันทึกของตนเองไม่ได้ (the drafter may not return their own memo)")


def check_return_note(note: str) -> None:
    if not note.strip():
        raise Refused(
            "note-required", "การส่งคืนผู้ร่างต้องระบุรายการที่ต้องแก้ไข (a return to the drafter needs a note of the corrections)"
        )


def check_reviser(actor_id: int, drafter_id: int) -> None:
    if actor_id != drafter_id:
        raise Refused("not-drafter", "เฉพาะผู้ร่างเท่านั้นที่แก้ไขบันทึกที่ถูกส่งคืนได้ (only the drafter may revise a returned memo)")
