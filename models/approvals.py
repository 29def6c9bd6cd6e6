"""Whether a revision was approved by every step of its memo's frozen route (models.MemoRoute),
from the history rows alone: the memo's status, step and step count, and the chain's rows, are
state the application updates, so none of them counts here. Publication
(services.publication.approvals), `saraban audit verify` and `saraban verify` ask the same."""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from models.enums import DecisionKind, MemoStatus
from models.memo import Decision, Memo, MemoRoute, Revision
from models.rules import StepRule


def route_of(session: Session, memo_id: int) -> MemoRoute | None:
    """The route in force: the one frozen at submission, or the latest a move gave the memo."""
    statement = select(MemoRoute).where(MemoRoute.memo_id == memo_id)
    return session.exec(statement.order_by(col(MemoRoute.id).desc())).first()


def route_step(session: Session, memo: Memo, index: int) -> StepRule | None:
    """Step `index` of the memo's route in force (None past its end or without a route)."""
    route = route_of(session, memo.id)
    rules = route.rules() if route else []
    return rules[index] if 0 <= index < len(rules) else None


def round_decisions(session: Session, memo_id: int, round_: int) -> list[Decision]:
    statement = select(Decision).where(Decision.memo_id == memo_id, Decision.round == round_)
    return list(session.exec(statement.order_by(Decision.step_index)))


def latest_revision(session: Session, memo_id: int) -> Revision | None:
    statement = select(Revision).where(Revision.memo_id == memo_id).order_by(col(Revision.number).desc())
    return session.exec(statement).first()


def approval_gaps(route: MemoRoute, decisions: Sequence[Decision], revision_sha256: str) -> list[str]:
    """What keeps `revision_sha256` from being approved by every step of `route`, given the
    decisions of its round (empty: nothing does). In English: a problem list for operators."""
    gaps = []
    by_step = {d.step_index: d for d in decisions}
    rules = route.rules()
    for rule in rules:
        decision = by_step.get(rule.index)
        if decision is None or decision.kind != DecisionKind.APPROVE:
            gaps.append(f"step {rule.index + 1} of {len(rules)} has no approval")
        elif decision.position_id != rule.position_id:
            gaps.append(f"step {rule.index + 1} was approved for another position than its route's")
        elif decision.revision_sha256 != revision_sha256:
            gaps.append(f"step {rule.index + 1} approved another revision")
    beyond = sorted(set(by_step) - {rule.index for rule in rules})
    gaps += [f"a decision for step {index + 1}, which the route does not have" for index in beyond]
    return gaps


def memo_state_gaps(
    memo: Memo,
    route: MemoRoute,
    latest: Revision | None,
    decisions: Sequence[Decision],
    published: bool,
    ending: str | None = None,
) -> list[str]:
    """Where the memo's row (its organisation, chain, step count, round, step and status) says
    other than its route and history (its latest revision, the decisions of its round, whether
    it has a publication, how it ended unpublished: a MemoEnding's kind): an out-of-band edit of
    what the application updates."""
    gaps = []
    if memo.organisation_id != route.organisation_id:
        gaps.append("its organisation is not the one it was submitted in: moved")
    if memo.chain_id != route.chain_id or memo.steps_total != len(route.rules()):
        gaps.append(f"its step count says {memo.steps_total}, its route has {len(route.rules())}")
    if latest is None or memo.round != latest.number:
        gaps.append(f"its round says {memo.round}, its latest revision is {latest.number if latest else 'none'}")
        return gaps
    if memo.round < route.from_round:
        gaps.append(f"its round is {memo.round}, yet its route starts at round {route.from_round}")
        return gaps
    approved = sorted(d.step_index for d in decisions if d.kind == DecisionKind.APPROVE)
    disapproved = any(d.kind == DecisionKind.DISAPPROVE for d in decisions)
    if (memo.status == MemoStatus.DISAPPROVED) != disapproved:
        gaps.append(
            f"its status says {memo.status.value}, yet its round {'has' if disapproved else 'has no'} disapproval"
        )
    if memo.status in (MemoStatus.WITHDRAWN, MemoStatus.CANCELLED) or ending is not None:
        if memo.status.value != ending:
            gaps.append(f"its status says {memo.status.value}, its recorded ending {ending or 'none'}")
        return gaps
    if memo.status in (MemoStatus.APPROVED, MemoStatus.PUBLISHED):
        gaps += [f"{memo.status.value}, but {gap}" for gap in approval_gaps(route, decisions, latest.sha256)]
    elif memo.status == MemoStatus.IN_REVIEW and approved != list(range(memo.step)):
        gaps.append(f"it waits at step {memo.step + 1}, but the steps approved are {[i + 1 for i in approved]}")
    elif memo.status == MemoStatus.PREPARING and decisions:
        gaps.append("it is in preparation, yet its round has sign-offs")
    if published != (memo.status == MemoStatus.PUBLISHED):
        gaps.append(f"its status says {memo.status.value}, yet it {'has' if published else 'has no'} publication")
    return gaps
