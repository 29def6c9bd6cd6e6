"""Memos through a real Prefect server: suspend, resume, every sign-off path, and crashes."""

import json

import pytest
from docx import Document
from prefect.client.orchestration import get_client
from sqlmodel import select

from cli.demo import play_004
from models import AuditEntry, Decision
from models.audit import verify
from models.db import session_scope
from models.enums import DecisionKind, MemoStatus
from services.flow_bridge import Delivery, FlowBridge
from services.signoff import SignOffRequest, sign_off
from tests.builders import PIN, memo, prepare, sign, submitted_memo
from tests.workflows.conftest import (flow_run_id, resume_from_prefect_ui, stored_answer, wait_until_final,
                                      wait_until_paused_at)

pytestmark = pytest.mark.prefect


def started_memo_in_review() -> int:
    """A memo whose run has passed the preparation stages and waits at sign-off step 1."""
    bridge = FlowBridge(patience_seconds=60)
    m = submitted_memo(None)
    bridge.start(m.id)
    prepare(None, m.id)
    bridge.deliver(m.id)
    wait_until_paused_at(flow_run_id(m.id), "r1-step0-a0")
    return m.id


def decisions(memo_id: int) -> list[Decision]:
    with session_scope() as session:
        return list(session.exec(select(Decision).where(Decision.memo_id == memo_id)))


def audit_actions(memo_id: int) -> list[str]:
    with session_scope() as session:
        return list(session.exec(select(AuditEntry.action).where(AuditEntry.subject == f"memo:{memo_id}")
                                 .order_by(AuditEntry.seq)))


def test_the_004_case_runs_to_publication_with_one_return(stack):
    view = play_004(lambda _line: None)
    assert view["status"] == "published" and view["round"] == 2
    assert [(d["round"], d["step"], d["kind"], d["signer"], d["capacity"]) for d in view["decisions"]] == [
        (1, 0, "approve", "kanokporn", "self"), (1, 1, "return", "phakphum", "self"),
        (2, 0, "approve", "kanokporn", "self"), (2, 1, "approve", "phakphum", "self"),
        (2, 2, "approve", "phakphum", "ปฏิบัติหน้าที่")]
    state = wait_until_final(flow_run_id(view["id"]))
    assert state.is_completed()
    memo_text = "\n".join(cell.text for table in Document(view["publication"]["memo"]).tables
                          for row in table.rows for cell in row.cells)
    assert "ปลัดเทศบาล ปฏิบัติหน้าที่\nนายกเทศมนตรีตำบลโคกพุทรา" in memo_text
    announcement = "\n".join(p.text for p in Document(view["publication"]["announcement"]).paragraphs)
    assert "๔. เปิดโอกาสให้ประชาชน" in announcement and "ประกาศ ณ วันที่ " in announcement
    with session_scope() as session:
        assert verify(session).intact


def test_the_flow_run_is_named_after_the_memo(stack):
    memo_id = started_memo_in_review()
    with get_client(sync_client=True) as client:
        name = client.read_flow_run(flow_run_id(memo_id)).name
    assert name == f"memo-{memo_id} {memo(None, memo_id).register_number}"


def test_prefect_ui_sign_offs_are_checked_like_any_other(stack):
    memo_id = started_memo_in_review()
    run_id = flow_run_id(memo_id)
    other = started_memo_in_review()
    other_decision = sign(None, other, "kanokporn").decision_id
    refused_answers = [
        {"username": "kanokporn", "pin": "0000", "decision": "approve", "minute": "ชอบ"},  # wrong PIN
        {"username": "phakphum", "pin": PIN, "decision": "approve", "minute": "ชอบ"},  # not this step's signer
        {"username": "x", "pin": "", "decision": "approve", "minute": "", "decision_ref": 999999},  # no such decision
        {"username": "x", "pin": "", "decision": "approve", "minute": "", "decision_ref": other_decision},  # other memo
    ]
    for attempt, answer in enumerate(refused_answers):
        resume_from_prefect_ui(run_id, answer)
        wait_until_paused_at(run_id, f"r1-step0-a{attempt + 1}")  # waits again at the same step
        assert decisions(memo_id) == []
        assert memo(None, memo_id).step == 0
    actions = audit_actions(memo_id)
    assert actions.count("signoff.refused") == 2 and actions.count("resume.refused") == 2

    resume_from_prefect_ui(run_id, {"username": "kanokporn", "pin": PIN, "decision": "approve", "minute": "ชอบ"})
    wait_until_paused_at(run_id, "r1-step1-a0")
    [decision] = decisions(memo_id)
    assert (decision.step_index, decision.kind) == (0, DecisionKind.APPROVE)
    assert "prefect-ui" in [json.loads(e)["via"] for e in _recorded_data(memo_id)]
    assert json.loads(stored_answer(run_id, "r1-step0-a4"))["pin"] == "[removed]"


def _recorded_data(memo_id: int) -> list[str]:
    with session_scope() as session:
        return list(session.exec(select(AuditEntry.data_json).where(
            AuditEntry.subject == f"memo:{memo_id}", AuditEntry.action == "signoff.recorded")))


def test_a_crash_between_the_decision_and_the_resume_loses_nothing(stack):
    memo_id = started_memo_in_review()
    run_id = flow_run_id(memo_id)

    def crash(_memo_id: int) -> None:
        raise ConnectionError("the process died before resuming the flow run")

    request = SignOffRequest(memo_id=memo_id, username="kanokporn", pin=PIN, decision=DecisionKind.APPROVE,
                             minute="ชอบ", via="test")
    sign_off(request, notify_flow=crash)
    assert len(decisions(memo_id)) == 1
    wait_until_paused_at(run_id, "r1-step0-a0")  # still waiting: nobody told it

    assert FlowBridge().reconcile()[memo_id] is Delivery.RESUMED
    wait_until_paused_at(run_id, "r1-step1-a0")
    bridge = FlowBridge(patience_seconds=60)
    for username in ("phakphum", "phakphum"):
        sign_off(SignOffRequest(memo_id=memo_id, username=username, pin=PIN, decision=DecisionKind.APPROVE,
                                minute="อนุมัติ", via="test"), notify_flow=bridge.deliver)
    assert wait_until_final(run_id).is_completed()
    assert memo(None, memo_id).status is MemoStatus.PUBLISHED
