"""A person's own notification channels, set up by the person on /account.

Adding one sends a test message holding a one-time code at once; the channel is written only
when that message went out, and carries nothing until the person types the code back
(`confirm`): an address mistyped, or someone else's, gets that one test and nothing more. A
channel can be tested again (a confirmed one gets a plain test; an unconfirmed one a new code)
and removed at once. Its URL is never shown back in clear nor put in the audit log: only its
kind and its redacted form (services.notices.notify.Channel.redacted_url).

E-mail goes through the office's mail server (SARABAN_MAIL_URL, services.notices.notify); LINE is
linked through the office's LINE account (services.notices.line_link); Telegram and webhooks are
Apprise URLs the person pastes.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from models import NotificationChannel, NotificationCode, Person, audit
from models.clock import utcnow
from models.db import read_scope, session_scope
from models.notification import PERSONAL_PURPOSES
from services.accounts.security_notices import tell_person
from services.errors import BadInput
from services.notices import line_push
from services.notices.codes import code_hash, new_code, normalised
from services.notices.notify import MAIL_SCHEME, Channel, Notification, channel_problem, office_mail_url, send
from services.notices.scrub import scrub_secrets
from services.public_hosts import may_fetch

CODE_MINUTES = 30  # an e-mail can take a while to arrive
MAX_TRIES = 5  # wrong codes typed against one channel's code before it is void (a new test sends another)
MAX_OWN = 10
CONFIRM = "confirm"
KINDS = {"email": "อีเมล", "line": "LINE", "telegram": "Telegram", "webhook": "Webhook"}
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


@dataclass(frozen=True)
class OwnChannel:
    """One of a person's channels as their account page shows it: never the URL itself."""

    id: int
    kind: str  # a KINDS label
    where: str  # the redacted URL
    confirmed: bool
    mine: bool  # added by the person (else configured for them by the organisation)


def kind_of(url: str) -> str:
    scheme = url.split("://", 1)[0].lower()
    if scheme in (MAIL_SCHEME, "mailto", "mailtos"):
        return KINDS["email"]
    if scheme in (line_push.SCHEME, "line"):
        return KINDS["line"]
    if scheme == "tgram":
        return KINDS["telegram"]
    if scheme in ("json", "jsons", "form", "forms", "xml", "xmls"):
        return KINDS["webhook"]
    return scheme


def shown(url: str) -> str:
    """What the person (and the audit log) may see of a URL: a webhook's path is often its secret,
    so only its scheme and host; Apprise masks the rest (a Telegram bot's token, a password)."""
    if kind_of(url) == KINDS["webhook"]:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}/…"
    return Channel("shown", url).redacted_url()


def own_channels(session: Session, person: Person) -> list[OwnChannel]:
    rows = session.exec(
        select(NotificationChannel)
        .where(
            NotificationChannel.organisation_id == person.organisation_id,
            NotificationChannel.active,
            NotificationChannel.recipient_username == person.username,
            col(NotificationChannel.purpose).in_(PERSONAL_PURPOSES),
        )
        .order_by(NotificationChannel.id)
    ).all()
    return [OwnChannel(r.id, kind_of(r.url), shown(r.url), r.confirmed, r.origin == "self") for r in rows]


def channel_url(kind: str, address: str) -> str:
    """The stored URL for what the person typed, or BadInput saying what to fix."""
    address = address.strip()
    if kind == "email":
        if not _EMAIL.fullmatch(address):
            raise BadInput(
                "พิมพ์อีเมลในรูปแบบ name@example.go.th (type the e-mail address as name@example.go.th)", field="address"
            )
        if office_mail_url(address) is None:
            raise BadInput(
                "เครื่องนี้ยังไม่ได้ตั้งเซิร์ฟเวอร์ส่งอีเมลของหน่วยงาน กรุณาแจ้งผู้ดูแลเซิร์ฟเวอร์ให้ตั้ง SARABAN_MAIL_URL "
                "หรือใช้ LINE แทน (this server has no outgoing mail server yet: ask its operator to set "
                "SARABAN_MAIL_URL, or link LINE instead)",
                field="address",
            )
        return f"{MAIL_SCHEME}://{address}"
    if kind == "telegram":
        if not address.startswith("tgram://") or channel_problem(Channel("t", address)):
            raise BadInput(
                "วางที่อยู่ Telegram ในรูปแบบ tgram://โทเค็นบอท/เลขแชต (paste the Telegram address as "
                "tgram://bot_token/chat_id)",
                field="address",
            )
        return address
    if kind == "webhook":
        url = re.sub(r"^http(s?)://", r"json\1://", address)
        if not url.startswith(("json://", "jsons://")) or channel_problem(Channel("w", url)):
            raise BadInput(
                "พิมพ์ที่อยู่ webhook ที่ขึ้นต้นด้วย https:// (type the webhook's address, beginning with https://)",
                field="address",
            )
        if not may_fetch(urlsplit(address).hostname or ""):
            raise BadInput(
                "ที่อยู่ webhook ต้องเป็นเครื่องที่เข้าถึงได้จากอินเทอร์เน็ต ไม่ใช่เครื่องในเครือข่ายภายในของหน่วยงาน "
                "(the webhook must be a public address, not a machine inside this network: Saraban does not "
                "post to its own network on a person's request)",
                field="address",
            )
        return url
    if kind == "line":
        raise BadInput(
            'LINE เชื่อมด้วยรหัสที่ส่งไปยังบัญชี LINE ของหน่วยงาน: กดปุ่ม "ขอรหัสเชื่อม LINE" '
            '(LINE is linked with a code you send to the office\'s LINE account: use "get a LINE code")',
            field="kind",
        )
    raise BadInput("เลือกชนิดช่องทาง: อีเมล Telegram หรือ webhook (choose e-mail, Telegram or webhook)", field="kind")


def _test_message(full_name: str, code: str | None) -> Notification:
    lines = [f"เรียน {full_name}", ""]
    if code:
        lines += [
            f"รหัสยืนยันช่องทางแจ้งเตือนของท่านคือ {code}",
            'กรุณาพิมพ์รหัสนี้ที่หน้า "บัญชีของฉัน" ในระบบสารบรรณภายใน ๓๐ นาที ช่องทางนี้จึงจะเริ่มใช้',
            "หากท่านไม่ได้เพิ่มช่องทางนี้ ไม่ต้องทำอะไร ช่องทางนี้จะไม่ได้รับแจ้งเตือนใด ๆ",
        ]
    else:
        lines += ["ข้อความทดสอบ: ช่องทางแจ้งเตือนนี้ใช้งานได้"]
    lines += ["", "ระบบสารบรรณ (แจ้งเตือนอัตโนมัติ)"]
    title = f"รหัสยืนยันช่องทางแจ้งเตือน {code}" if code else "ทดสอบช่องทางแจ้งเตือน"
    return Notification(title=title, body="\n".join(lines))


def _deliver(channel: Channel, message: Notification) -> None:
    [result] = send(message, [channel], attempts=1)
    if not result.ok:
        reason = scrub_secrets(result.error or "not delivered", channel.url)
        raise BadInput(
            f"ส่งข้อความทดสอบไม่สำเร็จ จึงยังไม่ได้บันทึกช่องทางนี้ กรุณาตรวจที่อยู่แล้วลองใหม่ "
            f"(the test message could not be sent, so nothing was saved: check the address and try again): {reason}",
            field="address",
        )


def add_channel(*, person_id: int, kind: str, address: str, engine: Engine | None = None) -> int:
    """Send the test message with its code, then keep the channel unconfirmed: its id."""
    url = channel_url(kind, address)
    with read_scope(engine) as session:
        person = session.get(Person, person_id)
        username, org_id, full_name = person.username, person.organisation_id, person.full_name
        mine = session.exec(
            select(NotificationChannel.url).where(
                NotificationChannel.organisation_id == org_id, NotificationChannel.recipient_username == username
            )
        ).all()
    if url in mine:
        raise BadInput("ท่านมีช่องทางนี้อยู่แล้ว (you already have this channel)", field="address")
    if len(mine) >= MAX_OWN:
        raise BadInput(f"มีช่องทางได้ไม่เกิน {MAX_OWN} ช่องทาง (at most {MAX_OWN} channels)", field="kind")
    name = f"{username}:{kind}:{secrets.token_hex(3)}"
    code = new_code()
    _deliver(Channel(name, url, recipient=username), _test_message(full_name, code))
    with session_scope(engine) as session:
        row = NotificationChannel(
            organisation_id=org_id,
            name=name,
            url=url,
            recipient_username=username,
            purpose="work",  # a person's own: never a publication's channel
            confirmed=False,
            origin="self",
            added_at=utcnow(),
        )
        session.add(row)
        session.flush()
        assert row.id is not None  # given by the flush
        _new_code(session, org_id, person_id, row.id, code)
        audit.append(
            session,
            actor=username,
            action="account.channel_added",
            subject=f"person:{person_id}",
            data={"channel": row.id, "kind": kind, "where": shown(url), "via": "web"},
        )
        return row.id


def _new_code(session: Session, org_id: int, person_id: int, channel_id: int, code: str) -> None:
    # One live code per channel: a new test voids the last one.
    session.exec(delete(NotificationCode).where(col(NotificationCode.channel_id) == channel_id))
    session.add(
        NotificationCode(
            organisation_id=org_id,
            person_id=person_id,
            purpose=CONFIRM,
            channel_id=channel_id,
            code_hash=code_hash(code, purpose=CONFIRM, organisation_id=org_id),
            expires_at=utcnow() + dt.timedelta(minutes=CODE_MINUTES),
        )
    )


def _own_row(session: Session, person: Person, channel_id: int) -> NotificationChannel:
    row = session.get(NotificationChannel, channel_id)
    if row is None or row.organisation_id != person.organisation_id or row.recipient_username != person.username:
        raise BadInput("ไม่พบช่องทางนี้ในบัญชีของท่าน (no such channel of yours)")
    return row


def send_test(*, person_id: int, channel_id: int, engine: Engine | None = None) -> bool:
    """Send a test now: a plain one to a confirmed channel, a new code to an unconfirmed one.
    True when a new code was sent."""
    with read_scope(engine) as session:
        person = session.get(Person, person_id)
        row = _own_row(session, person, channel_id)
        channel = Channel(row.name, row.url, recipient=person.username)
        confirmed, full_name, org_id, username = (
            row.confirmed,
            person.full_name,
            person.organisation_id,
            person.username,
        )
    code = None if confirmed else new_code()
    _deliver(channel, _test_message(full_name, code))
    with session_scope(engine) as session:
        if code is not None:
            _new_code(session, org_id, person_id, channel_id, code)
        audit.append(
            session,
            actor=username,
            action="account.channel_tested",
            subject=f"person:{person_id}",
            data={"channel": channel_id, "new_code": code is not None, "via": "web"},
        )
    return code is not None


WRONG_CODE = (
    'รหัสไม่ถูกต้อง หมดอายุ หรือใช้ไปแล้ว กรุณาตรวจรหัสในข้อความทดสอบล่าสุด หรือกด "ส่งข้อความทดสอบ" เพื่อรับรหัสใหม่ '
    "(wrong, expired or used code: check the latest test message, or send a new test for a new code)"
)


def confirm_channel(*, person_id: int, channel_id: int, typed: str, engine: Engine | None = None) -> None:
    """The code came back: the channel carries notices from now on. Wrong codes are counted
    (MAX_TRIES void the code) in a transaction of their own, so a refusal still counts."""
    now = utcnow()
    with session_scope(engine) as session:
        person = session.get(Person, person_id)
        row = _own_row(session, person, channel_id)
        if row.confirmed:
            return
        live = session.exec(
            select(NotificationCode).where(
                NotificationCode.channel_id == channel_id,
                NotificationCode.purpose == CONFIRM,
                col(NotificationCode.used_at).is_(None),
            )
        ).first()
        expected = code_hash(typed, purpose=CONFIRM, organisation_id=person.organisation_id)
        good = (
            live is not None
            and live.expires_at > now
            and live.tries < MAX_TRIES
            and secrets.compare_digest(live.code_hash, expected)
            and bool(normalised(typed))
        )
        if not good:
            if live is not None:
                live.tries += 1
            audit.append(
                session,
                actor=person.username,
                action="account.channel_confirm.refused",
                subject=f"person:{person_id}",
                data={"channel": channel_id, "via": "web"},
            )
    if not good:
        raise BadInput(WRONG_CODE, field="code")
    with session_scope(engine) as session:
        person = session.get(Person, person_id)
        row = _own_row(session, person, channel_id)
        row.confirmed = True
        session.exec(delete(NotificationCode).where(col(NotificationCode.channel_id) == channel_id))
        where = shown(row.url)
        audit.append(
            session,
            actor=person.username,
            action="account.channel_confirmed",
            subject=f"person:{person_id}",
            data={"channel": channel_id, "kind": kind_of(row.url), "where": where, "via": "web"},
        )
        told_of_new_channel(session, person, kind_of(row.url), where)


def told_of_new_channel(session: Session, person: Person, kind: str, where: str) -> None:
    """Told on every channel of theirs (the new one too): someone else who added it in their
    name, from a session left open, is seen at once."""
    tell_person(
        session,
        person,
        f"เพิ่มช่องทางแจ้งเตือน {kind} แล้ว",
        [
            f"ช่องทางแจ้งเตือน {kind} ({where}) เริ่มใช้กับบัญชีของท่านแล้ว",
            'หากท่านไม่ได้เพิ่มเอง กรุณาลบที่หน้า "บัญชีของฉัน" และเปลี่ยนรหัสผ่านทันที',
        ],
    )


def remove_channel(*, person_id: int, channel_id: int, engine: Engine | None = None) -> None:
    """Gone at once, its URL with it (a notice already made for it is dropped by the sender)."""
    with session_scope(engine) as session:
        person = session.get(Person, person_id)
        row = _own_row(session, person, channel_id)
        where, kind = shown(row.url), kind_of(row.url)
        session.exec(delete(NotificationCode).where(col(NotificationCode.channel_id) == channel_id))
        session.delete(row)
        audit.append(
            session,
            actor=person.username,
            action="account.channel_removed",
            subject=f"person:{person_id}",
            data={"channel": channel_id, "kind": kind, "where": where, "via": "web"},
        )
