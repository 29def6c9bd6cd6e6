"""The one vocabulary of decisions, wherever a person reads one (the route, the message after
signing, the lists, the history, the audit log, the public record, the printed minutes).

Thai offices say เห็นชอบ when a superior agrees and passes a memo up, and อนุมัติ when the last
step, the executive, approves it: the memo then stands approved and the announcement is issued.
A return is ส่งคืนแก้ไข, a disapproval ไม่อนุมัติ (the memo ends). A report memo (models.document_kinds)
is put up to be noted: its last step acknowledges it, ทราบ, rather than approving."""

from sqlmodel import Session, col, select

from models.enums import DecisionKind
from models.memo import MemoRoute

STEP_APPROVAL = "เห็นชอบ"  # a step's approval: on to the next step
LAST_APPROVAL = "อนุมัติ"  # the last step's approval: the memo is approved
ACKNOWLEDGEMENT = "ทราบ"  # a report memo's last step: the executive has noted it
RETURN = "ส่งคืนแก้ไข"
DISAPPROVAL = "ไม่อนุมัติ"


def decision_word(kind: DecisionKind | str, *, last_step: bool, acknowledges: bool = False) -> str:
    """What a decision is called: เห็นชอบ, อนุมัติ (the last step; ทราบ when the memo is a report,
    `acknowledges`), ส่งคืนแก้ไข or ไม่อนุมัติ."""
    kind = DecisionKind(kind)
    if kind is DecisionKind.APPROVE:
        if last_step:
            return ACKNOWLEDGEMENT if acknowledges else LAST_APPROVAL
        return STEP_APPROVAL
    return RETURN if kind is DecisionKind.RETURN else DISAPPROVAL


def steps_in_round(session: Session, memo_id: int, round_: int) -> int:
    """How many sign-off steps the memo's route had in `round_` (a route moved later starts at a
    later round; a round keeps the route it was signed under). 0 without a route."""
    route = session.exec(
        select(MemoRoute)
        .where(MemoRoute.memo_id == memo_id, MemoRoute.from_round <= round_)
        .order_by(col(MemoRoute.id).desc())
    ).first()
    return len(route.rules()) if route else 0


def steps_by_round(routes: list[MemoRoute]) -> dict[tuple[int, int], int]:
    """For (memo id, round) lookups over many memos without a query each: each route's step
    count keyed by (memo id, from_round); read with `steps_at`."""
    return {(r.memo_id, r.from_round): len(r.rules()) for r in sorted(routes, key=lambda r: r.id or 0)}


def steps_at(counts: dict[tuple[int, int], int], memo_id: int, round_: int) -> int:
    """The step count in force for `round_` from `steps_by_round`'s mapping."""
    starts = [start for (memo, start) in counts if memo == memo_id and start <= round_]
    return counts[(memo_id, max(starts))] if starts else 0
