"""The one sign-off path. The CLI, the web app and the Prefect UI's resume form all come here.

`sign_off` authenticates the signer by their PIN (checked just before the transaction, and
confirmed inside it), checks the rules, and records the decision, its audit entry and (for the
last approval) the signal to the memo's flow run in one transaction.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, select

from models import Decision, Memo, MemoRoute, Person, Revision, audit
from models.clock import office_date, utcnow
from models.decision_words import ACKNOWLEDGEMENT
from models.digits import thai_digits
from models.document_kinds import acknowledges
from models.enums import ENDED, Capacity, DecisionKind, MemoStatus
from models.rules import (
    Decided,
    Refused,
    advance,
    authority_for,
    check_announcement,
    check_may_return,
    check_minute,
    check_revision,
    signer_refusal,
)
from services.accounts.people import VerifiedPin, confirm_verified, delegation_grants, held_position_ids, verify_pin
from services.accounts.reset_watch import reset_before_signing
from services.memo_life.ending_notices import tell_of_ending
from services.memo_life.escalation import escalated_positions
from services.memo_life.frozen_route import required_route, step_rule
from services.memo_life.memos import memo_for_update, move
from services.outbox.flow_signals import signal_flow
from services.printing.document_context import current_revision, printed_as
from services.printing.rendering import current_announcement_sha256
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
    # The revision the signer saw. None only where the caller shows the current one and vouches
    # for it (the demo, the Prefect UI form); the API and the CLI require it.
    revision_sha256: str | None = None
    announcement_sha256: str | None = None  # the announcement text the signer saw, when the path shows it
    # Where the sign-off came from (address, user agent), for its audit entry: web and API paths.
    client: Mapping[str, str] | None = None


@dataclass(frozen=True)
class SignOffResult:
    decision_id: int
    step: int
    round: int
    capacity: Capacity
    already_recorded: bool  # True when this exact sign-off had been recorded before


def sign_off(request: SignOffRequest, *, engine: Engine | None = None) -> SignOffResult:
    """Record a sign-off. When it completes the chain, the same transaction tells the memo's
    flow run to publish (services.outbox.flow_signals); nothing here waits on Prefect."""
    verified = verify_pin(request.username, request.pin, engine=engine)
    return run_action(
        lambda session: record_sign_off(session, request, verified),
        engine=engine,
        actor=request.username,
        name="signoff",
        subject=f"memo:{request.memo_id}",
        via=request.via,
    )


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
    rule = step_rule(session, memo, step)
    authority = authority_for(
        person_id=person.id,
        step=rule,
        on=office_date(),
        claimed=request.capacity,
        held_position_ids=held_position_ids(session, person.id),
        delegations=delegation_grants(session, person.id),
        escalated_to=escalated_positions(session, memo, step),
    )
    refusal = duties_refusal(session, memo, person.id, step)
    if refusal is not None:
        raise refusal
    check_may_return(rule, request.decision)
    check_minute(request.decision, request.minute)
    revision = current_revision(session, memo)
    check_revision(request.revision_sha256, revision.sha256)
    announcement_sha256 = _announcement_approved(session, memo, revision, request)
    now = utcnow()
    decision = Decision(
        memo_id=memo.id,
        round=memo.round,
        step_index=step,
        position_id=rule.position_id,
        kind=request.decision,
        minute=request.minute.strip(),
        signer_id=person.id,
        capacity=authority.capacity,
        delegation_id=authority.delegation_id,
        revision_sha256=revision.sha256,
        announcement_sha256=announcement_sha256,
        signed_as_position_id=authority.signing_position_id,
        at=now,
    )
    decision.printed_as = printed_as(session, decision)
    decision.after_reset = reset_before_signing(session, person)
    session.add(decision)
    move(session, memo, progress, now)
    if memo.status == MemoStatus.APPROVED:
        signal_flow(session, memo.id, "approved")  # the flow run publishes once this commits
    elif memo.status in ENDED:
        signal_flow(session, memo.id, "ended")  # a disapproval: the flow run finishes
    session.flush()
    audit.append(
        session,
        actor=person.username,
        action="signoff.recorded",
        subject=f"memo:{memo.id}",
        data={
            "decision_id": decision.id,
            "round": decision.round,
            "step": step,
            "kind": request.decision.value,
            # A report memo's last step acknowledges it: the entry says so (models.decision_words).
            **(
                {"word": ACKNOWLEDGEMENT}
                if _acknowledges(memo, step) and request.decision is DecisionKind.APPROVE
                else {}
            ),
            "capacity": authority.capacity.value,
            "delegation_id": authority.delegation_id,
            "escalated": authority.escalated,
            "revision_sha256": revision.sha256,
            "announcement_sha256": announcement_sha256,
            "via": request.via,
            **({"after_reset": json.loads(decision.after_reset)} if decision.after_reset else {}),
            **(request.client or {}),
        },
    )
    if memo.status == MemoStatus.DISAPPROVED:  # the drafter hears who ended their memo, and why
        where = f" ที่ขั้นที่ {thai_digits(step + 1)}"
        tell_of_ending(session, memo, MemoStatus.DISAPPROVED.value, person, decision.minute, where)
    return SignOffResult(decision.id, step, decision.round, authority.capacity, already_recorded=False)


def _acknowledges(memo: Memo, step: int) -> bool:
    return acknowledges(memo.document_kind) and step == memo.steps_total - 1


def _same_as_earlier(earlier: Decision, person: Person, request: SignOffRequest) -> SignOffResult:
    # A double click, a second tab or a retried request: the same person making the same
    # decision on the same step gets the decision already recorded, not a second one.
    if earlier.signer_id == person.id and earlier.kind == request.decision:
        return SignOffResult(earlier.id, earlier.step_index, earlier.round, earlier.capacity, already_recorded=True)
    raise Refused(
        "already-decided",
        f"ขั้นตอนที่ {thai_digits(earlier.step_index + 1)} มีผู้พิจารณาแล้ว "
        f"(step {earlier.step_index + 1} was already decided; nothing was changed)",
    )


def _announcement_approved(session: Session, memo: Memo, revision: Revision, request: SignOffRequest) -> str:
    """The hash of the announcement text this decision binds. An approval must bind the text the
    signer saw and the earlier steps of the round approved; a return binds what was shown (or
    nothing, when the template no longer renders: a return is how such a memo goes back)."""
    try:
        current = current_announcement_sha256(session, memo, revision)
    except Exception as error:  # noqa: BLE001  (a broken template: jinja2, a missing file)
        if request.decision is DecisionKind.RETURN:
            return ""
        raise Refused(
            "announcement-broken",
            f"สร้างข้อความประกาศไม่ได้ จึงอนุมัติไม่ได้ ให้ส่งคืนแก้ไขหรือแก้แม่แบบประกาศ "
            f"(the announcement cannot be rendered ({type(error).__name__}: {error}): return the memo, "
            "or fix the template, before approving)",
        ) from error
    if request.decision is DecisionKind.APPROVE:
        earlier = session.exec(
            select(Decision.announcement_sha256).where(
                Decision.memo_id == memo.id, Decision.round == memo.round, Decision.kind == DecisionKind.APPROVE
            )
        ).all()
        check_announcement(request.announcement_sha256, current, earlier)
    return current


def duties_refusal(
    session: Session, memo: Memo, person_id: int, step: int, route: MemoRoute | None = None
) -> Refused | None:
    """Why the chain's separation of duties keeps `person_id` from signing `step` (None: it does
    not). The queue and the memo page ask the same, so they offer only what sign_off accepts.
    `route`: the memo's route in force, when the caller has read it already."""
    rows = session.exec(select(Decision).where(Decision.memo_id == memo.id, Decision.round == memo.round))
    return signer_refusal(
        signer_id=person_id,
        drafter_id=memo.drafter_id,
        step=step,
        signers_so_far={d.step_index: d.signer_id for d in rows},
        duties=(route or required_route(session, memo)).duties(),  # as frozen at submission, not as the chain says now
    )


def _decision_at(session: Session, memo: Memo, step: int) -> Decision | None:
    return session.exec(
        select(Decision).where(Decision.memo_id == memo.id, Decision.round == memo.round, Decision.step_index == step)
    ).first()
