"""Due dates, the daily digest and escalation, with time travel and real local peers."""

import pendulum
import pytest
from sqlmodel import select

from models import AuditEntry, Escalation, NotificationChannel, NotificationLog, Organisation
from models.db import make_engine, session_scope
from models.enums import Capacity
from models.rules import Refused
from services.memo_life.queue import ESCALATED, queue_for
from services.notices.reminders import daily_round
from tests.builders import load_kokphutsa, memo, memo_in_review, sign, submitted_memo
from tests.conftest import copy_of_migrated

BANGKOK = "Asia/Bangkok"
FAST = {"attempts": 2, "backoff_seconds": 0.01}


def at(*args) -> pendulum.DateTime:  # noqa: ANN002
    return pendulum.datetime(*args, tz=BANGKOK)


@pytest.fixture
def org(sqlite_url, migrated_templates):
    copy_of_migrated(sqlite_url, migrated_templates)
    engine = make_engine(sqlite_url)
    load_kokphutsa(engine)
    yield engine
    engine.dispose()


def test_a_memo_sent_on_friday_evening_is_due_three_working_days_from_monday(org):
    with pendulum.travel_to(at(2026, 11, 20, 17, 0), freeze=True):  # a Friday, after closing time
        m = submitted_memo(org)
    assert memo(org, m.id).due_at == at(2026, 11, 26, 16, 30)  # Tue, Wed, Thu


def test_a_holiday_week_pushes_the_due_date(org):
    # Sat 5 Dec is วันพ่อ with Monday 7 Dec in lieu: Thursday's memo skips the whole weekend and Monday.
    with pendulum.travel_to(at(2026, 12, 3, 10, 0), freeze=True):
        m = submitted_memo(org)
    assert memo(org, m.id).due_at == at(2026, 12, 9, 16, 30)  # Fri 4, Tue 8, Wed 9


def test_each_new_wait_gets_its_own_due_date(org):
    with pendulum.travel_to(at(2026, 11, 23, 9, 0), freeze=True):
        m = memo_in_review(org)
    with pendulum.travel_to(at(2026, 11, 24, 9, 0), freeze=True):
        sign(org, m.id, "kanokporn")
    assert memo(org, m.id).due_at == at(2026, 11, 27, 16, 30)


def overdue_memo(org) -> int:  # noqa: ANN001
    """A memo waiting at the head of office's step since Monday 23 Nov, due Thursday 26 Nov."""
    with pendulum.travel_to(at(2026, 11, 23, 9, 0), freeze=True):
        return memo_in_review(org).id


def test_a_step_overdue_for_two_working_days_goes_to_the_position_above(org):
    memo_id = overdue_memo(org)
    one_day_late = at(2026, 11, 27, 16, 30)
    assert daily_round("kokphutsa", now=one_day_late, engine=org).escalations == 0
    two_days_late = at(2026, 11, 30, 16, 30)  # Friday and Monday closed after the due moment
    report = daily_round("kokphutsa", now=two_days_late, engine=org)
    assert report.escalations == 1
    assert daily_round("kokphutsa", now=two_days_late, engine=org).escalations == 0  # only once
    with session_scope(org) as session:
        assert session.exec(select(Escalation)).one().step_index == 0
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "step.escalated")).one()
        assert entry.subject == f"memo:{memo_id}"
        clerk_queue = queue_for(session, "phakphum")
    assert [(i.memo_id, i.capacity) for i in clerk_queue] == [(memo_id, ESCALATED)]


def test_after_an_escalation_the_assignee_can_still_act(org):
    memo_id = overdue_memo(org)
    daily_round("kokphutsa", now=at(2026, 11, 30, 16, 30), engine=org)
    assert sign(org, memo_id, "kanokporn").capacity is Capacity.SELF
    assert memo(org, memo_id).step == 1


def test_after_an_escalation_the_position_above_can_act_in_its_own_name(org):
    memo_id = overdue_memo(org)
    with pytest.raises(Refused):
        sign(org, memo_id, "phakphum", step=0)  # not before the escalation
    daily_round("kokphutsa", now=at(2026, 11, 30, 16, 30), engine=org)
    result = sign(org, memo_id, "phakphum", step=0)
    assert (result.step, result.capacity) == (0, Capacity.SELF)
    with session_scope(org) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "signoff.recorded")).one()
    assert '"escalated":true' in entry.data_json


def test_no_round_on_a_holiday(org):
    overdue_memo(org)
    assert daily_round("kokphutsa", now=at(2026, 12, 7, 8, 0), engine=org).skipped  # the day in lieu of วันพ่อ


def add_channel(org, name: str, url: str, username: str) -> None:  # noqa: ANN001
    with session_scope(org) as session:
        org_id = session.exec(select(Organisation.id)).one()
        session.add(
            NotificationChannel(
                organisation_id=org_id, name=name, url=url, recipient_username=username, purpose="digest"
            )
        )


def test_each_person_gets_one_digest_and_a_failing_channel_is_logged_not_blocking(
    org, smtp_server, webhook_factory, closed_port
):
    memo_id = overdue_memo(org)
    receiver = webhook_factory()
    add_channel(org, "อีเมลหัวหน้าสำนัก", smtp_server.channel_url("kanokporn@kokphutsa.go.th"), "kanokporn")
    add_channel(org, "webhook หัวหน้าสำนัก", receiver.channel_url(), "kanokporn")
    add_channel(org, "ไลน์ที่ปิดอยู่", f"json://127.0.0.1:{closed_port}/down", "kanokporn")
    report = daily_round("kokphutsa", now=at(2026, 11, 27, 8, 0), engine=org, **FAST)
    assert (report.digests, report.failed_deliveries) == (1, 1)
    [mail] = smtp_server.handler.received
    assert mail.message["Subject"] == "เกินกำหนด ๑ เรื่อง"
    assert memo(org, memo_id).register_number in mail.message.get_body(("plain",)).get_content()
    assert len(receiver.requests) == 1
    with session_scope(org) as session:
        logs = {row.channel: (row.ok, row.attempts) for row in session.exec(select(NotificationLog))}
    assert logs == {"อีเมลหัวหน้าสำนัก": (True, 1), "webhook หัวหน้าสำนัก": (True, 1), "ไลน์ที่ปิดอยู่": (False, 2)}
