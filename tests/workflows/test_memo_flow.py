"""Memos through a real Prefect server and runner: wakes only for work, the Prefect UI's form
as a sign-off path, and the outbox delivering what was recorded."""

import datetime as dt
import json

import pytest
from docx import Document
from fastapi.testclient import TestClient
from prefect.client.orchestration import get_client
from prefect.settings import PREFECT_API_URL, temporary_settings
from sqlmodel import select

from cli.demo import play_004
from deployments.stack import deliverer_thread
from models import AuditEntry, Decision, FlowSignal, Publication, Revision
from models.clock import utcnow
from models.db import session_scope
from models.enums import DecisionKind, MemoStatus
from services.audit.audit_verify import verify_audit
from services.memo_life.endings import end_memo
from tests.builders import PIN, memo, prepare, sign, submitted_memo
from tests.web.test_pages import as_user
from tests.workflows.conftest import (
    PASSWORD,
    deliver_until_resumed,
    executions,
    flow_run_id,
    resume_from_prefect_ui,
    signals,
    stored_answer,
    wait_until_final,
    wait_until_suspended,
    work_done,
)
from web.app import create_app
from workflows.delivery import Deliverer, Outcome

pytestmark = pytest.mark.prefect


def started_memo_in_review() -> int:
    """A memo whose run has typeset and proofread it, suspended; the stages are recorded."""
    m = submitted_memo(None)
    assert Deliverer().deliver_pending()[m.id] is Outcome.STARTED
    work_done(m.id)
    wait_until_suspended(flow_run_id(m.id))
    prepare(None, m.id)
    return m.id


def memo_revision(memo_id: int) -> str:
    """The hash of the revision the signer reads on the memo page (sent back by its sign form)."""
    with session_scope() as session:
        return session.exec(
            select(Revision.sha256).where(Revision.memo_id == memo_id).order_by(Revision.number.desc())
        ).first()


def decisions(memo_id: int) -> list[Decision]:
    with session_scope() as session:
        return list(session.exec(select(Decision).where(Decision.memo_id == memo_id)))


def audit_actions(memo_id: int) -> list[str]:
    with session_scope() as session:
        return list(
            session.exec(
                select(AuditEntry.action).where(AuditEntry.subject == f"memo:{memo_id}").order_by(AuditEntry.seq)
            )
        )


def publications(memo_id: int) -> int:
    with session_scope() as session:
        return len(session.exec(select(Publication.id).where(Publication.memo_id == memo_id)).all())


def test_the_004_case_runs_to_publication_with_one_return(delivering):
    view = play_004(lambda _line: None)
    assert view["status"] == "published" and view["round"] == 2
    assert [(d["round"], d["step"], d["kind"], d["signer"], d["capacity"]) for d in view["decisions"]] == [
        (1, 0, "approve", "kanokporn", "self"),
        (1, 1, "return", "phakphum", "self"),
        (2, 0, "approve", "kanokporn", "self"),
        (2, 1, "approve", "phakphum", "self"),
        (2, 2, "approve", "phakphum", "ปฏิบัติหน้าที่"),
    ]
    run_id = flow_run_id(view["id"])
    assert wait_until_final(run_id).is_completed()
    # Woken only for work: submitted (typeset and proofread), revised (the same), approved (publish).
    assert executions(run_id) == 3
    memo_text = "\n".join(
        cell.text for table in Document(view["publication"]["memo"]).tables for row in table.rows for cell in row.cells
    )
    assert "ปลัดเทศบาล ปฏิบัติหน้าที่\nนายกเทศมนตรีตำบลโคกพุทรา" in memo_text
    # read as printed: "วันที่ ๔ ..." is written with non-breaking spaces (documents.docx.nonbreaking)
    announcement = "\n".join(p.text for p in Document(view["publication"]["announcement"]).paragraphs).replace(
        "\u00a0", " "
    )
    assert "๔. เปิดโอกาสให้ประชาชน" in announcement and "ประกาศ ณ วันที่ " in announcement
    assert verify_audit().intact


def test_a_memo_without_a_return_wakes_twice_and_its_run_is_named_after_it(delivering):
    memo_id = submitted_memo(None).id
    work_done(memo_id)
    assert memo(None, memo_id).flow_problem == ""
    prepare(None, memo_id)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(None, memo_id, username)
    work_done(memo_id)
    run_id = flow_run_id(memo_id)
    assert wait_until_final(run_id).is_completed()
    assert executions(run_id) == 2  # started, then woken by the last approval
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(run_id).name == f"memo-{memo_id} {memo(None, memo_id).register_number}"
    assert publications(memo_id) == 1
    assert all(s.done_at is not None and s.attempts <= 1 for s in signals(memo_id))


def test_prefect_ui_sign_offs_are_checked_like_any_other(prefect_ui_signing):
    memo_id = started_memo_in_review()
    run_id = flow_run_id(memo_id)
    other_signal = signals(submitted_memo(None).id)[0].id
    refused_answers = [
        {
            "username": "kanokporn",
            "password": PASSWORD,
            "pin": "0000",
            "decision": "approve",
            "minute": "ชอบ",
        },  # wrong PIN
        {
            "username": "phakphum",
            "password": PASSWORD,
            "pin": PIN,
            "decision": "approve",
            "minute": "ชอบ",
        },  # not this step's signer
        {
            "username": "kanokporn",
            "password": PASSWORD,
            "pin": PIN,
            "minute": "ชอบ",
        },  # no decision: an empty form approves nothing
        {"signal_ref": other_signal},  # a reference to another memo's signal
    ]
    key = wait_until_suspended(run_id).state_details.pause_key
    for answer in refused_answers:
        resume_from_prefect_ui(run_id, answer)
        key = wait_until_suspended(run_id, other_than=key).state_details.pause_key  # waits again
        assert decisions(memo_id) == []
        assert memo(None, memo_id).step == 0
    actions = audit_actions(memo_id)
    assert actions.count("signoff.refused") == 2 and actions.count("resume.refused") == 2

    resume_from_prefect_ui(
        run_id, {"username": "kanokporn", "password": PASSWORD, "pin": PIN, "decision": "approve", "minute": "ชอบ"}
    )
    answered = key
    wait_until_suspended(run_id, other_than=answered)
    [decision] = decisions(memo_id)
    assert (decision.step_index, decision.kind) == (0, DecisionKind.APPROVE)
    assert "prefect-ui" in [json.loads(e)["via"] for e in _recorded_data(memo_id)]
    assert json.loads(stored_answer(run_id, answered))["pin"] == "[removed]"
    assert PASSWORD not in stored_answer(run_id, answered) and PIN not in stored_answer(run_id, answered)


def _recorded_data(memo_id: int) -> list[str]:
    with session_scope() as session:
        return list(
            session.exec(
                select(AuditEntry.data_json).where(
                    AuditEntry.subject == f"memo:{memo_id}", AuditEntry.action == "signoff.recorded"
                )
            )
        )


def test_a_web_sign_off_while_prefect_is_unreachable_is_answered_and_delivered_once_later(stack):
    memo_id = started_memo_in_review()
    run_id = flow_run_id(memo_id)
    for username in ("kanokporn", "phakphum"):
        sign(None, memo_id, username)
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        web = TestClient(create_app(), base_url="http://127.0.0.1")  # the web app never calls Prefect
        token = as_user(web, "phakphum")
        revision = memo_revision(memo_id)
        answer = web.post(
            f"/memos/{memo_id}/sign",
            data={
                "decision": "approve",
                "minute": "อนุมัติ",
                "pin": PIN,
                "step": "2",
                "revision_sha256": revision,
                "csrf_token": token,
            },
            follow_redirects=False,
        )
    assert answer.status_code == 303 and answer.headers["location"].endswith("msg=approved")
    approved = signals(memo_id)[-1]
    assert (approved.reason, approved.delivered_at, approved.done_at) == ("approved", None, None)

    # Prefect is unreachable from the deliverer: the approval stays recorded and pending.
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        assert Deliverer().deliver_pending() == {memo_id: Outcome.UNAVAILABLE}
    [pending] = [s for s in signals(memo_id) if s.id == approved.id]
    assert pending.delivered_at is None and "Prefect" in pending.last_error and pending.next_attempt_at > utcnow()
    assert Deliverer().deliver_pending() == {}  # it backs off before trying again
    assert wait_until_suspended(run_id).is_paused()  # nobody told the run: it still waits
    assert memo(None, memo_id).status is MemoStatus.APPROVED

    _due_now(approved.id)
    deliver_until_resumed(memo_id)
    work_done(memo_id)
    assert wait_until_final(run_id).is_completed()
    assert publications(memo_id) == 1
    [delivered] = [s for s in signals(memo_id) if s.id == approved.id]
    assert delivered.attempts == 2 and delivered.done_at is not None  # one failure, one delivery
    assert Deliverer().deliver_pending() == {} and Deliverer().reconcile() == {}


def _due_now(signal_id: int) -> None:
    # What the back-off would do after its 30 s, without the wait.
    with session_scope() as session:
        session.get(FlowSignal, signal_id).next_attempt_at = utcnow() - dt.timedelta(seconds=1)


def test_a_withdrawn_memo_s_run_wakes_and_finishes_and_a_disapproved_one_s_too(stack):
    """A memo ended unpublished leaves no run suspended for ever: the ending's signal resumes it,
    it finds nothing to do and completes."""
    withdrawn, disapproved = started_memo_in_review(), started_memo_in_review()
    end_memo("withdraw", memo_id=withdrawn, username="somying", pin=PIN, reason="ส่งซ้ำ", via="test")
    sign(None, disapproved, "kanokporn", DecisionKind.DISAPPROVE, minute="ไม่เห็นควร")
    with deliverer_thread():  # as `saraban serve` runs it: each ending's signal resumes its run
        states = {memo_id: wait_until_final(flow_run_id(memo_id)) for memo_id in (withdrawn, disapproved)}
    for memo_id, ended in ((withdrawn, "withdrawn"), (disapproved, "disapproved")):
        state = states[memo_id]
        assert state.is_completed(), state
        assert memo(None, memo_id).status.value == ended
        assert all(s.done_at is not None for s in signals(memo_id))
