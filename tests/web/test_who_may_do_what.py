"""Who may do what, attacked through HTTP as a signed-in user would: the JSON API and the forms."""

import datetime as dt

from sqlmodel import select

from models import Decision, Memo, Revision, StageRecord
from models.be_dates import be_date_text
from models.db import session_scope
from models.enums import MemoStatus
from services.memo_life.memos import revise_memo
from tests.builders import PIN, draft_004
from tests.web.conftest import csrf_of, login
from tests.web.test_pages import as_user, sign, stage_all, submit

NEW_PASSWORD = "a-new-password-long-enough"


def api_as(client, username: str, password: str = "demo-password") -> dict:  # noqa: ANN001
    """Signed in as `username`; the headers a script sends with its API writes."""
    client.cookies.clear()
    assert login(client, username, password).status_code == 303
    return {"X-CSRF-Token": client.get("/api/me").json()["csrf_token"]}


def stages_of(memo_id: int) -> list[str]:
    with session_scope() as session:
        return [r.stage.value for r in session.exec(select(StageRecord).where(StageRecord.memo_id == memo_id))]


def record(client, memo_id: int, stage: str, headers: dict):  # noqa: ANN001, ANN201
    return client.post(f"/api/memos/{memo_id}/stage", json={"stage": stage, "pin": PIN}, headers=headers)


def new_person_without_a_position(client) -> str:  # noqa: ANN001
    """The administrator adds a person (as on the admin page) and appoints them to nothing."""
    token = as_user(client, "kanokporn")
    response = client.post(
        "/admin/people",
        data={
            "username": "newbie",
            "full_name": "นายใหม่ ทดลองงาน",
            "password": NEW_PASSWORD,
            "pin": PIN,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and "error" not in response.headers["location"]
    return "newbie"


def test_a_user_with_no_position_may_not_record_the_check_stage(client):
    memo_id = submit(client)
    for username, stage in (("wanna", "พิมพ์"), ("preecha", "ทาน")):
        assert record(client, memo_id, stage, api_as(client, username)).status_code == 200
    newbie = new_person_without_a_position(client)
    headers = api_as(client, newbie, NEW_PASSWORD)
    refused = record(client, memo_id, "ตรวจ", headers)
    assert refused.status_code == 403 and "holds no position" in refused.json()["detail"]
    page = client.post(f"/memos/{memo_id}/stage", data={"stage": "ตรวจ", "pin": PIN, "csrf_token": csrf_of(client)})
    assert page.status_code == 403
    assert f'/memos/{memo_id}"' not in client.get("/").text  # nothing in their queue either
    assert stages_of(memo_id) == ["ร่าง", "พิมพ์", "ทาน"]


def test_the_drafter_may_not_typeset_or_proofread_her_own_memo(client):
    memo_id = submit(client)
    headers = api_as(client, "somying")
    refused = record(client, memo_id, "พิมพ์", headers)
    assert refused.status_code == 403 and "own memo" in refused.json()["detail"]
    assert record(client, memo_id, "พิมพ์", api_as(client, "wanna")).status_code == 200
    headers = api_as(client, "somying")
    assert record(client, memo_id, "ทาน", headers).status_code == 403
    page = client.get(f"/memos/{memo_id}").text
    assert f'action="/memos/{memo_id}/stage"' not in page  # the memo page offers her no stage form
    form = client.post(f"/memos/{memo_id}/stage", data={"stage": "ทาน", "pin": PIN, "csrf_token": csrf_of(client)})
    assert form.status_code == 403
    assert stages_of(memo_id) == ["ร่าง", "พิมพ์"]


def test_the_drafter_may_not_sign_a_step_of_her_own_memo(client):
    # The administrator orders somying to act in place of the head of office (a real order),
    # which would let her sign step 1 of any memo: but not of her own.
    token = as_user(client, "kanokporn")
    today = dt.date.today()
    client.post(
        "/admin/delegations",
        data={
            "username": "somying",
            "position": "head-of-office",
            "capacity": "รักษาราชการแทน",
            "order_number": "คำสั่ง ที่ ๙/๒๕๗๐",
            "valid_from": be_date_text(today - dt.timedelta(days=1)),
            "valid_to": be_date_text(today + dt.timedelta(days=30)),
            "csrf_token": token,
        },
    )
    memo_id = submit(client)
    stage_all(client, memo_id)
    headers = api_as(client, "somying")
    revision = client.get(f"/api/memos/{memo_id}").json()["revision_sha256"]
    refused = client.post(
        f"/api/memos/{memo_id}/sign",
        headers=headers,
        json={
            "decision": "approve",
            "minute": "อนุมัติ",
            "pin": PIN,
            "step": 0,
            "revision_sha256": revision,
            "capacity": "รักษาราชการแทน",
        },
    )
    assert refused.status_code == 403 and "own memo" in refused.json()["detail"]
    assert sign(client, memo_id, "somying", step="0", revision_sha256=revision).status_code == 403
    with session_scope() as session:
        assert session.exec(select(Decision)).all() == []


def test_the_api_needs_the_revision_the_signer_read(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    headers = api_as(client, "kanokporn")
    body = {"decision": "approve", "minute": "โปรดพิจารณา", "pin": PIN, "step": 0}
    missing = client.post(f"/api/memos/{memo_id}/sign", headers=headers, json=body)
    assert missing.status_code == 422 and "revision_sha256 is required" in missing.json()["detail"]
    forged = client.post(f"/api/memos/{memo_id}/sign", headers=headers, json={**body, "revision_sha256": "0" * 64})
    assert forged.status_code == 403 and "changed after you opened it" in forged.json()["detail"]
    form = client.post(
        f"/memos/{memo_id}/sign",
        data={"decision": "approve", "minute": "ชอบ", "pin": PIN, "step": "0", "csrf_token": csrf_of(client)},
    )
    assert form.status_code == 403  # the web form path too: a post that names no revision read nothing
    with session_scope() as session:
        assert session.exec(select(Decision)).all() == []
    read = client.get(f"/api/memos/{memo_id}").json()
    ok = client.post(
        f"/api/memos/{memo_id}/sign",
        headers=headers,
        json={**body, "revision_sha256": read["revision_sha256"], "announcement_sha256": read["announcement_sha256"]},
    )
    assert ok.status_code == 200, ok.text


def test_a_sign_off_on_the_revision_before_a_return_is_refused(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    stale = client.get(f"/api/memos/{memo_id}").json()["revision_sha256"]
    assert sign(client, memo_id, "kanokporn").status_code == 303
    assert sign(client, memo_id, "phakphum", decision="return", minute="ขอให้แก้ไข").status_code == 303
    with session_scope() as session:
        revised = draft_004().model_copy(update={"considerations": draft_004().considerations + " เพิ่มเติม"})
        revise_memo(session, memo_id=memo_id, username="somying", pin=PIN, draft=revised, note="แก้ไขแล้ว")
    stage_all(client, memo_id)
    headers = api_as(client, "kanokporn")
    refused = client.post(
        f"/api/memos/{memo_id}/sign",
        headers=headers,
        json={"decision": "approve", "minute": "ชอบ", "pin": PIN, "revision_sha256": stale},
    )
    assert refused.status_code == 403 and "changed after you opened it" in refused.json()["detail"]
    with session_scope() as session:
        memo = session.get(Memo, memo_id)
        assert (memo.status, memo.round, memo.step) == (MemoStatus.IN_REVIEW, 2, 0)
        assert len(session.exec(select(Revision).where(Revision.memo_id == memo_id)).all()) == 2


def test_the_admin_page_sets_who_records_each_stage(client):
    token = as_user(client, "kanokporn")
    page = client.get("/admin/stages").text
    assert 'id="stage-positions"' in page
    response = client.post(
        "/admin/stages",
        data={"stage": "พิมพ์", "positions": ["admin-officer"], "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303 and "error" not in response.headers["location"]
    memo_id = submit(client)
    assert record(client, memo_id, "พิมพ์", api_as(client, "wanna")).status_code == 403  # no longer hers
    assert record(client, memo_id, "พิมพ์", api_as(client, "preecha")).status_code == 200
