"""The Prefect path as an attacker would try it: the API without credentials, and the resume
form with a PIN but no password, with signing off, and after an unexpected error; then what
Prefect kept of the answers, read back through its API."""

import base64
import json
import os
import time
import uuid

import httpx
import pytest
from prefect.client.orchestration import get_client
from prefect.flow_runs import resume_flow_run
from sqlmodel import select

from cli.demo import draft_004
from deployments.work_pool import POOL
from models import AuditEntry
from models.db import session_scope
from services.memo_life.memos import submit_memo
from tasks import answers
from tests.builders import PIN
from tests.workflows.conftest import (
    PASSWORD,
    WAIT_SECONDS,
    flow_run_id,
    resume_from_prefect_ui,
    set_prefect_ui_signing,
    signals,
    wait_for_state,
    wait_until_suspended,
    work_done,
)
from tests.workflows.test_memo_flow import audit_actions, decisions, started_memo_in_review
from workflows.delivery import Deliverer, Outcome
from workflows.names import memo_deployment_path

pytestmark = pytest.mark.prefect


def api() -> str:
    return os.environ["PREFECT_API_URL"].rstrip("/")


def basic(auth_string: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(auth_string.encode()).decode()}


def test_the_prefect_api_refuses_requests_without_the_credentials(stack):
    memo_id = started_memo_in_review()
    run = f"{api()}/flow_runs/{flow_run_id(memo_id)}"
    changes = [
        (f"{run}/resume", {"run_input": {"signal_ref": 1}}),
        (f"{run}/set_state", {"state": {"type": "CANCELLED"}, "force": True}),
        (f"{api()}/flow_runs/filter", {}),
        (f"{run}/input/filter", {"prefix": "suspended"}),
    ]
    reads = [run, f"{api()}/csrf-token?client=attacker", f"{run}/input/{'suspended-x-response'}"]
    right = basic(os.environ["PREFECT_API_AUTH_STRING"])
    csrf = _csrf_headers(right)  # a valid CSRF token does not stand in for the credentials
    for credentials in ({}, basic("saraban:guess"), basic("admin:admin"), {"Authorization": "Bearer x"}):
        for url in reads:
            assert httpx.get(url, headers=credentials, timeout=10).status_code == 401, (url, credentials)
        for url, body in changes:
            refused = httpx.post(url, json=body, headers={**credentials, **csrf}, timeout=10)
            assert refused.status_code == 401, (url, credentials, refused.text)
            without_token = httpx.post(url, json=body, headers=credentials, timeout=10)
            assert without_token.status_code in (401, 403), (url, credentials, without_token.text)
    # The right credentials still need Prefect's CSRF token for a change.
    assert httpx.post(f"{api()}/flow_runs/filter", json={}, headers=right, timeout=10).status_code == 403
    assert httpx.post(f"{api()}/flow_runs/filter", json={}, headers={**right, **csrf}, timeout=10).status_code == 200
    assert wait_until_suspended(flow_run_id(memo_id)).is_paused()  # nothing above reached the run


def _csrf_headers(credentials: dict[str, str]) -> dict[str, str]:
    client_id = str(uuid.uuid4())
    token = httpx.get(f"{api()}/csrf-token", params={"client": client_id}, headers=credentials, timeout=10)
    assert token.status_code == 200, token.text
    return {"Prefect-Csrf-Token": token.json()["token"], "Prefect-Csrf-Client": client_id}


def test_signing_in_the_prefect_ui_is_off_by_default_and_the_server_refuses_a_pin(stack):
    memo_id = started_memo_in_review()
    run_id = flow_run_id(memo_id)
    key = wait_until_suspended(run_id).state_details.pause_key
    assert "ลงนามผ่านหน้านี้ถูกปิด" in _description(run_id, key)
    with pytest.raises(RuntimeError, match="(?i)additional properties"):
        _resume_refused(
            run_id, {"username": "kanokporn", "password": PASSWORD, "pin": PIN, "decision": "approve", "minute": "ชอบ"}
        )
    assert decisions(memo_id) == []
    assert wait_until_suspended(run_id).state_details.pause_key == key  # still waiting, untouched
    assert not [k for k in _stored_inputs(run_id, "suspended-") if k.endswith("-response")]  # nothing was kept


def test_signing_off_after_the_form_was_shown_is_refused_by_the_run(prefect_ui_signing):
    memo_id = started_memo_in_review()
    run_id = flow_run_id(memo_id)
    key = wait_until_suspended(run_id).state_details.pause_key  # suspended with the sign form
    set_prefect_ui_signing(False)
    resume_from_prefect_ui(run_id, _answer(password=PASSWORD))
    wait_until_suspended(run_id, other_than=key)
    assert decisions(memo_id) == []
    assert _refusal_codes(memo_id) == ["prefect-ui-signing-off"]
    _assert_no_secrets(run_id)


def test_a_right_pin_without_the_right_password_is_refused_audited_and_not_kept(prefect_ui_signing):
    memo_id = started_memo_in_review()
    run_id = flow_run_id(memo_id)
    key = wait_until_suspended(run_id).state_details.pause_key
    assert "รหัสผ่าน" in _description(run_id, key)
    own_signal = signals(memo_id)[0].id
    for answer in (
        _answer(),
        _answer(password="wrong-password"),
        _answer(username="my-own-password-9", password="wrong-password"),  # typed in the wrong box
        {**_answer(password=PASSWORD), "signal_ref": own_signal},
    ):  # a wake-up carrying secrets
        resume_from_prefect_ui(run_id, answer)
        key = wait_until_suspended(run_id, other_than=key).state_details.pause_key
        assert decisions(memo_id) == []
    assert _refusal_codes(memo_id) == ["bad-credentials"] * 3
    with session_scope() as session:  # a name nobody has is not kept as typed: it may be a password
        logged = [e.actor + e.data_json for e in session.exec(select(AuditEntry))]
    assert not any("my-own-password-9" in entry for entry in logged)
    assert "signoff.recorded" not in audit_actions(memo_id)
    _assert_no_secrets(run_id)

    resume_from_prefect_ui(run_id, _answer(password=PASSWORD))
    wait_until_suspended(run_id, other_than=key)
    [decision] = decisions(memo_id)
    assert decision.step_index == 0
    _assert_no_secrets(run_id)


def test_the_secrets_are_gone_before_the_sign_off_runs_even_when_it_fails(stack, monkeypatch):
    """An unexpected error in the sign-off (a database outage, a bug) leaves nothing behind:
    the answer is stripped as it is read, before anything is decided on it."""
    run_id = flow_run_id(started_memo_in_review())
    pause_key = f"r1-approval-{uuid.uuid4().hex[:6]}"
    with get_client(sync_client=True) as client:
        client.create_flow_run_input(run_id, answers.answer_key(pause_key), json.dumps(_answer(password=PASSWORD)))
        form = answers.read_answer(client, run_id, pause_key)

    def broken(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("the database went away")

    monkeypatch.setattr(answers, "sign_from_prefect_ui", broken)
    with pytest.raises(RuntimeError):
        answers.apply_answer(1, form)
    _assert_no_secrets(run_id)
    assert form.pin.get_secret_value() == PIN  # what the run acts on was read before the removal


def test_a_subject_written_as_markdown_shows_as_text_above_the_form(stack):
    subject = "ขอ [อนุมัติ](https://evil.example/login) ![x](https://evil.example/p.png) <img src=x> # ด่วน"
    with session_scope() as session:
        memo_id = submit_memo(
            session, username="somying", pin=PIN, draft=draft_004().model_copy(update={"subject": subject})
        ).id
    assert Deliverer().deliver_pending()[memo_id] is Outcome.STARTED
    work_done(memo_id)
    run_id = flow_run_id(memo_id)
    shown = _description(run_id, wait_until_suspended(run_id).state_details.pause_key)
    assert "evil\\.example" in shown  # the subject is there, as text:
    assert "](" not in shown and "![" not in shown and shown.count("<img") == shown.count("\\<img") == 1
    assert "\\[อนุมัติ\\]\\(https://evil\\.example/login\\)" in shown and "\\# ด่วน" in shown


def _answer(**extra: str) -> dict:
    return {"username": "kanokporn", "pin": PIN, "decision": "approve", "minute": "ชอบ", **extra}


def _resume_refused(run_id: uuid.UUID, answer: dict) -> None:
    """Resume until the server gives its verdict (the form is saved a moment after the pause)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            resume_flow_run(run_id, run_input=answer)
            return
        except RuntimeError as error:
            if "schema not found" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _description(run_id: uuid.UUID, pause_key: str) -> str:
    """The Markdown above the form (saved a moment after the run shows Suspended)."""
    deadline = time.monotonic() + WAIT_SECONDS
    with get_client(sync_client=True) as client:
        while True:
            try:
                return json.loads(client.read_flow_run_input(run_id, f"suspended-{pause_key}-description"))
            except httpx.HTTPStatusError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)


def _stored_inputs(run_id: uuid.UUID, prefix: str) -> dict[str, str]:
    """Every run input Prefect keeps for the run, read through its API as anyone with access would."""
    with get_client(sync_client=True) as client:
        rows = client.filter_flow_run_input(run_id, key_prefix=prefix, limit=200, exclude_keys=set())
    return {row.key: row.value for row in rows}


def _assert_no_secrets(run_id: uuid.UUID) -> None:
    responses = {k: v for k, v in _stored_inputs(run_id, "suspended-").items() if k.endswith("-response")}
    assert responses, "no answer stored at all"
    for key, value in responses.items():
        assert PASSWORD not in value and "wrong-password" not in value, (key, value)
        stored = json.loads(value)
        assert stored.get("pin", "") in ("", answers.REMOVED), (key, value)
        assert stored.get("password", "") in ("", answers.REMOVED), (key, value)


def _refusal_codes(memo_id: int) -> list[str]:
    with session_scope() as session:
        rows = session.exec(
            select(AuditEntry.data_json)
            .where(AuditEntry.subject == f"memo:{memo_id}", AuditEntry.action == "signoff.refused")
            .order_by(AuditEntry.seq)
        )
        return [json.loads(row)["code"] for row in rows if json.loads(row).get("via") == "prefect-ui"]


def test_the_credential_does_not_make_a_worker_run_what_it_is_told(stack, tmp_path):
    """The review's attack: with the Prefect credential, a flow run of the memo deployment with
    a `command` job variable ran as the worker's user. Now the worker starts nothing that is not
    Saraban's deployment as registered: neither that run, nor one with an `env`, nor a run of a
    deployment added to the pool with a shell pull step."""
    proof = tmp_path / "ran"
    shell = f"sh -c 'id > {proof}'"
    with get_client(sync_client=True) as client:
        memo = client.read_deployment_by_name(memo_deployment_path())
        added = client.create_deployment(
            flow_id=memo.flow_id,
            name=f"added-{uuid.uuid4().hex[:8]}",
            work_pool_name=POOL,
            entrypoint=memo.entrypoint,
            pull_steps=[{"prefect.deployments.steps.run_shell_script": {"script": f"touch {proof}"}}],
        )
        runs = {
            "it overrides job variables (command)": client.create_flow_run_from_deployment(
                memo.id, parameters={"memo_id": 0}, job_variables={"command": shell}
            ),
            "it overrides job variables (env)": client.create_flow_run_from_deployment(
                memo.id, parameters={"memo_id": 0}, job_variables={"env": {"PYTHONINSPECT": "1"}}
            ),
            "is not one of Saraban's deployments": client.create_flow_run_from_deployment(
                added, parameters={"memo_id": 0}
            ),
        }
    for reason, run in runs.items():
        state = wait_for_state(run.id, lambda state: state.is_crashed(), "refused")
        assert "saraban worker refuses this flow run" in state.message and reason in state.message, state.message
    assert not proof.exists()
