"""Reminding those who have not acknowledged: once the request is N working days old (the
organisation's `step_working_days` when asked, models.workdays), on each working day, one
message per person naming every announcement they still have to acknowledge, on their own
confirmed channels (services.notices.channels). At most one a day: the day's row is claimed
(unique per person and day) before anything is sent, so a second run, or two at once, sends
nothing more. A failed delivery is logged in `notificationlog`, as every notice is.
"""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from documents.thai_format import thai_date_short, to_thai_digits
from models import (
    AcknowledgementReminder,
    AcknowledgementRequest,
    Memo,
    NotificationLog,
    Organisation,
    Person,
)
from models.clock import office_date, utcnow
from models.db import session_scope
from models.deadlines import calendar_of
from models.settings import get_settings
from models.workdays import add_working_days, is_working_day
from services.acknowledgements.acknowledging import who_has_and_has_not
from services.notices.channels import personal_channels
from services.notices.notify import Channel, Notification, send

TITLE_CHARS = 60  # services.notices.work_notices: a longer Thai e-mail subject breaks SMTP's line limit


@dataclass(frozen=True)
class ReminderReport:
    organisation: str
    skipped: bool  # not a working day for this organisation
    reminded: int  # people a reminder went to (on at least one channel)
    failed: int  # people whose every channel failed
    without_channel: int  # people due a reminder who have no confirmed channel


@dataclass(frozen=True)
class _Due:
    person_id: int
    memo_ids: list[int]
    message: Notification
    channels: list[Channel]


def remind_unacknowledged(
    org_code: str, *, now: dt.datetime | None = None, engine: Engine | None = None, base_url: str | None = None
) -> ReminderReport:
    now = now or utcnow()
    day = office_date(now)
    with session_scope(engine) as session:
        org = session.exec(select(Organisation).where(Organisation.code == org_code)).one()
        if not is_working_day(now, calendar_of(org)):
            return ReminderReport(org_code, True, 0, 0, 0)
        claimed = [due for due in _due(session, org, now, base_url) if _claim(session, org, due, day)]
    outcomes = [(due, send(due.message, due.channels, attempts=2, backoff_seconds=1.0)) for due in claimed]
    reminded = failed = without = 0
    with session_scope(engine) as session:
        for due, results in outcomes:
            row = session.exec(
                select(AcknowledgementReminder).where(
                    AcknowledgementReminder.person_id == due.person_id, AcknowledgementReminder.day == day
                )
            ).one()
            username = session.get(Person, due.person_id).username
            for result in results:
                session.add(
                    NotificationLog(
                        organisation_id=org.id,
                        channel=result.channel,
                        recipient=username,
                        title=due.message.title,
                        ok=result.ok,
                        attempts=result.attempts,
                        error=result.error or "",
                    )
                )
            sent = sum(r.ok for r in results)
            row.channels = sent
            if not results:
                row.state, without = "no-channel", without + 1
            elif sent:
                row.state, reminded = "sent", reminded + 1
            else:
                row.state, failed = "failed", failed + 1
                row.error = "; ".join(r.error or "not delivered" for r in results)[:500]
    return ReminderReport(org_code, False, reminded, failed, without)


def _due(session: Session, org: Organisation, now: dt.datetime, base_url: str | None) -> list[_Due]:
    """Who is due a reminder now, with the announcements each has not acknowledged."""
    owed: dict[int, list[tuple[Memo, str]]] = {}
    calendar = calendar_of(org)
    requests = session.exec(select(AcknowledgementRequest).where(AcknowledgementRequest.organisation_id == org.id))
    for request in requests:
        if add_working_days(request.at, request.remind_after_working_days, calendar) > now:
            continue  # not due yet
        found = who_has_and_has_not(session, request.memo_id)
        if found is None or found.cancelled:
            continue
        for row in found.not_yet:
            if row.active:
                owed.setdefault(row.person_id, []).append((found.memo, found.title))
    due = []
    for person_id, memos in sorted(owed.items()):
        person = session.get(Person, person_id)
        channels = [
            Channel(name=c.name, url=c.url, recipient=person.username) for c in personal_channels(session, person)
        ]
        due.append(_Due(person_id, [int(m.id) for m, _ in memos], _message(person, memos, base_url), channels))
    return due


def _claim(session: Session, org: Organisation, due: _Due, day: dt.date) -> bool:
    """The day's reminder for this person, claimed once: False when another run has it."""
    try:
        with session.begin_nested():
            session.add(
                AcknowledgementReminder(
                    organisation_id=org.id,
                    person_id=due.person_id,
                    day=day,
                    memo_ids=",".join(map(str, due.memo_ids)),
                )
            )
    except IntegrityError:
        return False
    return True


def _message(person: Person, memos: list[tuple[Memo, str]], base_url: str | None) -> Notification:
    base = (get_settings().public_base_url if base_url is None else base_url).rstrip("/")
    count = to_thai_digits(len(memos))
    lines = [f"เรียน {person.full_name}", "", f"ท่านยังไม่ได้รับทราบหนังสือเวียน/ประกาศ {count} เรื่อง:"]
    for number, (memo, title) in enumerate(memos, start=1):
        lines.append(f"{to_thai_digits(number)}. {title} (บันทึกที่ {memo.register_number})")
    lines += [
        "",
        f"กดรับทราบได้ที่: {base}/acknowledgements",
        "",
        f"ระบบสารบรรณ (แจ้งเตือนอัตโนมัติ {thai_date_short(office_date())})",
    ]
    title = f"โปรดรับทราบหนังสือเวียน {count} เรื่อง"
    return Notification(title=title[:TITLE_CHARS], body="\n".join(lines))
