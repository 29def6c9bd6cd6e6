"""The notice sender: tells whoever may act now that a memo has reached them, at once.

Two steps, each safe to run in several processes at once (rows are claimed with
SKIP LOCKED, and a notice is unique per memo wait, person and channel):

1. `resolve_arrivals` reads the outbox (services.outbox.work_arrivals). For a memo still at the wait
   the arrival names, it asks the queue's own rule (services.memo_life.queue.may_act_now) of every active
   person of the organisation, and makes one notice per person who may act, wants immediate
   notices (models.notification.NotificationPreference) and has a personal channel. A memo that
   has already moved on makes no notice: that work is no longer waiting.
2. `send_due` sends each pending notice once on its channel (services.notices.notify), logs the try in
   `notificationlog`, and on failure tries again later with a growing back-off, up to
   MAX_ATTEMPTS. A notice whose memo moved on before it could be sent is dropped as moot.

A sender that dies between sending and recording may send that one notice again once its claim
expires (CLAIM_SECONDS): there is no way to send and record in one step.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Engine, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from documents.thai_format import thai_date_short, to_thai_digits
from models import (
    Memo,
    NotificationLog,
    NotificationPreference,
    Person,
    WorkArrival,
    WorkNotice,
    audit,
)
from models.clock import office_date, utcnow
from models.db import session_scope
from models.notification import DEFAULT_NOTIFY_MODE, NOTIFY_MODES
from models.settings import get_settings
from services.errors import BadInput
from services.memo_life.queue import QueueItem, may_act_now
from services.notices.channels import claim_rows, personal_channels
from services.notices.notify import Channel, Notification, send
from services.notices.security_sender import send_security_notices
from services.outbox.work_arrivals import wait_key

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # 30 s, 1, 2, 4, 8, 16, 32 min apart: about an hour of trying
FIRST_BACKOFF = dt.timedelta(seconds=30)
IMMEDIATE_MODES = ("immediate", "both")
DIGEST_MODES = ("digest", "both")


def notify_mode(session: Session, person_id: int) -> str:
    mode = session.exec(
        select(NotificationPreference.mode).where(NotificationPreference.person_id == person_id)
    ).first()
    return mode or DEFAULT_NOTIFY_MODE


MODE_LABELS = {
    "both": "ทันทีเมื่อมีเรื่องมาถึง และสรุปประจำวัน",
    "immediate": "ทันทีเมื่อมีเรื่องมาถึงเท่านั้น",
    "digest": "สรุปประจำวันเท่านั้น (วันทำการ ๐๘.๐๐ น.)",
}


def choose_notify_mode(session: Session, person: Person, mode: str, *, via: str) -> None:
    """The person's own choice, audited (what changed, never a channel's address)."""
    if mode not in NOTIFY_MODES:
        raise BadInput(f"เลือกได้เฉพาะ {', '.join(NOTIFY_MODES)} (choose one of: {', '.join(NOTIFY_MODES)})")
    before = notify_mode(session, person.id)
    set_notify_mode(session, person.id, mode)
    audit.append(
        session,
        actor=person.username,
        action="account.notify_mode",
        subject=f"person:{person.id}",
        data={"from": before, "to": mode, "via": via},
    )


def set_notify_mode(session: Session, person_id: int, mode: str) -> None:
    row = session.exec(select(NotificationPreference).where(NotificationPreference.person_id == person_id)).first()
    row = row or NotificationPreference(person_id=person_id)
    row.mode, row.updated_at = mode, utcnow()
    session.add(row)


def memo_link(memo_id: int, base_url: str | None = None) -> str:
    """The memo's page, from SARABAN_PUBLIC_BASE_URL (never a request's Host header)."""
    base = get_settings().public_base_url if base_url is None else base_url
    return f"{base.rstrip('/')}/memos/{memo_id}"


def arrival_message(person: Person, memo: Memo, item: QueueItem, link: str) -> Notification:
    lines = [
        f"เรียน {person.full_name}",
        "",
        f"มีเรื่องมาถึงท่าน: {memo.register_number} เรื่อง {memo.subject}",
        f"รอให้ท่าน: {thai_only(item.waiting_for)}",
    ]
    if item.capacity not in ("self", "escalated"):
        lines.append(f"ในฐานะ: {item.capacity}")
    if memo.due_at is not None:
        lines.append(f"กำหนด: {thai_date_short(office_date(memo.due_at))}")
    lines += ["", f"เปิดบันทึก: {link}", "", "ระบบสารบรรณ (แจ้งเตือนอัตโนมัติ)"]
    return Notification(title=_short(f"เรื่องมาถึงท่าน: {memo.register_number} {memo.subject}"), body="\n".join(lines))


def thai_only(text: str) -> str:
    """The queue's words without their English gloss, Thai digits throughout (as the office writes)."""
    return to_thai_digits(text.split(" (", 1)[0])


TITLE_CHARS = 60


def _short(title: str) -> str:
    """Apprise writes an email's subject as one quoted-printable line, 9 bytes per Thai letter,
    unfolded: past about 105 letters the line breaks SMTP's 1,000-byte limit and the mail is
    refused ("Line too long"). The full subject is in the body."""
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


# --- 1. arrivals -> notices ----------------------------------------------------------------------


def resolve_arrivals(*, engine: Engine | None = None, base_url: str | None = None, limit: int = 100) -> int:
    """Turn pending arrivals into notices; the number of notices made."""
    now = utcnow()
    with session_scope(engine) as session:
        arrivals = claim_rows(
            session,
            WorkArrival,
            select(WorkArrival.id)
            .where(
                WorkArrival.resolved_at.is_(None),
                or_(WorkArrival.claimed_until.is_(None), col(WorkArrival.claimed_until) < now),
            )
            .limit(limit),
            now,
        )
        made = sum(_resolve(session, arrival, base_url) for arrival in arrivals)
        for arrival in arrivals:
            arrival.resolved_at, arrival.claimed_until = now, None
    return made


def _resolve(session: Session, arrival: WorkArrival, base_url: str | None) -> int:
    memo = session.get(Memo, arrival.memo_id)
    if wait_key(memo) != arrival.wait_key:
        return 0  # it moved on before anyone could be told
    made = 0
    people = session.exec(
        select(Person).where(Person.organisation_id == memo.organisation_id, Person.active).order_by(Person.id)
    ).all()
    for person in people:
        if notify_mode(session, person.id) not in IMMEDIATE_MODES:
            continue
        item = may_act_now(session, person, memo)
        if item is None:
            continue
        message = arrival_message(person, memo, item, memo_link(memo.id, base_url))
        for channel in personal_channels(session, person):
            made += _add_notice(session, memo, arrival.wait_key, person, channel.name, message)
    return made


def _add_notice(session: Session, memo: Memo, key: str, person: Person, channel: str, message: Notification) -> int:
    exists = session.exec(
        select(WorkNotice.id).where(
            WorkNotice.memo_id == memo.id,
            WorkNotice.wait_key == key,
            WorkNotice.person_id == person.id,
            WorkNotice.channel == channel,
        )
    ).first()
    if exists is not None:
        return 0  # told already of this wait (an escalation of the same step, say)
    try:
        with session.begin_nested():  # another sender making the same notice at once: keep theirs
            session.add(
                WorkNotice(
                    organisation_id=memo.organisation_id,
                    memo_id=memo.id,
                    wait_key=key,
                    person_id=person.id,
                    channel=channel,
                    title=message.title,
                    body=message.body,
                )
            )
    except IntegrityError:
        return 0
    return 1


# --- 2. notices -> channels ----------------------------------------------------------------------


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int  # tried and failed this time (to be tried again, or given up)
    moot: int


def send_due(
    *,
    engine: Engine | None = None,
    first_backoff: dt.timedelta = FIRST_BACKOFF,
    max_attempts: int = MAX_ATTEMPTS,
    limit: int = 50,
) -> SendReport:
    now = utcnow()
    with session_scope(engine) as session:
        notices = claim_rows(
            session,
            WorkNotice,
            select(WorkNotice.id)
            .where(
                WorkNotice.state == "pending",
                col(WorkNotice.next_attempt_at) <= now,
                or_(WorkNotice.claimed_until.is_(None), col(WorkNotice.claimed_until) < now),
            )
            .limit(limit),
            now,
        )
        jobs = [_job(session, notice) for notice in notices]
    outcomes: Counter[str] = Counter()
    for notice_id, message, channel in jobs:
        error = None  # nothing sent: the memo moved on, or the channel is gone
        if channel is not None:
            [result] = send(message, [channel], attempts=1)  # the retries are ours, spaced out, recorded
            error = "" if result.ok else (result.error or "not delivered")
        outcomes[_record(notice_id, error, engine, first_backoff, max_attempts)] += 1
    return SendReport(outcomes["sent"], outcomes["retry"] + outcomes["failed"], outcomes["moot"])


def _job(session: Session, notice: WorkNotice) -> tuple[int | None, Notification, Channel | None]:
    memo = session.get(Memo, notice.memo_id)
    person = session.get(Person, notice.person_id)
    if wait_key(memo) != notice.wait_key or not person.active:
        return notice.id, Notification(notice.title, notice.body), None
    # Still this person's own channel: one an admin pointed at someone else since is not used.
    row = next((c for c in personal_channels(session, person) if c.name == notice.channel), None)
    channel = Channel(name=row.name, url=row.url, recipient=person.username) if row else None
    if row is None:
        notice.last_error = (
            "ช่องทางนี้ถูกลบ ปิด หรือไม่ใช่ของผู้รับแล้ว (the channel was removed, turned off, or is no longer the recipient's)"
        )
    return notice.id, Notification(notice.title, notice.body), channel


def _record(
    notice_id: int, error: str | None, engine: Engine | None, first_backoff: dt.timedelta, max_attempts: int
) -> str:
    """error None: nothing was sent (moot or no channel); "" sent; else the failure."""
    now = utcnow()
    with session_scope(engine) as session:
        notice = session.get(WorkNotice, notice_id)
        notice.claimed_until = None
        if error is None:
            notice.state = "failed" if notice.last_error else "moot"
            return notice.state
        notice.attempts += 1
        session.add(
            NotificationLog(
                organisation_id=notice.organisation_id,
                channel=notice.channel,
                recipient=session.get(Person, notice.person_id).username,
                title=notice.title,
                ok=not error,
                attempts=notice.attempts,
                error=error,
            )
        )
        if not error:
            notice.state, notice.sent_at, notice.last_error = "sent", now, ""
            return "sent"
        notice.last_error = error[:500]
        if notice.attempts >= max_attempts:
            notice.state = "failed"
            log.error("work notice %d given up after %d attempts: %s", notice_id, notice.attempts, error)
            return "failed"
        notice.next_attempt_at = now + first_backoff * 2 ** (notice.attempts - 1)
        return "retry"


# --- the loop `saraban serve` and `saraban notify-send` run ----------------------------------------


def run_once(*, engine: Engine | None = None, first_backoff: dt.timedelta = FIRST_BACKOFF) -> SendReport:
    made = resolve_arrivals(engine=engine)
    report = send_due(engine=engine, first_backoff=first_backoff)
    send_security_notices(engine=engine, first_backoff=first_backoff)
    if made or report.sent or report.failed:
        log.info("work notices: %d made, %d sent, %d failed, %d moot", made, report.sent, report.failed, report.moot)
    return report


def run_forever(
    stop: threading.Event,
    *,
    engine: Engine | None = None,
    interval: float = 1.0,
    first_backoff: dt.timedelta = FIRST_BACKOFF,
) -> None:
    """Until `stop` is set: a round every `interval` seconds. An error is logged, never fatal."""
    while not stop.is_set():
        try:
            run_once(engine=engine, first_backoff=first_backoff)
        except Exception:  # noqa: BLE001 - the database away for a moment must not end the sender
            log.exception("work notice round failed; trying again")
        stop.wait(interval)
