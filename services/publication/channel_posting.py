"""Posting a publication to its social channels through Apprise, after the publication committed.

Three short steps, so that no transaction is held while Apprise waits on the network (on SQLite a
transaction holds the write lock): read what to send, send it (services.notices.notify retries each channel
and never raises), then record how each channel went on its PublicationChannel row and in the
NotificationLog. A channel that fails stays "failed" with its error (secrets scrubbed) until the
officer retries it; the other channels complete regardless.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from documents.text.announcement_reading import announcement_title
from documents.thai_format import thai_date_full
from models import Memo, NotificationChannel, NotificationLog, Organisation, Publication, PublicationChannel, audit
from models.clock import utcnow
from models.db import session_scope
from models.digits import thai_digits
from models.settings import get_settings
from services.errors import BadInput
from services.memo_life.memos import memo_for_update
from services.notices.notify import (
    DEFAULT_ATTEMPTS,
    DEFAULT_BACKOFF_SECONDS,
    Channel,
    DeliveryResult,
    Notification,
    send,
)
from services.notices.scrub import scrub_secrets
from services.publication.public import published_reading
from services.publication.publication_channels import (
    FAILED,
    PENDING,
    POSTED,
    RESERVED_NAMES,
    SENDING,
    UNSENT,
    public_page_link,
)

log = logging.getLogger(__name__)

# Longer than any send with its retries takes (services.notices.notify backs off for seconds, not minutes).
INTERRUPTED_AFTER = dt.timedelta(minutes=10)
# A webhook's claim expires sooner (SARABAN_WEBHOOK_RESEND_SECONDS, a minute by default): sending
# it again is harmless (same key), and a memo whose worker died is re-run by the reconciler about
# a minute later (workflows.delivery.SILENT_AFTER).
IDEMPOTENT_SCHEMES = ("json", "jsons", "form", "forms", "xml", "xmls")  # Apprise's generic webhooks
IDEMPOTENCY_HEADER = "Idempotency-Key"
INTERRUPTED = (
    "การส่งถูกขัดจังหวะ อาจส่งไปแล้วหรือยังไม่ได้ส่ง โปรดตรวจสอบที่ช่องทางก่อนกดส่งอีกครั้ง "
    "(sending was interrupted: it may or may not have gone out; check the channel, then retry)"
)
NOT_CONFIGURED = "ช่องทางนี้ถูกปิดหรือลบออกจากการตั้งค่าแล้ว (the channel is no longer configured or active)"


@dataclass(frozen=True)
class ChannelOutcome:
    channel: str
    status: str  # posted | failed
    attempts: int  # tries this time
    error: str = ""


@dataclass(frozen=True)
class _Planned:
    row_id: int
    channel: Channel | None  # None: the configuration behind the row is gone or inactive


@dataclass(frozen=True)
class _Plan:
    organisation_id: int
    message: Notification
    planned: list[_Planned]


def post_to_channels(
    memo_id: int,
    *,
    engine: Engine | None = None,
    attempts: int = DEFAULT_ATTEMPTS,
    backoff_seconds: float = DEFAULT_BACKOFF_SECONDS,
) -> list[ChannelOutcome]:
    """Send the publication of `memo_id` on its pending social channels (what the flow does)."""
    return _post(memo_id, (PENDING,), engine, attempts, backoff_seconds)


def retry_failed_channels(
    memo_id: int,
    *,
    actor: str,
    engine: Engine | None = None,
    attempts: int = DEFAULT_ATTEMPTS,
    backoff_seconds: float = DEFAULT_BACKOFF_SECONDS,
) -> list[ChannelOutcome]:
    """Send again on every channel that failed (or was never sent), for the officer; audited."""
    outcomes = _post(memo_id, UNSENT, engine, attempts, backoff_seconds)
    if outcomes:
        with session_scope(engine) as session:
            audit.append(
                session,
                actor=actor,
                action="publication.retried",
                subject=f"memo:{memo_id}",
                data={o.channel: o.status for o in outcomes},
            )
    return outcomes


def _post(
    memo_id: int, statuses: Sequence[str], engine: Engine | None, attempts: int, backoff_seconds: float
) -> list[ChannelOutcome]:
    with session_scope(engine) as session:
        plan = _plan(session, memo_id, statuses)
    sendable = [p.channel for p in plan.planned if p.channel is not None]
    results = iter(send(plan.message, sendable, attempts=attempts, backoff_seconds=backoff_seconds))
    outcomes = [(p, next(results) if p.channel is not None else None) for p in plan.planned]
    with session_scope(engine) as session:
        return [_record(session, plan, planned, result) for planned, result in outcomes]


def _plan(session: Session, memo_id: int, statuses: Sequence[str]) -> _Plan:
    """What to send, claimed: the rows turn "sending" in this transaction, so that a second
    sender (the flow and an officer's retry, a double click, a replacement run) finds nothing."""
    publication = session.exec(select(Publication).where(Publication.memo_id == memo_id)).first()
    if publication is None:
        raise BadInput(f"บันทึกเลขที่ {thai_digits(memo_id)} ยังไม่ได้เผยแพร่ (memo {memo_id} is not published)")
    memo = memo_for_update(session, memo_id)  # serialises claims on PostgreSQL as SQLite's lock does
    org = session.get(Organisation, memo.organisation_id)
    configured = {
        c.name: c
        for c in session.exec(
            select(NotificationChannel).where(NotificationChannel.organisation_id == org.id, NotificationChannel.active)
        )
    }
    just_given_up = _settle_interrupted(session, publication.id, configured)  # shown first, sent on the next retry
    rows = [
        row
        for row in session.exec(
            select(PublicationChannel)
            .where(
                PublicationChannel.publication_id == publication.id,
                col(PublicationChannel.status).in_(statuses),
                col(PublicationChannel.channel).not_in(RESERVED_NAMES),
            )
            .order_by(PublicationChannel.channel)
        )
        if row.id not in just_given_up
    ]
    for row in rows:
        row.status, row.sending_since = SENDING, utcnow()
    planned = [_Planned(row.id, _channel(configured.get(row.channel), idempotency_key(org, row))) for row in rows]
    return _Plan(org.id, publication_message(session, org, memo, publication), planned)


def _settle_interrupted(session: Session, publication_id: int, configured: dict[str, NotificationChannel]) -> set[int]:
    """Rows a dead sender left "sending": a webhook's go back to pending (sent again with the
    same key); any other turns failed for the officer (see the module's docstring). The ids of
    the rows given up, which this round must not send."""
    now, given_up = utcnow(), set[int]()
    for row in session.exec(
        select(PublicationChannel).where(
            PublicationChannel.publication_id == publication_id,
            PublicationChannel.status == SENDING,
            col(PublicationChannel.sending_since) < now - resend_after(),
        )
    ):
        config = configured.get(row.channel)
        if config is not None and is_idempotent(config.url):
            row.status, row.sending_since = PENDING, None
        elif row.sending_since is not None and row.sending_since < now - INTERRUPTED_AFTER:
            row.status, row.last_error, row.sending_since = FAILED, INTERRUPTED, None
            given_up.add(row.id)
    return given_up


def resend_after() -> dt.timedelta:
    return dt.timedelta(seconds=get_settings().webhook_resend_seconds)


def in_flight(memo_id: int, *, engine: Engine | None = None) -> bool:
    with session_scope(engine) as session:
        return webhook_in_flight(session, memo_id)


def webhook_in_flight(session: Session, memo_id: int) -> bool:
    """Whether a webhook row of the memo's publication is claimed by a sender that may be dead:
    the flow waits for it to be posted or for its claim to expire, then sends it again."""
    claimed = session.exec(
        select(PublicationChannel.channel)
        .join(Publication)
        .where(Publication.memo_id == memo_id, PublicationChannel.status == SENDING)
    ).all()
    if not claimed:
        return False
    org_id = session.get(Memo, memo_id).organisation_id
    return any(
        is_idempotent(config.url)
        for config in session.exec(
            select(NotificationChannel).where(
                NotificationChannel.organisation_id == org_id,
                NotificationChannel.active,
                col(NotificationChannel.name).in_(claimed),
            )
        )
    )


def is_idempotent(url: str) -> bool:
    return url.split("://", 1)[0].lower() in IDEMPOTENT_SCHEMES


def idempotency_key(org: Organisation, row: PublicationChannel) -> str:
    """The same on every try of this publication on this channel, and nowhere else; ASCII, as
    a header must be (a channel's name is often Thai, so the row's id stands for it)."""
    return f"saraban-{quote(org.code, safe='')}-publication-{row.publication_id}-channel-{row.id}"


def _channel(config: NotificationChannel | None, key: str) -> Channel | None:
    if config is None:
        return None
    url = config.url
    if is_idempotent(url):  # Apprise sends a "+Name=value" query parameter as a request header
        url += ("&" if "?" in url else "?") + urlencode({f"+{IDEMPOTENCY_HEADER}": key})
    return Channel(config.name, url, config.recipient_username)


def publication_message(session: Session, org: Organisation, memo: Memo, publication: Publication) -> Notification:
    """The post: the announcement's title as printed (not the memo's "ขออนุมัติประกาศ..."), its
    date and a link to its page on the public site. An order, a circular or a report
    (models.document_kinds) by its own title, and an order's or a circular's own number."""
    subject = published_reading(session, org, memo, publication).subject
    link = f"{public_page_link(org)}/{publication.id}"
    announcement = publication.document_kind == "announcement"
    body = "\n".join(
        [
            org.name,
            f"เรื่อง {subject}",
            f"ที่ {publication.document_number or memo.register_number}",
            f"{'ประกาศ ณ วันที่' if announcement else 'ลงวันที่'} {thai_date_full(publication.announcement_date)}",
            f"{'ดูประกาศ' if announcement else 'ดูเอกสาร'}และไฟล์ที่ลงนามแล้ว: {link}",
        ]
    )
    title = announcement_title(org.name, subject) if announcement else publication.announcement_title or subject
    return Notification(title=title, body=body)


def _record(session: Session, plan: _Plan, planned: _Planned, result: DeliveryResult | None) -> ChannelOutcome:
    row = session.get(PublicationChannel, planned.row_id)
    if result is None:
        outcome = ChannelOutcome(row.channel, FAILED, 0, NOT_CONFIGURED)
    else:
        error = "" if result.ok else scrub_secrets(result.error or "delivery failed", planned.channel.url)
        outcome = ChannelOutcome(row.channel, POSTED if result.ok else FAILED, result.attempts, error)
    row.status, row.last_error, row.sending_since = outcome.status, outcome.error, None
    row.attempts += outcome.attempts
    if outcome.status == POSTED:
        row.posted_at = utcnow()
    recipient = planned.channel.recipient if planned.channel else None
    session.add(
        NotificationLog(
            organisation_id=plan.organisation_id,
            channel=row.channel,
            recipient=recipient or "",
            title=plan.message.title,
            ok=outcome.status == POSTED,
            attempts=outcome.attempts,
            error=outcome.error,
        )
    )
    return outcome
