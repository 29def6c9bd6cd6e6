"""The memo page's publication card: where the announcement went, and the officer's retry."""

import socket

import pytest
from sqlmodel import select

from models import NotificationChannel, Organisation, PublicationChannel
from models.db import default_engine, session_scope
from services import notify
from services.channel_posting import post_to_channels
from services.publication import publish
from tests.builders import memo_in_review, sign
from tests.web.conftest import csrf_of, login

SECRET = "pa55word-xyz"


@pytest.fixture
def no_libreoffice(tmp_path, monkeypatch):
    (tmp_path / "empty-bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))


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
        session.add(NotificationChannel(organisation_id=org_id, name="LINE กลุ่มประชาสัมพันธ์", purpose="publication",
                                        url=f"json://clerk:{SECRET}@127.0.0.1:{closed_port}/hooks/line"))
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
    assert "ผู้ขอเผยแพร่ somying" in card and "ผู้อนุมัติ phakphum" in card
    assert SECRET not in page and "hooks/line" not in page
    assert 'action="/memos/%d/publication/retry"' % failed_publication in card


def test_retry_needs_the_csrf_token_and_records_the_new_attempt(client, failed_publication, monkeypatch):
    monkeypatch.setattr(notify, "_sleep", lambda _seconds: None)  # the retry's backoff, without the wait
    login(client, "somying")
    refused = client.post(f"/memos/{failed_publication}/publication/retry", data={}, follow_redirects=False)
    assert refused.status_code == 403
    token = csrf_of(client, f"/memos/{failed_publication}")
    response = client.post(f"/memos/{failed_publication}/publication/retry", data={"csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("msg=retry-failed")
    assert "ยังส่งประกาศไม่สำเร็จบางช่องทาง" in client.get(response.headers["location"]).text
    with session_scope() as session:
        row = session.exec(select(PublicationChannel).where(
            PublicationChannel.channel == "LINE กลุ่มประชาสัมพันธ์")).one()
    assert (row.status, row.attempts) == ("failed", 1 + 3)  # the flow's one try, then the retry's three
