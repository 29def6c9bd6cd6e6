"""Applying what a person typed into the Prefect UI's resume form.

Nothing in the form is trusted: a sign-off goes to the same domain function as from the CLI
or the web (PIN, rules, one transaction), and a reference to a recorded action must point at
this memo and this wait. The PIN is then wiped from the input Prefect stored.
"""

import logging
import uuid

from prefect import task
from prefect.client.orchestration import get_client
from prefect.context import FlowRunContext
from prefect.input.run_input import keyset_from_base_key

from models import Decision, Revision, StageRecord, audit
from models.db import session_scope
from models.enums import DecisionKind
from models.rules import Refused
from models.waits import Wait
from services.errors import BadInput
from services.signoff import SignOffRequest, sign_off
from tasks.caching import once_per_flow_run
from workflows.inputs import RecordedAction, SignOffForm

log = logging.getLogger(__name__)
REDACTED_PIN = "[removed]"


@task(name="apply-resume-answer", cache_key_fn=once_per_flow_run(ignoring=("answer",)), persist_result=True)
def apply_answer(memo_id: int, wait: Wait, answer: dict, pause_key: str) -> int | None:
    """The id of the record that settles `wait`, or None when the answer is refused."""
    if wait.step is not None and answer.get("decision_ref") is None:
        accepted = _sign_from_form(memo_id, wait, SignOffForm.model_validate(answer))
        _wipe_pin(pause_key, answer)
        return accepted
    ref = answer.get("decision_ref") if wait.step is not None else RecordedAction.model_validate(answer).action_ref
    if _reference_settles(memo_id, wait, ref):
        return ref
    _log_forged(memo_id, wait.key, ref)
    return None


def _sign_from_form(memo_id: int, wait: Wait, form: SignOffForm) -> int | None:
    request = SignOffRequest(memo_id=memo_id, username=form.username, pin=form.pin,
                             decision=DecisionKind(form.decision), minute=form.minute, via="prefect-ui", step=wait.step)
    try:
        return sign_off(request).decision_id
    except (Refused, BadInput) as refusal:
        log.warning("memo %s: sign-off from the Prefect UI refused: %s", memo_id, refusal)
        return None


def _reference_settles(memo_id: int, wait: Wait, ref: int | None) -> bool:
    if ref is None:
        return False
    with session_scope() as session:
        if wait.step is not None:
            row = session.get(Decision, ref)
            return row is not None and (row.memo_id, row.round, row.step_index) == (memo_id, wait.round, wait.step)
        if wait.stage is not None:
            row = session.get(StageRecord, ref)
            return row is not None and (row.memo_id, row.round, row.stage) == (memo_id, wait.round, wait.stage)
        row = session.get(Revision, ref)
        return row is not None and (row.memo_id, row.number) == (memo_id, wait.round + 1)


def _log_forged(memo_id: int, wait_key: str, ref: int | None) -> None:
    with session_scope() as session:
        audit.append(session, actor="prefect-ui", action="resume.refused", subject=f"memo:{memo_id}",
                     data={"wait": wait_key, "reference": ref,
                           "reason": "the reference names no record of this memo at this wait"})


def _wipe_pin(pause_key: str, answer: dict) -> None:
    # Prefect keeps run inputs in clear in its own database; the PIN has been checked, so
    # overwrite it there. The rerun after a resume reads this stored input again, which is
    # why a redacted copy replaces it rather than nothing.
    run_id = FlowRunContext.get().flow_run.id
    key = keyset_from_base_key(f"suspended-{pause_key}")["response"]
    try:
        with get_client(sync_client=True) as client:
            client.delete_flow_run_input(run_id, key)
            client.create_flow_run_input(run_id, key, SignOffForm.model_validate({**answer, "pin": REDACTED_PIN}).model_dump_json())
    except Exception:  # noqa: BLE001
        log.exception("could not wipe the PIN from the stored input %s of run %s", key, uuid.UUID(str(run_id)))
