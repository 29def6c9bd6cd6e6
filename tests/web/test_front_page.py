"""The front page by HTTP: search, filters and sorting without script, the archive of published
memos, "signed by me"; and the account page's choice of notifications."""

import re

import pendulum
import pytest
from sqlmodel import select

from cli.demo import draft_004
from models import AuditEntry, NotificationChannel, Organisation
from models.db import default_engine, session_scope
from models.enums import DecisionKind
from services.memo_life.memos import submit_memo
from services.notices.work_notices import notify_mode
from services.publication.publication import publish
from tests.builders import PIN, memo_in_review, sign
from tests.web.conftest import csrf_of, login

SUPPLIES = "ขออนุมัติจัดซื้อวัสดุสำนักงาน"

# Publication goes on with the .docx alone: nothing here is about the PDF (LibreOffice's seconds).
pytestmark = pytest.mark.usefixtures("no_libreoffice")


def as_user(client, username: str) -> None:  # noqa: ANN001
    client.cookies.clear()
    assert login(client, username).status_code == 303


def another_memo(subject: str) -> int:
    with session_scope() as session:
        draft = draft_004().model_copy(update={"subject": subject})
        return submit_memo(session, username="somying", pin=PIN, draft=draft).id


def listed(page: str, table: str) -> list[int]:
    """The memo ids in one table of the page, in the order shown."""
    body = re.search(rf'<table class="list[^"]*" id="{table}">(.*?)</table>', page, re.S)
    return [int(i) for i in re.findall(r'href="/memos/(\d+)"', body[1])] if body else []


def test_the_drafters_lists_are_searched_filtered_and_sorted_by_a_plain_form(client):
    engine = default_engine()
    first = memo_in_review(engine).id
    with pendulum.travel(minutes=5):
        supplies = another_memo(SUPPLIES)
    as_user(client, "somying")
    page = client.get("/").text
    assert 'method="get" action="/"' in page and 'name="q"' in page  # works without script
    assert set(listed(page, "sent")) == {first, supplies}
    assert listed(client.get("/", params={"q": "วัสดุ"}).text, "sent") == [supplies]
    assert listed(client.get("/", params={"q": "๔/๒"}).text, "sent") == [supplies]  # อท ๕๓๗๐๑.๔/๒, Thai digits
    assert listed(client.get("/", params={"q": "4/2"}).text, "sent") == [supplies]  # the same in Arabic
    assert listed(client.get("/", params={"status": "in_review"}).text, "sent") == [first]
    assert listed(client.get("/", params={"sort": "submitted"}).text, "sent") == [supplies, first]
    assert listed(client.get("/", params={"sort": "subject"}).text, "sent") == [supplies, first]  # ข before ป
    assert listed(client.get("/", params={"fy": "2400"}).text, "sent") == []
    fiscal_year = re.search(r'<option value="(\d{4})"', client.get("/").text)[1]
    assert len(listed(client.get("/", params={"fy": fiscal_year}).text, "sent")) == 2
    kinds = client.get("/", params={"kind": "participation-measures"}).text
    assert len(listed(kinds, "sent")) == 2
    kind_option = re.search(r'<option value="participation-measures"[^>]*>([^<]+)</option>', kinds)[1]
    assert kind_option != "participation-measures" and re.search("[ก-๙]", kind_option)  # its Thai title
    assert listed(client.get("/", params={"kind": "another-kind"}).text, "sent") == []
    assert "ไม่พบเรื่องรอพิจารณาที่ตรงกับการค้นหา" in client.get("/", params={"q": "ไม่มีคำนี้"}).text


def test_overdue_only_and_the_due_date_order_in_the_queue(client):
    engine = default_engine()
    with pendulum.travel_to(pendulum.datetime(2026, 11, 2, 9, 0, tz="Asia/Bangkok"), freeze=True):
        late = memo_in_review(engine).id  # due 5 Nov 16:30: long past
    fresh = memo_in_review(engine).id
    as_user(client, "kanokporn")
    assert listed(client.get("/").text, "queue") == [late, fresh]
    page = client.get("/", params={"overdue": "1"}).text
    assert listed(page, "queue") == [late] and "เกินกำหนด" in page
    assert 'name="overdue" value="1" checked' in page


def test_published_memos_stay_in_the_drafters_archive(client):
    engine = default_engine()
    memo_id = memo_in_review(engine).id
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo_id, username)
    with session_scope() as session:
        publish(session, memo_id=memo_id)
    as_user(client, "somying")
    front = client.get("/").text
    assert listed(front, "sent") == []  # no longer moving
    assert "/?view=mine&amp;status=published" in front
    archive = client.get("/", params={"view": "mine", "status": "published"}).text
    assert listed(archive, "mine") == [memo_id] and "เผยแพร่แล้ว" in archive


def test_signed_by_me_lists_each_memo_once_with_how_i_signed(client):
    engine = default_engine()
    mine = memo_in_review(engine).id
    returned = memo_in_review(engine).id
    sign(engine, mine, "kanokporn")
    sign(engine, mine, "phakphum")
    sign(engine, mine, "phakphum")  # the last step as acting mayor
    sign(engine, returned, "kanokporn", DecisionKind.RETURN, minute="แก้ไขข้อ ๒")
    as_user(client, "phakphum")
    page = client.get("/", params={"view": "signed"}).text
    assert listed(page, "signed") == [mine]
    assert "อนุมัติ ขั้นที่ ๓ ในฐานะปฏิบัติหน้าที่" in page
    as_user(client, "kanokporn")
    page = client.get("/", params={"view": "signed", "sort": "submitted"}).text
    assert listed(page, "signed") == [returned, mine] and "ส่งคืนแก้ไข ขั้นที่ ๑" in page
    assert listed(client.get("/", params={"view": "signed", "status": "returned"}).text, "signed") == [returned]


def test_a_person_chooses_how_to_hear_of_work_on_the_account_page(client):
    with session_scope() as session:
        org_id = session.exec(select(Organisation.id)).one()
        session.add(
            NotificationChannel(
                organisation_id=org_id,
                name="อีเมลของฉัน",
                recipient_username="kanokporn",
                url="mailtos://kanokporn:secret-pass@mail.example.go.th?to=k@example.go.th",
            )
        )
    as_user(client, "kanokporn")
    page = client.get("/account").text
    assert 'name="mode" value="both" checked' in page  # the default: at once and the digest
    assert "mail.example.go.th" in page and "secret-pass" not in page  # the channel shown, its password never
    token = csrf_of(client, "/account")
    assert client.post("/account/notify", data={"mode": "digest"}).status_code == 403  # no CSRF token
    response = client.post("/account/notify", data={"mode": "digest", "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert 'name="mode" value="digest" checked' in page and "บันทึกวิธีแจ้งเตือนแล้ว" in page
    bad = client.post("/account/notify", data={"mode": "sometimes", "csrf_token": token})
    assert bad.status_code == 400 and "choose one of" in bad.text
    with session_scope() as session:
        assert notify_mode(session, 4) in ("digest", "both")
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "account.notify_mode")).one()
    assert entry.actor == "kanokporn" and '"to":"digest"' in entry.data_json.replace(" ", "")
