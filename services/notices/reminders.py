"""The daily round: escalate steps overdue too long, then send each person one digest of what
waits for them and what is overdue. A notification that fails is retried and logged; it never
stops the round or touches the routing."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models import Memo, NotificationChannel, NotificationLog, Organisation, Person
from models.clock import utcnow
from models.db import session_scope
from models.deadlines import calendar_of, overdue_working_days
from models.workdays import is_working_day
from services.memo_life.escalation import escalate_overdue
from services.memo_life.queue import queue_for
from services.notices.notify import Channel, DeliveryResult, Notification, send
from services.notices.notify_digest import DigestItem, digest_for
from services.notices.work_notices import DIGEST_MODES, notify_mode

DIGEST_PURPOSES = ("digest", "all", "work")  # "work": a channel a person added for themselves


@dataclass(frozen=True)
class RoundReport:
    organisation: str
    skipped: bool  # not a working day for this organisation
    escalations: int
    digests: int
    failed_deliveries: int


def daily_round(
    org_code: str,
    *,
    now: dt.datetime | None = None,
    engine: Engine | None = None,
    attempts: int = 3,
    backoff_seconds: float = 2.0,
) -> RoundReport:
    now = now or utcnow()
    with session_scope(engine) as session:
        org = session.exec(select(Organisation).where(Organisation.code == org_code)).one()
        if not is_working_day(now, calendar_of(org)):
            return RoundReport(org_code, True, 0, 0, 0)
        escalations = len(escalate_overdue(session, org, now))
    with session_scope(engine) as session:
        outgoing = _digests(session, org_code, now)
    results = [
        (message, send(message, channels, attempts=attempts, backoff_seconds=backoff_seconds))
        for message, channels in outgoing
    ]
    with session_scope(engine) as session:
        org_id = session.exec(select(Organisation.id).where(Organisation.code == org_code)).one()
        failed = _log(session, org_id, results)
    return RoundReport(org_code, False, escalations, len(outgoing), failed)


def _digests(session: Session, org_code: str, now: dt.datetime) -> list[tuple[Notification, list[Channel]]]:
    org = session.exec(select(Organisation).where(Organisation.code == org_code)).one()
    outgoing = []
    for person in session.exec(select(Person).where(Person.organisation_id == org.id, Person.active)).all():
        if notify_mode(session, person.id) not in DIGEST_MODES:
            continue  # the person asked for immediate notices only
        channels = _personal_channels(session, org, person)
        items = queue_for(session, person.username)
        if channels and items:
            waiting, overdue = _split(session, org, items, now)
            outgoing.append((digest_for(person.full_name, waiting, overdue, link=_link(org)), channels))
    return outgoing


def _split(session: Session, org: Organisation, items, now: dt.datetime) -> tuple[list, list]:  # noqa: ANN001
    waiting: list = []
    overdue: list = []
    for item in items:
        memo = session.get(Memo, item.memo_id)
        past_due = memo.due_at is not None and memo.due_at < now
        entry = DigestItem(
            memo.register_number, memo.subject, item.waiting_for, memo.due_at, overdue_working_days(org, memo, now)
        )
        (overdue if past_due else waiting).append(entry)
    return waiting, overdue


def _personal_channels(session: Session, org: Organisation, person: Person) -> list[Channel]:
    rows = session.exec(
        select(NotificationChannel).where(
            NotificationChannel.organisation_id == org.id,
            NotificationChannel.active,
            NotificationChannel.confirmed,  # one a person added carries nothing until its test code came back
            NotificationChannel.recipient_username == person.username,
            col(NotificationChannel.purpose).in_(DIGEST_PURPOSES),
        )
    ).all()
    return [Channel(name=row.name, url=row.url, recipient=person.username) for row in rows]


def _link(org: Organisation) -> str | None:
    return f"{org.website_url.rstrip('/')}/" if org.website_url else None


def _log(session: Session, org_id: int, results: list[tuple[Notification, list[DeliveryResult]]]) -> int:
    failed = 0
    for message, deliveries in results:
        for d in deliveries:
            session.add(
                NotificationLog(
                    organisation_id=org_id,
                    channel=d.channel,
                    recipient=d.recipient or "",
                    title=message.title,
                    ok=d.ok,
                    attempts=d.attempts,
                    error=d.error or "",
                )
            )
            failed += not d.ok
    return failed
