"""Applying what was typed into the Prefect UI's resume form.

Nothing in the form is trusted. Prefect keeps run inputs in clear in its own database, so a
PIN or a password in an answer is removed from it first, before anything is decided on it: the
secrets are gone whatever happens next (a refusal, a wake-up that also carried a PIN, an
unexpected error, a crash). A sign-off then goes to the same checks as from the CLI or the web
(services.orchestration.prefect_ui_signing); it is never a task, since task parameters are stored too.
"""

import json
import logging

import httpx
from prefect.client.orchestration import SyncPrefectClient

from models import FlowSignal, audit
from models.db import session_scope
from models.enums import DecisionKind
from models.rules import Refused
from services.errors import BadInput
from services.memo_life.signoff import SignOffRequest
from services.orchestration.prefect_ui_signing import VIA, sign_from_prefect_ui
from tasks.run_inputs import SignForm

log = logging.getLogger(__name__)
REMOVED = "[removed]"


def answer_key(pause_key: str) -> str:
    """Where Prefect keeps the answer given to the suspension `pause_key`."""
    return f"suspended-{pause_key}-response"


def read_answer(client: SyncPrefectClient, run_id: str, pause_key: str) -> SignForm | None:
    """The answer to the suspension (a wake-up's fits the sign form too), secrets removed from
    Prefect's copy; None when the run was started, not resumed."""
    try:
        stored = client.read_flow_run_input(run_id, answer_key(pause_key))
    except httpx.HTTPStatusError as error:
        if error.response.status_code == 404:
            return None  # no answer stored
        raise  # anything else (the server refusing us, failing): this answer must not be lost
    form = SignForm.model_validate_json(stored)
    if _secrets_left(form):
        remove_secrets(client, run_id, pause_key, form)
    return form


def remove_secrets(client: SyncPrefectClient, run_id: str, pause_key: str, form: SignForm) -> None:
    """Replace the stored answer by one without PIN or password. Deleting comes first: if the
    copy cannot be written back, the secrets are gone all the same. Raises when the delete
    fails, so that nothing is signed with an answer that is still on record."""
    key = answer_key(pause_key)
    client.delete_flow_run_input(run_id, key)
    kept = form.model_dump(mode="json", exclude={"pin", "password"})
    try:
        client.create_flow_run_input(
            run_id, key, json.dumps({**kept, "pin": REMOVED, "password": REMOVED}, ensure_ascii=False)
        )
    except Exception:  # noqa: BLE001
        log.exception("the answer %s of run %s was deleted but not written back", key, run_id)


def apply_answer(memo_id: int, form: SignForm) -> str:
    """signed | refused | woken | forged | handled"""
    if not form.is_sign_off():
        return check_wake_up(memo_id, form)
    if _already_removed(form):
        return "handled"  # a replay after a crash: this answer was acted on (or refused) before
    return _sign(memo_id, form)


def check_wake_up(memo_id: int, form: SignForm) -> str:
    """A deliverer's wake-up carries nothing to act on; one naming another memo's signal was
    typed by someone, and is refused on the record. woken | forged"""
    with session_scope() as session:
        signal = session.get(FlowSignal, form.signal_ref)
        if signal is not None and signal.memo_id == memo_id:
            return "woken"
    _log_refused(memo_id, f"the reference {form.signal_ref} names no signal of this memo")
    return "forged"


def _sign(memo_id: int, form: SignForm) -> str:
    if form.decision is None:
        _log_refused(memo_id, "the form was resumed without a decision")
        return "refused"
    request = SignOffRequest(
        memo_id=memo_id,
        username=form.username,
        pin=form.pin.get_secret_value(),
        decision=DecisionKind(form.decision),
        minute=form.minute,
        via=VIA,
    )
    try:
        sign_from_prefect_ui(request, form.password.get_secret_value())
    except (Refused, BadInput) as refusal:
        log.warning("memo %s: sign-off from the Prefect UI refused: %s", memo_id, refusal)
        return "refused"
    return "signed"


def _secrets(form: SignForm) -> tuple[str, str]:
    return form.pin.get_secret_value(), form.password.get_secret_value()


def _secrets_left(form: SignForm) -> bool:
    return any(value not in ("", REMOVED) for value in _secrets(form))


def _already_removed(form: SignForm) -> bool:
    return REMOVED in _secrets(form)


def _log_refused(memo_id: int, reason: str) -> None:
    with session_scope() as session:
        audit.append(session, actor=VIA, action="resume.refused", subject=f"memo:{memo_id}", data={"reason": reason})
