"""The memo page's publication card: where the announcement went, and the officer's retry."""

import datetime as dt
import socket

import pytest
from sqlmodel import select

from documents.thai_format import thai_date_full
from models import AuditEntry, NotificationChannel, Organisation, Publication, PublicationChannel
from models.be_dates import be_date_text
from models.db import default_engine, session_scope
from services.notices import notify
from services.publication.channel_posting import post_to_channels
from services.publication.publication import publish
from tests.builders import memo_in_review, sign
from tests.web.conftest import csrf_of, login

SECRET = "pa55word-xyz"
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@pytest.fixture
def closed_port():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


@pytest.fixture
def failed_publication(client, no_libreoffice, closed_port) -> int:
    """A published memo whose one social channel (a refusing 127.0.0.1 port) has failed."""
    engine = default_engine()
    with session_scope(engine) as session:
        org_id = session.exec(select(Organisation.id)).one()
        session.add(
            NotificationChannel(
                organisation_id=org_id,
                name="LINE กลุ่มประชาสัมพันธ์",
                purpose="publication",
                url=f"json://clerk:{SECRET}@127.0.0.1:{closed_port}/hooks/line",
            )
        )
    memo = memo_in_review(engine)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo.id, username)
    with session_scope(engine) as session:
        publish(session, memo_id=memo.id)
    post_to_channels(memo.id, attempts=1, backoff_seconds=0)
    return memo.id


def test_the_card_shows_each_channel_and_its_error_but_never_the_url(client, failed_publication):
    login(client, "somying")
    page = client.get(f"/memos/{failed_publication}").text
    card = page.split('id="publication-card"')[1].split("<h2>บันทึกข้อความ")[0]
    assert "เว็บไซต์" in card and "ป้ายประกาศ" in card and "LINE กลุ่มประชาสัมพันธ์" in card
    assert "ไม่สำเร็จ" in card and "Connection error" in card
    assert "ผู้ขอเผยแพร่ นางสาวสมหญิง แดงโสภา" in card and "ผู้อนุมัติ ภาคภูมิ อนุศาสตร์" in card  # names, not usernames
    assert SECRET not in page and "hooks/line" not in page
    assert f'action="/memos/{failed_publication}/publication/retry"' in card


def test_retry_needs_the_csrf_token_and_records_the_new_attempt(client, failed_publication, monkeypatch):
    monkeypatch.setattr(notify, "_sleep", lambda _seconds: None)  # the retry's backoff, without the wait
    login(client, "somying")
    refused = client.post(f"/memos/{failed_publication}/publication/retry", data={}, follow_redirects=False)
    assert refused.status_code == 403
    token = csrf_of(client, f"/memos/{failed_publication}")
    response = client.post(
        f"/memos/{failed_publication}/publication/retry", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"].endswith("msg=retry-failed")
    assert "ยังส่งประกาศไม่สำเร็จบางช่องทาง" in client.get(response.headers["location"]).text
    with session_scope() as session:
        row = session.exec(select(PublicationChannel).where(PublicationChannel.channel == "LINE กลุ่มประชาสัมพันธ์")).one()
    assert (row.status, row.attempts) == ("failed", 1 + 3)  # the flow's one try, then the retry's three


def test_the_notice_board_is_recorded_by_the_person_who_posts_it(client, failed_publication):
    login(client, "somying")
    page = client.get(f"/memos/{failed_publication}").text
    card = page.split('id="publication-card"')[1].split("<h2>บันทึกข้อความ")[0]
    assert "รอปิดประกาศ" in card and "ระบบ (อัตโนมัติ)" not in card  # not "posted by the system"
    assert "ส่งแล้ว (ครั้ง)" not in card and "(ส่ง ๑ ครั้ง)" in card  # a count only where something was sent
    token = csrf_of(client, f"/memos/{failed_publication}")
    with session_scope() as session:
        announced = session.exec(select(Publication.announcement_date)).one()
    western = client.post(
        f"/memos/{failed_publication}/publication/notice-board",
        data={"posted_on": f"{announced.day}/{announced.month}/{announced.year}", "csrf_token": token},
    )
    assert western.status_code == 403 and "ปี ค.ศ." in western.text
    typed = f'value="{announced.day}/{announced.month}/{announced.year}"'
    assert typed in western.text  # the date comes back as typed, to fix, not reset to today
    done = client.post(
        f"/memos/{failed_publication}/publication/notice-board",
        data={"posted_on": be_date_text(announced).translate(THAI), "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    card = client.get(done.headers["location"]).text.split('id="publication-card"')[1].split("<h2>บันทึกข้อความ")[0]
    assert f"ปิดประกาศเมื่อ {thai_date_full(announced)} โดย นางสาวสมหญิง แดงโสภา" in card
    assert f"ถึง {thai_date_full(announced + dt.timedelta(days=30))}" in card and "notice-board-form" not in card
    with session_scope() as session:
        row = session.exec(select(PublicationChannel).where(PublicationChannel.channel == "notice-board")).one()
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "publication.notice_board.posted")).one()
    assert (row.status, row.posted_on, entry.actor) == ("posted", announced, "somying")
    again = client.post(
        f"/memos/{failed_publication}/publication/notice-board",
        data={"posted_on": be_date_text(announced), "csrf_token": token},
    )
    assert again.status_code == 403 and "already recorded" in again.text
    client.cookies.clear()
    login(client, "kanokporn")
    verified = client.post("/admin/audit/verify", data={"csrf_token": csrf_of(client, "/admin/audit")})
    assert "ห่วงโซ่ครบถ้วน" in verified.text  # recording the board changed no history row
