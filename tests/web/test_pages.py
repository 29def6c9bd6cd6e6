"""The web app as a browser uses it (forms, cookies, redirects), on a real database."""

import datetime as dt
import re
import time

import pendulum
from sqlmodel import func, select

from cli.demo import draft_004
from models import Decision, Memo, SavedDraft
from models.be_dates import be_date_text
from models.db import session_scope
from services.publication.publication import publish
from services.yearly.cycle_run import run_cycle
from tests.builders import PIN
from tests.web.conftest import csrf_of, login


def memo_form(**changes) -> dict:
    draft = draft_004()
    values = {
        "unit": draft.unit,
        "subject": draft.subject,
        "addressee": draft.addressee,
        "origin": draft.origin,
        "facts": draft.facts,
        "legal_basis": "\n".join(draft.legal_basis),
        "considerations": draft.considerations,
        "closing": draft.closing,
        "template": "participation-measures",
        "measures": "",
        "pin": PIN,
        "action": "submit",
    }
    return {**values, **changes}


def count(table) -> int:  # noqa: ANN001
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def as_user(client, username: str) -> str:  # noqa: ANN001
    client.cookies.clear()
    assert login(client, username).status_code == 303
    return csrf_of(client)


def submit(client) -> int:  # noqa: ANN001
    token = as_user(client, "somying")
    response = client.post("/memos/new", data={**memo_form(), "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return int(re.search(r"/memos/(\d+)", response.headers["location"])[1])


def stage_all(client, memo_id: int) -> None:  # noqa: ANN001
    for username, stage in (("wanna", "พิมพ์"), ("preecha", "ทาน"), ("kanokporn", "ตรวจ")):
        token = as_user(client, username)
        response = client.post(
            f"/memos/{memo_id}/stage", data={"stage": stage, "pin": PIN, "csrf_token": token}, follow_redirects=False
        )
        assert response.status_code == 303, response.text


def sign(client, memo_id: int, username: str, decision: str = "approve", minute: str = "โปรดพิจารณา", **extra):  # noqa: ANN001, ANN201
    token = as_user(client, username)
    page = client.get(f"/memos/{memo_id}").text
    step = re.search(r'name="step" value="(\d+)"', page)
    revision = re.search(r'name="revision_sha256" value="([0-9a-f]+)"', page)
    data = {
        "decision": decision,
        "minute": minute,
        "pin": PIN,
        "csrf_token": token,
        "step": step[1] if step else "0",
        "revision_sha256": revision[1] if revision else "",
        **extra,
    }
    return client.post(f"/memos/{memo_id}/sign", data=data, follow_redirects=False)


def decisions() -> int:
    return count(Decision)


def test_a_memo_from_the_form_to_the_public_page(client, no_libreoffice):
    memo_id = submit(client)
    stage_all(client, memo_id)
    as_user(client, "kanokporn")
    queue = client.get("/").text
    assert f'/memos/{memo_id}"' in queue and "พิจารณาขั้นที่ ๑" in queue
    assert sign(client, memo_id, "kanokporn").status_code == 303
    assert sign(client, memo_id, "phakphum").status_code == 303
    page = client.get(f"/memos/{memo_id}").text
    assert "ในฐานะ ปฏิบัติหน้าที่" in page  # the clerk is offered the last step as acting mayor
    assert sign(client, memo_id, "phakphum", minute="อนุมัติให้ประกาศได้").status_code == 303
    with session_scope() as session:
        publish(session, memo_id=memo_id)  # what the memo's flow run does after the last approval
    client.cookies.clear()
    public = client.get("/public/kokphutsa").text
    assert "มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน" in public
    assert "ปฏิบัติหน้าที่" in public and "SHA-256" in public
    assert "อนุมัติให้ประกาศได้" not in public  # minutes stay internal unless the organisation chooses
    feed = client.get("/public/kokphutsa/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml") and "<entry>" in feed.text
    link = re.search(r'href="(/public/kokphutsa/\d+/announcement-r1\.docx)"', public)[1]
    assert client.get(link).content[:2] == b"PK"


def test_a_person_who_may_not_sign_is_refused_and_nothing_changes(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    response = sign(client, memo_id, "somying", step="0")
    assert response.status_code == 403 and "ไม่สามารถดำเนินการได้" in response.text
    assert decisions() == 0
    wrong_pin = sign(client, memo_id, "kanokporn", pin="0000")
    assert wrong_pin.status_code == 403 and "PIN" in wrong_pin.text
    assert decisions() == 0


def test_posts_without_the_csrf_token_are_refused(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    as_user(client, "kanokporn")
    for token in ("", "forged"):
        response = client.post(
            f"/memos/{memo_id}/sign",
            data={"decision": "approve", "minute": "ชอบ", "pin": PIN, "step": "0", "csrf_token": token},
        )
        assert response.status_code == 403
    assert client.post("/logout", data={}).status_code == 403
    assert decisions() == 0


def test_the_same_sign_off_posted_twice_makes_one_decision(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    as_user(client, "kanokporn")
    revision = re.search(r'name="revision_sha256" value="([0-9a-f]+)"', client.get(f"/memos/{memo_id}").text)[1]
    first = sign(client, memo_id, "kanokporn")
    token = csrf_of(client, f"/memos/{memo_id}")
    again = client.post(
        f"/memos/{memo_id}/sign",
        data={
            "decision": "approve",
            "minute": "โปรดพิจารณา",
            "pin": PIN,
            "step": "0",
            "revision_sha256": revision,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert first.status_code == again.status_code == 303
    assert again.headers["location"].endswith("msg=again")
    assert decisions() == 1


def test_bad_form_input_gives_thai_messages_and_saves_nothing(client):
    token = as_user(client, "somying")
    response = client.post("/memos/new", data={**memo_form(subject="", legal_basis=" "), "csrf_token": token})
    assert response.status_code == 422
    assert "เรื่อง: ต้องกรอก (required)" in response.text
    assert "ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ: ต้องกรอก (required)" in response.text
    assert count(Memo) == 0
    assert 'value="หัวหน้าสำนักปลัดเทศบาล/ปลัดเทศบาลฯ/นายกเทศมนตรีฯ"' in response.text  # nothing typed is lost


def test_a_subject_too_long_for_the_document_is_refused_with_what_to_fix(client):
    token = as_user(client, "somying")
    response = client.post("/memos/new", data={**memo_form(subject="ก" * 251), "csrf_token": token})
    assert response.status_code == 422
    assert "เรื่อง: ยาวเกินไป ไม่เกิน ๒๕๐ ตัวอักษร (too long: at most 250 characters)" in response.text
    assert count(Memo) == 0


def test_a_draft_can_be_saved_and_reopened(client):
    token = as_user(client, "somying")
    response = client.post(
        "/memos/new", data={**memo_form(subject="ร่างไว้ก่อน", action="save"), "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303 and count(SavedDraft) == 1 and count(Memo) == 0
    assert 'value="ร่างไว้ก่อน"' in client.get(response.headers["location"]).text


def test_a_session_expires_after_being_idle(client):
    as_user(client, "kanokporn")
    assert client.get("/", follow_redirects=False).status_code == 200
    later = pendulum.now("UTC").add(minutes=31)
    with pendulum.travel_to(later, freeze=True):
        response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_repeated_wrong_passwords_are_throttled(client):
    for _ in range(5):
        assert login(client, "kanokporn", "wrong-password").status_code == 401
    assert login(client, "kanokporn").status_code == 429


def test_the_login_form_needs_its_csrf_token(client):
    client.get("/login")
    response = client.post("/login", data={"username": "kanokporn", "password": "demo-password", "csrf_token": "x"})
    assert response.status_code == 403


def test_the_session_cookie_is_http_only_and_same_site(client):
    response = login(client, "kanokporn")
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_the_api_needs_a_session_and_its_csrf_header(client):
    assert client.get("/api/queue").status_code == 401
    memo_id = submit(client)
    stage_all(client, memo_id)
    as_user(client, "kanokporn")
    token = client.get("/api/me").json()["csrf_token"]
    revision = client.get(f"/api/memos/{memo_id}").json()["revision_sha256"]
    body = {"decision": "approve", "minute": "ชอบ", "pin": PIN, "step": 0, "revision_sha256": revision}
    assert client.post(f"/api/memos/{memo_id}/sign", json=body).status_code == 403
    ok = client.post(f"/api/memos/{memo_id}/sign", json=body, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200 and ok.json()["already_recorded"] is False
    assert decisions() == 1


def test_administrators_only(client):
    as_user(client, "somying")
    assert client.get("/admin").status_code == 403
    token = as_user(client, "kanokporn")
    assert "ผู้ดูแลระบบ" in client.get("/admin").text
    bad = client.post(
        "/admin/delegations",
        data={
            "username": "preecha",
            "position": "mayor",
            "capacity": "รักษาราชการแทน",
            "order_number": "คำสั่ง ๑/๒๕๗๐",
            "valid_from": "31/12/2569",
            "valid_to": "1/12/2569",
            "csrf_token": token,
        },
    )
    assert "วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น" in bad.text
    good = client.post(
        "/admin/delegations",
        data={
            "username": "preecha",
            "position": "mayor",
            "capacity": "รักษาราชการแทน",
            "order_number": "คำสั่ง ๑/๒๕๗๐",
            "valid_from": be_date_text(dt.date.today()),
            "valid_to": "31/1/2570",
            "csrf_token": token,
        },
    )
    assert "เพิ่มคำสั่งมอบหมายแล้ว" in good.text and "มีผลวันนี้" in good.text
    verified = client.post("/admin/audit/verify", data={"csrf_token": token})
    assert "ห่วงโซ่ครบถ้วน" in verified.text and "admin.delegation.added" in verified.text


def test_an_approver_gets_the_current_memo_as_pdf(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    token = as_user(client, "kanokporn")
    response = client.post(f"/memos/{memo_id}/pdf", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303  # answered at once; LibreOffice runs in the background
    assert wait_for_pdf(client, memo_id)["state"] == "done"
    page = client.get(f"/memos/{memo_id}").text
    assert "สร้าง PDF ฉบับปัจจุบันเสร็จแล้ว" in page
    link = re.search(rf'href="(/memos/{memo_id}/files/memo-r1-m0\.pdf)"', page)[1]
    assert client.get(link).content[:5] == b"%PDF-"


def wait_for_pdf(client, memo_id: int, timeout: float = 120) -> dict:  # noqa: ANN001
    """Poll the PDF job's state as the page's script does, until it is no longer running."""
    deadline = time.monotonic() + timeout
    while (state := client.get(f"/memos/{memo_id}/pdf/status").json())["state"] == "running":
        assert time.monotonic() < deadline, state
        time.sleep(0.5)
    return state


def test_the_annual_cycle_puts_its_drafts_in_the_drafters_list(client):
    assert run_cycle(2570).created == 1
    as_user(client, "somying")
    queue = client.get("/").text
    assert "รอบทบทวนประจำปี" in queue and "กำหนดส่ง" in queue
    pages = [client.get(f"/memos/new?draft={i}").text for i in re.findall(r"/memos/new\?draft=(\d+)", queue)]
    assert len(pages) == 2  # the review memo and next year's announcement
    assert sum("สิ่งที่เปลี่ยนจากฉบับปีก่อน" in page for page in pages) == 1


def menu_count(client, path: str = "/") -> str | None:  # noqa: ANN001
    badge = re.search(
        r'id="menu-queue">รอพิจารณา(?: <span class="count"[^>]*>([^<]+)</span>)?</a>', client.get(path).text
    )
    assert badge, f"no queue link in the menu of {path}"
    return badge[1]


def test_the_menu_counts_what_waits_for_the_person_on_every_page(client):
    memo_id = submit(client)
    assert menu_count(client) is None  # the drafter: nothing waits for her
    stage_all(client, memo_id)
    as_user(client, "kanokporn")
    assert [menu_count(client, path) for path in ("/", "/account", "/memos/new", f"/memos/{memo_id}")] == ["๑"] * 4
    assert sign(client, memo_id, "kanokporn").status_code == 303
    assert menu_count(client) is None
    as_user(client, "phakphum")
    assert menu_count(client, "/account") == "๑"
