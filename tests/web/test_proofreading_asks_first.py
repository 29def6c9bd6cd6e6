"""Proofreading before anything is taken or confirmed, over HTTP: the preview marks a misspelling
where it stands; sending with it is asked first (the form kept, no register number taken), on the
page and in the API; ทาน refuses a finding not ticked and records the ticked ones; the revise form
shows each finding under its field; the memo page's report fragment, which the page polls."""

import json
import re

from sqlmodel import select

from models import Memo, ProofreadReport
from models.audit import AuditEntry
from models.db import session_scope
from tests.builders import PIN, draft_004
from tests.web.test_hardening import form_key, memos_and_numbers
from tests.web.test_pages import as_user, memo_form

MEASURES = "เปิดโอกาสให้ประชาชนมีส่วนร่วมในการดำเนินงาน\nให้เจ้าหน้าที่ปฎิบัติตามแนวทางอย่างเคร่งครัด"
LABEL = "ประกาศ ข้อ ๒: ปฎิบัติ → ปฏิบัติ"


def audit_data(action: str) -> list[dict]:
    with session_scope() as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)).all()
        return [json.loads(e.data_json) for e in entries]


def sent_as_written(client) -> int:  # noqa: ANN001
    token = as_user(client, "somying")
    data = {**memo_form(measures=MEASURES), "csrf_token": token, "proofread_confirmed": "yes"}
    response = client.post("/memos/new", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return int(re.search(r"/memos/(\d+)", response.headers["location"])[1])


def stage(client, memo_id: int, username: str, name: str, **extra):  # noqa: ANN001, ANN201
    token = as_user(client, username)
    data = {"stage": name, "pin": PIN, "csrf_token": token, **extra}
    return client.post(f"/memos/{memo_id}/stage", data=data, follow_redirects=False)


def test_the_preview_marks_it_and_a_send_is_asked_first_taking_no_number(client):
    token = as_user(client, "somying")
    preview = client.post("/memos/preview", data={**memo_form(measures=MEASURES), "csrf_token": token}).text
    assert '<mark class="finding" title="ปฎิบัติ → ปฏิบัติ:' in preview and ">ปฎิบัติ</mark>" in preview
    assert LABEL in preview
    key = form_key(client.get("/memos/new").text)
    asked = client.post("/memos/new", data={**memo_form(measures=MEASURES), "csrf_token": token, "submission_key": key})
    assert asked.status_code == 409 and 'id="proofread-open"' in asked.text
    assert "ส่งทั้งที่มีคำที่อาจสะกดผิด" in asked.text and LABEL in asked.text
    assert memos_and_numbers() == (0, 0)  # nothing sent, no register number taken
    assert "ปฎิบัติตามแนวทาง" in asked.text.split('id="measures"')[1].split("</textarea>")[0]  # the form as typed
    assert LABEL in asked.text.split('id="measures-findings"')[1].split("</ul>")[0]  # under its field
    assert form_key(asked.text) == key  # the same key: sent twice it is still one memo
    confirmed = {
        **memo_form(measures=MEASURES),
        "csrf_token": token,
        "submission_key": key,
        "proofread_confirmed": "yes",
    }
    assert client.post("/memos/new", data=confirmed, follow_redirects=False).status_code == 303
    assert memos_and_numbers() == (1, 1)
    assert audit_data("memo.submitted")[-1]["proofreading_confirmed"] == [LABEL]


def test_the_api_answers_409_with_the_findings_and_sends_once_confirmed(client):
    token = as_user(client, "somying")
    draft = draft_004()
    announcement = draft.announcement.model_copy(update={"data": {"measures": MEASURES.splitlines()}})
    body = {"draft": draft.model_copy(update={"announcement": announcement}).model_dump(mode="json"), "pin": PIN}
    asked = client.post("/api/memos", json=body, headers={"X-CSRF-Token": token})
    assert asked.status_code == 409, asked.text
    [finding] = asked.json()["findings"]
    assert finding["label"] == LABEL and finding["suggestion"] == "ปฏิบัติ" and finding["section"] == "ข้อ ๒"
    assert memos_and_numbers() == (0, 0)
    sent = client.post("/api/memos", json={**body, "proofread_confirmed": True}, headers={"X-CSRF-Token": token})
    assert sent.status_code == 201, sent.text
    assert memos_and_numbers() == (1, 1)


def test_proofreading_refuses_an_unticked_finding_and_records_the_ticked_one(client):
    memo_id = sent_as_written(client)
    as_user(client, "wanna")
    page = client.get(f"/memos/{memo_id}").text  # the typist is shown them beside the confirm button, not asked
    assert LABEL in page.split('id="stage-card"')[1] and 'name="intended"' not in page
    assert stage(client, memo_id, "wanna", "พิมพ์").status_code == 303
    as_user(client, "preecha")
    card = client.get(f"/memos/{memo_id}").text.split('id="stage-findings"')[1].split("</fieldset>")[0]
    [key] = re.findall(r'name="intended" value="([0-9a-f]+)"', card)
    assert LABEL in card
    refused = stage(client, memo_id, "preecha", "ทาน")
    assert refused.status_code == 403 and "not confirmed" in refused.text and LABEL in refused.text
    with session_scope() as session:
        assert session.get(Memo, memo_id).progress().next_stage.value == "ทาน"  # nothing recorded
    assert stage(client, memo_id, "preecha", "ทาน", intended=key).status_code == 303
    recorded = audit_data("stage.recorded")[-1]
    assert recorded["stage"] == "ทาน" and recorded["findings_intended"] == [{"key": key, "label": LABEL}]
    assert "findings_intended" not in audit_data("stage.recorded")[0]  # พิมพ์ asks nothing


def test_the_revise_form_shows_the_finding_under_its_field_and_the_report_fragment_is_polled(client):
    memo_id = sent_as_written(client)
    fragment = client.get(f"/memos/{memo_id}/proofread").text
    assert 'data-state="making"' in fragment and 'id="proofread-pending"' in fragment
    with session_scope() as session:
        session.add(ProofreadReport(memo_id=memo_id, round=1, warnings_json="[]"))
    assert 'data-state="made"' in client.get(f"/memos/{memo_id}/proofread").text
    stage(client, memo_id, "wanna", "พิมพ์")
    token = as_user(client, "preecha")
    returned = client.post(
        f"/memos/{memo_id}/stage/return",
        data={"stage": "ทาน", "note": "ข้อ ๒ ของประกาศ: ปฎิบัติ ควรเป็น ปฏิบัติ", "pin": PIN, "csrf_token": token},
        follow_redirects=False,
    )
    assert returned.status_code == 303, returned.text
    as_user(client, "somying")
    form = client.get(f"/memos/{memo_id}/revise").text
    assert LABEL in form.split('id="measures-findings"')[1].split("</ul>")[0]
    assert 'id="facts-findings"' not in form  # only where there is one
