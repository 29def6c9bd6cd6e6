"""The one sign-off path. The CLI, the web app and the Prefect UI's resume form all come here.

`sign_off` authenticates the signer by their PIN (checked just before the transaction, and
confirmed inside it), checks the rules, and records the decision, its audit entry and (for the
last approval) the signal to the memo's flow run in one transaction.
"""

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, select

from models import ChainStep, Decision, Memo, Person, audit
from models.clock import office_date, utcnow
from models.enums import Capacity, DecisionKind, MemoStatus
from models.rules import (Decided, Refused, StepRule, advance, authority_for, check_may_return, check_minute,
                          check_revision)
from services.escalation import escalated_positions
from services.flow_signals import signal_flow
from services.memos import current_revision, memo_for_update, move
from services.people import VerifiedPin, confirm_verified, delegation_grants, held_position_ids, verify_pin
from services.unit_of_work import run_action



@dataclass(frozen=True)
class SignOffRequest:
    memo_id: int
    username: str
    pin: str
    decision: DecisionKind
    minute: str
    via: str  # "cli", "web", "prefect-ui": kept in the audit trail
    capacity: Capacity | None = None  # the capacity the signer claims; derived when None
    step: int | None = None  # the step the signer saw; the current one when None
    revision_sha256: str | None = None  # the revision the signer saw; the current one when None


@dataclass(frozen=True)
class SignOffResult:
    decision_id: int
    step: int
    round: int
    capacity: Capacity
    already_recorded: bool  # True when this exact sign-off had been recorded before


def sign_off(request: SignOffRequest, *, engine: Engine | None = None) -> SignOffResult:
    """Record a sign-off. When it completes the chain, the same transaction tells the memo's
    flow run to publish (services.flow_signals); nothing here waits on Prefect."""
    verified = verify_pin(request.username, request.pin, engine=engine)
    return run_action(lambda session: record_sign_off(session, request, verified), engine=engine,
                      actor=request.username, name="signoff", subject=f"memo:{request.memo_id}", via=request.via)


def record_sign_off(session: Session, request: SignOffRequest, verified: VerifiedPin | None) -> SignOffResult:
    memo = memo_for_update(session, request.memo_id)
    person = confirm_verified(session, request.username, verified)
    step = memo.step if request.step is None else request.step
    earlier = _decision_at(session, memo, step)
    if earlier is not None:
        return _same_as_earlier(earlier, person, request)
    return _record_new(session, memo, person, step, request)


def _record_new(session: Session, memo: Memo, person: Person, step: int, request: SignOffRequest) -> SignOffResult:
    progress = advance(memo.progress(), Decided(request.decision, step))
    rule = _step_rule(session, memo, step)
    authority = authority_for(person_id=person.id, step=rule, on=office_date(), claimed=request.capacity,
                              held_position_ids=held_position_ids(session, person.id),
                              delegations=delegation_grants(session, person.id),
                              escalated_to=escalated_positions(session, memo, step))
    check_may_return(rule, request.decision)
    check_minute(request.decision, request.minute)
    revision = current_revision(session, memo)
    check_revision(request.revision_sha256, revision.sha256)
    now = utcnow()
    decision = Decision(memo_id=memo.id, round=memo.round, step_index=step, position_id=rule.position_id,
                        kind=request.decision, minute=request.minute.strip(), signer_id=person.id,
                        capacity=authority.capacity, delegation_id=authority.delegation_id,
                        revision_sha256=revision.sha256, at=now)
    session.add(decision)
    move(session, memo, progress, now)
    if memo.status == MemoStatus.APPROVED:
        signal_flow(session, memo.id, "approved")  # the flow run publishes once this commits
    session.flush()
    audit.append(session, actor=person.username, action="signoff.recorded", subject=f"memo:{memo.id}",
                 data={"decision_id": decision.id, "round": decision.round, "step": step, "kind": request.decision.value, "capacity": authority.capacity.value,
                       "delegation_id": authority.delegation_id, "escalated": authority.escalated,
                       "revision_sha256": revision.sha256,
                       "via": request.via})
    return SignOffResult(decision.id, step, decision.round, authority.capacity, already_recorded=False)


def _same_as_earlier(earlier: Decision, person: Person, request: SignOffRequest) -> SignOffResult:
    # A double click, a second tab or a retried request: the same person making the same
    # decision on the same step gets the decision already recorded, not a second one.
    if earlier.signer_id == person.id and earlier.kind == request.decision:
        return SignOffResult(earlier.id, earlier.step_index, earlier.round, earlier.capacity, already_recorded=True)
    raise Refused("already-decided", f"ขั้นตอนที่ {earlier.step_index + 1} มีผู้พิจารณาแล้ว "
                  f"(step {earlier.step_index + 1} was already decided; nothing was changed)")


def _decision_at(session: Session, memo: Memo, step: int) -> Decision | None:
    return session.exec(select(Decision).where(
        Decision.memo_id == memo.id, Decision.round == memo.round, Decision.step_index == step)).first()


def _step_rule(session: Session, memo: Memo, step: int) -> StepRule:
    row = session.exec(select(ChainStep).where(ChainStep.chain_id == memo.chain_id, ChainStep.step_index == step)).one()
    return row.rule()
