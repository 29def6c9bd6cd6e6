"""Applying what a person typed into the Prefect UI's resume form.

Nothing in the form is trusted: a sign-off goes to the same domain function as from the CLI
or the web (PIN, rules, one transaction). The PIN is then removed from the input Prefect
stored, whatever happened to the sign-off.
"""

import logging

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import SyncPrefectClient, get_client

from models import FlowSignal, audit
from models.db import session_scope
from models.enums import DecisionKind
from models.rules import Refused
from services.errors import BadInput
from services.signoff import SignOffRequest, sign_off
from workflows.inputs import ResumeForm

log = logging.getLogger(__name__)
REDACTED_PIN = "[removed]"


def answer_key(pause_key: str) -> str:
    """Where Prefect keeps the answer given to the suspension `pause_key`."""
    return f"suspended-{pause_key}-response"


def read_answer(client: SyncPrefectClient, run_id: str, pause_key: str) -> ResumeForm | None:
    try:
        return ResumeForm.model_validate_json(client.read_flow_run_input(run_id, answer_key(pause_key)))
    except Exception:  # noqa: BLE001  (no answer stored: the run was started, not resumed)
        return None


def check_wake_up(memo_id: int, form: ResumeForm) -> str:
    """A deliverer's wake-up carries nothing to act on; one naming another memo's signal was
    typed by someone, and is refused on the record. woken | forged"""
    with session_scope() as session:
        signal = session.get(FlowSignal, form.signal_ref)
        if signal is not None and signal.memo_id == memo_id:
            return "woken"
    _log_refused(memo_id, f"the reference {form.signal_ref} names no signal of this memo")
    return "forged"


@task(name="sign-from-prefect-ui", cache_policy=NO_CACHE, persist_result=False)
def sign_from_prefect_ui(memo_id: int, run_id: str, pause_key: str) -> str:
    """signed | refused. The form is read here, not passed in: task parameters are stored by
    Prefect, and the PIN must not be."""
    with get_client(sync_client=True) as client:
        form = read_answer(client, run_id, pause_key)
        try:
            return _sign(memo_id, form)
        finally:
            if form.pin:
                _remove_pin(client, run_id, pause_key, form)


def _sign(memo_id: int, form: ResumeForm) -> str:
    if form.decision is None:
        _log_refused(memo_id, "the form was resumed without a decision")
        return "refused"
    request = SignOffRequest(memo_id=memo_id, username=form.username, pin=form.pin,
                             decision=DecisionKind(form.decision), minute=form.minute, via="prefect-ui")
    try:
        sign_off(request)
    except (Refused, BadInput) as refusal:
        log.warning("memo %s: sign-off from the Prefect UI refused: %s", memo_id, refusal)
        return "refused"
    return "signed"


def _log_refused(memo_id: int, reason: str) -> None:
    with session_scope() as session:
        audit.append(session, actor="prefect-ui", action="resume.refused", subject=f"memo:{memo_id}",
                     data={"reason": reason})


def _remove_pin(client: SyncPrefectClient, run_id: str, pause_key: str, form: ResumeForm) -> None:
    # Prefect keeps run inputs in clear in its own database; the PIN has served its purpose.
    key = answer_key(pause_key)
    try:
        client.delete_flow_run_input(run_id, key)
        client.create_flow_run_input(run_id, key, form.model_copy(update={"pin": REDACTED_PIN}).model_dump_json())
    except Exception:  # noqa: BLE001
        log.exception("could not remove the PIN from the stored input %s of run %s", key, run_id)
