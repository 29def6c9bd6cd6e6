"""Approving several memos with one PIN (a mayor's twenty routine memos).

The PIN is checked once: a wrong one signs none and counts once toward the PIN throttle. Then
each memo goes through the one sign-off path (services.memo_life.signoff.record_sign_off) in a
transaction of its own, binding the revision and announcement text its signer was shown and
audited on its own. A memo that changed since it was shown (a new revision, another person's
decision, a step that moved, an ending) is refused by that path and left out, with the reason;
the others are signed.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from models import Memo, Person
from models.db import read_scope
from models.digits import thai_digits
from models.enums import DecisionKind
from models.rules import Refused
from services.accounts.people import VerifiedPin, confirm_verified, verify_pin
from services.errors import BadInput
from services.memo_life.queue import where_now
from services.memo_life.signoff import SignOffRequest, SignOffResult, record_sign_off
from services.unit_of_work import run_action

MAX_MEMOS = 50  # one confirmation; more is a list nobody reads


@dataclass(frozen=True)
class Shown:
    """One memo as the signer was shown it: the step, revision and announcement text they read."""

    memo_id: int
    step: int
    revision_sha256: str
    announcement_sha256: str | None = None


@dataclass(frozen=True)
class Outcome:
    memo_id: int
    result: SignOffResult | None = None  # None: left out
    code: str = ""  # the refusal's code when left out
    reason: str = ""  # why it was left out, as the signer reads it

    @property
    def signed(self) -> bool:
        return self.result is not None


def sign_many(
    username: str,
    pin: str,
    shown: Sequence[Shown],
    *,
    minute: str = "",
    via: str,
    client: Mapping[str, str] | None = None,
    engine: Engine | None = None,
) -> list[Outcome]:
    """Approve each memo of `shown` as its signer was shown it; Refused (nothing signed) for a
    wrong, locked or outdated PIN; an Outcome per memo otherwise, in the order given."""
    memo_ids = [item.memo_id for item in shown]
    if not memo_ids:
        raise BadInput("ไม่ได้เลือกบันทึก (choose at least one memo)", field="memo")
    if len(memo_ids) > MAX_MEMOS or len(set(memo_ids)) != len(memo_ids):
        raise BadInput(
            f"เลือกได้ไม่เกิน {thai_digits(MAX_MEMOS)} เรื่อง และไม่ซ้ำกัน (at most {MAX_MEMOS} memos, each once)",
            field="memo",
        )
    checked = verify_pin(username, pin, engine=engine)  # Argon2 once, outside any transaction
    verified = run_action(
        lambda session: _confirmed(session, username, checked),
        engine=engine,
        actor=username,
        name="signoff",
        subject="memos:" + ",".join(map(str, memo_ids)),
        via=via,
    )
    return [_sign_one(item, username, verified, minute, via, client, engine) for item in shown]


def _confirmed(session: Session, username: str, checked: VerifiedPin | None) -> VerifiedPin:
    person = confirm_verified(session, username, checked)
    # A legacy hash is replaced on the first confirmation: the memos after it confirm the new one.
    return VerifiedPin(person.id, person.pin_hash)


def _sign_one(
    item: Shown,
    username: str,
    verified: VerifiedPin,
    minute: str,
    via: str,
    client: Mapping[str, str] | None,
    engine: Engine | None,
) -> Outcome:
    request = SignOffRequest(
        memo_id=item.memo_id,
        username=username,
        pin="",  # checked once above; record_sign_off confirms the verified hash in its transaction
        decision=DecisionKind.APPROVE,
        minute=minute,
        via=via,
        step=item.step,
        revision_sha256=item.revision_sha256,
        announcement_sha256=item.announcement_sha256,
        client=client,
    )
    try:
        result = run_action(
            lambda session: _record(session, request, verified),
            engine=engine,
            actor=username,
            name="signoff",
            subject=f"memo:{item.memo_id}",
            via=via,
        )
    except Refused as refusal:
        return Outcome(item.memo_id, code=refusal.code, reason=_with_where(item.memo_id, refusal, engine))
    except BadInput as error:
        return Outcome(item.memo_id, code="not-found", reason=str(error))
    return Outcome(item.memo_id, result=result)


def _record(session: Session, request: SignOffRequest, verified: VerifiedPin) -> SignOffResult:
    memo = session.get(Memo, request.memo_id)
    signer = session.get(Person, verified.person_id)
    if memo is None or memo.organisation_id != signer.organisation_id:  # another organisation's: as if absent
        raise BadInput(f"ไม่พบบันทึกเลขที่ {thai_digits(request.memo_id)} (no memo with id {request.memo_id})")
    return record_sign_off(session, request, verified)


def _with_where(memo_id: int, refusal: Refused, engine: Engine | None) -> str:
    """The refusal, and where the memo stands now (a withdrawn memo says so, not only "not now")."""
    with read_scope(engine) as session:
        memo = session.get(Memo, memo_id)
        return f"{refusal.message} · ขณะนี้: {where_now(session, memo)}" if memo else refusal.message
