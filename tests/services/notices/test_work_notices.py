"""Immediate notices when work arrives, sent to a real local SMTP server and HTTP receiver:
once per person and arrival, retried after a failure, recorded, and never for work gone."""

import datetime as dt

import pendulum
import pytest
from sqlmodel import select

from models import Memo, NotificationChannel, NotificationLog, Organisation, Person, WorkArrival, WorkNotice
from models.db import make_engine, session_scope
from models.enums import DecisionKind
from models.settings import get_settings
from services.memo_life.escalation import escalate_step
from services.notices.reminders import daily_round
from services.notices.work_notices import run_once, set_notify_mode
from tests.builders import load_kokphutsa, memo, memo_in_review, prepare, sign, submitted_memo
from tests.conftest import copy_of_migrated

# Run on SQLite and PostgreSQL: locks, the application role, constraints or triggers differ here.
pytestmark = pytest.mark.dialects

NO_WAIT = dt.timedelta(0)
BASE = "https://saraban.example.go.th"


@pytest.fixture
def org(database_url, monkeypatch, migrated_templates):
    monkeypatch.setenv("SARABAN_PUBLIC_BASE_URL", BASE)
    get_settings.cache_clear()
    copy_of_migrated(database_url, migrated_templates)
    engine = make_engine(database_url)
    load_kokphutsa(engine)
    yield engine
    engine.dispose()
    get_settings.cache_clear()


def add_channel(engine, name: str, url: str, username: str) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        org_id = session.exec(select(Organisation.id)).one()
        session.add(
            NotificationChannel(organisation_id=org_id, name=name, url=url, recipient_username=username, purpose="all")
        )


def choose(engine, username: str, mode: str) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        set_notify_mode(session, session.exec(select(Person.id).where(Person.username == username)).one(), mode)


def head_of_office_listens(engine, smtp_server, receiver) -> None:  # noqa: ANN001
    add_channel(engine, "อีเมลหัวหน้าสำนัก", smtp_server.channel_url("kanokporn@kokphutsa.go.th"), "kanokporn")
    add_channel(engine, "webhook หัวหน้าสำนัก", receiver.channel_url(), "kanokporn")


def bodies(smtp_server) -> list[str]:  # noqa: ANN001
    return [m.message.get_body(("plain",)).get_content() for m in smtp_server.handler.received]


def test_a_memo_reaching_a_signer_is_mailed_and_posted_once_with_a_link(org, smtp_server, webhook_factory):
    receiver = webhook_factory()
    head_of_office_listens(org, smtp_server, receiver)
    m = memo_in_review(org)
    reports = [run_once(engine=org) for _ in range(3)]
    assert sum(r.sent for r in reports) == 2  # ตรวจ was done before the sender ran: step 1 only
    assert len(smtp_server.handler.received) == 1 and len(receiver.requests) == 1
    last_mail = bodies(smtp_server)[-1]
    assert f"{BASE}/memos/{m.id}" in last_mail
    assert "พิจารณาขั้นที่ ๑" in last_mail and memo(org, m.id).register_number in last_mail
    assert smtp_server.handler.received[-1].message["Subject"].startswith("เรื่องมาถึงท่าน:")
    path, payload = receiver.requests[-1]
    assert f"{BASE}/memos/{m.id}" in payload["message"]
    run_once(engine=org)
    assert len(smtp_server.handler.received) == 1 and len(receiver.requests) == 1  # never twice
    with session_scope(org) as session:
        logs = session.exec(select(NotificationLog)).all()
    assert len(logs) == 2 and all(row.ok and row.recipient == "kanokporn" for row in logs)


def test_a_failed_delivery_is_logged_and_tried_again_until_it_arrives(org, smtp_server, webhook_factory):
    m = memo_in_review(org)
    run_once(engine=org)  # the arrivals so far are told to nobody: no channel yet
    receiver = webhook_factory([500])  # the receiver fails once, then accepts
    add_channel(org, "webhook ปลัด", receiver.channel_url(), "phakphum")
    sign(org, m.id, "kanokporn")  # step 2: the clerk's
    first = run_once(engine=org, first_backoff=NO_WAIT)
    assert (first.sent, first.failed) == (0, 1)
    second = run_once(engine=org, first_backoff=NO_WAIT)
    assert (second.sent, second.failed) == (1, 0)
    assert len(receiver.requests) == 2 and f"/memos/{m.id}" in receiver.requests[1][1]["message"]
    run_once(engine=org, first_backoff=NO_WAIT)
    assert len(receiver.requests) == 2
    with session_scope(org) as session:
        logs = [(row.ok, row.attempts) for row in session.exec(select(NotificationLog).order_by(NotificationLog.id))]
        notice = session.exec(select(WorkNotice)).one()
    assert logs == [(False, 1), (True, 2)]
    assert (notice.state, notice.attempts) == ("sent", 2)


def test_a_channel_given_to_someone_else_before_the_retry_is_not_used(org, webhook_factory):
    m = memo_in_review(org)
    run_once(engine=org)
    receiver = webhook_factory([500])
    add_channel(org, "webhook ปลัด", receiver.channel_url(), "phakphum")
    sign(org, m.id, "kanokporn")
    assert run_once(engine=org, first_backoff=NO_WAIT).failed == 1
    with session_scope(org) as session:  # the admin points the channel at the officer meanwhile
        session.exec(
            select(NotificationChannel).where(NotificationChannel.name == "webhook ปลัด")
        ).one().recipient_username = "somying"
    run_once(engine=org, first_backoff=NO_WAIT)
    assert len(receiver.requests) == 1  # the retry of the clerk's notice never reaches the officer
    with session_scope(org) as session:
        notice = session.exec(select(WorkNotice)).one()
    assert notice.state == "failed" and "recipient" in notice.last_error


def test_a_failure_waits_its_back_off_before_the_next_try(org, webhook_factory):
    receiver = webhook_factory([503])
    add_channel(org, "webhook หัวหน้าสำนัก", receiver.channel_url(), "kanokporn")
    memo_in_review(org)
    assert run_once(engine=org, first_backoff=dt.timedelta(minutes=5)).failed == 1
    assert run_once(engine=org, first_backoff=dt.timedelta(minutes=5)).failed == 0
    assert len(receiver.requests) == 1  # the second try waits five minutes
    with session_scope(org) as session:
        notice = session.exec(select(WorkNotice)).one()  # ตรวจ was done before the sender ran: moot
    assert (notice.state, notice.attempts) == ("pending", 1)
    assert "503" in notice.last_error or "Service Unavailable" in notice.last_error


def test_work_that_moved_on_before_the_sender_ran_is_not_announced(org, webhook_factory):
    receiver = webhook_factory()
    add_channel(org, "webhook พิมพ์", receiver.channel_url(), "wanna")
    m = submitted_memo(org)
    prepare(org, m.id)  # wanna typeset it before any sender ran: nothing is waiting for her now
    run_once(engine=org)
    assert receiver.requests == []
    with session_scope(org) as session:
        assert all(a.resolved_at for a in session.exec(select(WorkArrival)))


def test_the_typist_hears_of_a_new_memo_and_nobody_else_does(org, webhook_factory):
    receivers = {name: webhook_factory() for name in ("wanna", "preecha", "phakphum", "somying")}
    for name, receiver in receivers.items():
        add_channel(org, f"webhook {name}", receiver.channel_url(), name)
    m = submitted_memo(org)
    run_once(engine=org)
    assert {name: len(r.requests) for name, r in receivers.items()} == {
        "wanna": 1,
        "preecha": 0,
        "phakphum": 0,
        "somying": 0,
    }
    assert "บันทึกขั้นตอน พิมพ์" in receivers["wanna"].requests[0][1]["message"]
    assert f"/memos/{m.id}" in receivers["wanna"].requests[0][1]["message"]
    prepare(org, m.id)
    sign(org, m.id, "kanokporn", kind=DecisionKind.RETURN, minute="แก้ไขข้อ ๒")
    run_once(engine=org)
    assert len(receivers["somying"].requests) == 1  # the return reaches the drafter
    assert "แก้ไขตามที่ส่งคืน" in receivers["somying"].requests[0][1]["message"]
    assert len(receivers["wanna"].requests) == 1


def test_a_person_chooses_immediate_or_digest(org, webhook_factory):
    immediate, digest = webhook_factory(), webhook_factory()
    add_channel(org, "webhook หัวหน้าสำนัก", immediate.channel_url(), "kanokporn")
    choose(org, "kanokporn", "digest")
    memo_in_review(org)
    run_once(engine=org)
    assert immediate.requests == []  # she asked for the daily digest only
    choose(org, "kanokporn", "immediate")
    monday = pendulum.datetime(2026, 12, 14, 8, 0, tz="Asia/Bangkok")
    assert daily_round("kokphutsa", now=monday, engine=org, attempts=1, backoff_seconds=0).digests == 0
    assert digest.requests == []


def test_an_escalation_tells_the_position_above_and_not_the_assignee_again(org, webhook_factory):
    head, clerk = webhook_factory(), webhook_factory()
    add_channel(org, "webhook หัวหน้าสำนัก", head.channel_url(), "kanokporn")
    add_channel(org, "webhook ปลัด", clerk.channel_url(), "phakphum")
    m = memo_in_review(org)
    run_once(engine=org)
    told = len(head.requests)
    with session_scope(org) as session:
        escalate_step(session, session.get(Memo, m.id), pendulum.now("UTC"))
    run_once(engine=org)
    assert len(head.requests) == told  # the same wait: not told twice
    assert len(clerk.requests) == 1 and "เกินกำหนด" not in clerk.requests[0][1]["title"]
