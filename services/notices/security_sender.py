"""Sends each security notice (models.SecurityNotice: a reset, a new signer, a changed chain; a memo
ended unpublished, services.memo_life.ending_notices)
on its recipient's own channels, with the same spaced retries as work notices. A person with no
channel of their own still sees the notice on their account page: it is marked so, not lost."""

import datetime as dt
import logging

from sqlalchemy import Engine, or_
from sqlmodel import col, select

from models import NotificationLog, Person, SecurityNotice
from models.clock import utcnow
from models.db import session_scope
from services.notices.channels import claim_rows, personal_channels
from services.notices.notify import Channel, Notification, send

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_BACKOFF = dt.timedelta(seconds=30)


def send_security_notices(*, engine: Engine | None = None, first_backoff: dt.timedelta = FIRST_BACKOFF) -> int:
    """Send what is due; the number of notices sent."""
    now = utcnow()
    with session_scope(engine) as session:
        notices = claim_rows(
            session,
            SecurityNotice,
            select(SecurityNotice.id)
            .where(
                SecurityNotice.state == "pending",
                col(SecurityNotice.next_attempt_at) <= now,
                or_(col(SecurityNotice.claimed_until).is_(None), col(SecurityNotice.claimed_until) < now),
            )
            .limit(50),
            now,
        )
        jobs = []
        for notice in notices:
            person = session.get(Person, notice.person_id)
            channels = [Channel(c.name, c.url, recipient=person.username) for c in personal_channels(session, person)]
            jobs.append((notice.id, Notification(notice.title, notice.body), channels))
    return sum(_send(notice_id, message, channels, engine, first_backoff) for notice_id, message, channels in jobs)


def _send(
    notice_id: int, message: Notification, channels: list[Channel], engine: Engine | None, backoff: dt.timedelta
) -> int:
    results = send(message, channels, attempts=1) if channels else []
    now = utcnow()
    with session_scope(engine) as session:
        notice = session.get(SecurityNotice, notice_id)
        notice.claimed_until = None
        if not channels:
            notice.state = "no-channel"  # shown on the account page only
            return 0
        notice.attempts += 1
        for channel, result in zip(channels, results, strict=True):
            session.add(
                NotificationLog(
                    organisation_id=notice.organisation_id,
                    channel=channel.name,
                    recipient=channel.recipient,
                    title=notice.title,
                    ok=result.ok,
                    attempts=notice.attempts,
                    error=result.error or "",
                )
            )
        if any(result.ok for result in results):
            notice.state, notice.sent_at, notice.last_error = "sent", now, ""
            return 1
        notice.last_error = "; ".join(result.error or "not delivered" for result in results)[:500]
        if notice.attempts >= MAX_ATTEMPTS:
            notice.state = "failed"
            log.error("security notice %d given up after %d attempts", notice_id, notice.attempts)
        else:
            notice.next_attempt_at = now + backoff * 2 ** (notice.attempts - 1)
        return 0
