"""Linking a person's LINE to Saraban through the office's LINE Official Account.

LINE's Messaging API can push only to a user ID, which nobody knows. So the person asks for a
one-time code on /account and sends it, as a chat message, to the office's LINE account. LINE
posts that message to Saraban's webhook (POST /line/webhook/{org code}) with the header
x-line-signature = base64(HMAC-SHA256(channel secret, raw body)); only a body signed with this
office's channel secret is read. A "message" event whose text is a live code of this office
links the event's source.userId to the person who asked for the code, as a confirmed channel
saraban-line://ORG/USERID (sending the code from that LINE proves it is theirs), tells the person
on all their channels (services.accounts.security_notices), and answers in the chat.

A code is single-use, lives LINK_MINUTES, and is bound to its office (services.notices.codes):
another office's code, sent here, matches nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass

from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from models import NotificationChannel, NotificationCode, Organisation, Person, audit
from models.clock import utcnow
from models.db import read_scope, session_scope
from services.errors import BadInput
from services.notices import line_push
from services.notices.codes import code_hash, looks_like_code, new_code
from services.notices.own_channels import told_of_new_channel

log = logging.getLogger(__name__)

LINK = "line-link"
LINK_MINUTES = 15
NOT_SET_UP = (
    "หน่วยงานยังไม่ได้ตั้งค่าบัญชี LINE Official Account กรุณาแจ้งผู้ดูแลระบบ (หน้า ผู้ดูแลระบบ > การแจ้งเตือน) "
    "(the office's LINE Official Account is not set up yet: ask your administrator, Admin > Notifications)"
)
LINKED_REPLY = "เชื่อม LINE นี้กับบัญชีของ {name} ในระบบสารบรรณแล้ว ท่านจะได้รับแจ้งเตือนทางนี้"
WRONG_REPLY = 'รหัสไม่ถูกต้อง หมดอายุ หรือใช้ไปแล้ว กรุณาขอรหัสใหม่ที่หน้า "บัญชีของฉัน" ในระบบสารบรรณ'


class BadSignature(Exception):
    """The webhook body is not signed with this office's channel secret (or no such office)."""


@dataclass(frozen=True)
class LinkCode:
    code: str
    basic_id: str  # the office's LINE account to send it to (@xxxx), "" if the admin gave none
    expires_at: dt.datetime


@dataclass(frozen=True)
class Reply:
    reply_token: str
    text: str


def request_link_code(*, person_id: int, engine: Engine | None = None) -> LinkCode:
    """A new code for the person (their earlier unused ones void), audited (never the code)."""
    with session_scope(engine) as session:
        person = session.get(Person, person_id)
        office = line_push.line_account_row(session, person.organisation_id)
        if office is None or not office.channel_secret_sealed or not office.access_token_sealed:
            raise BadInput(NOT_SET_UP)
        session.exec(
            delete(NotificationCode).where(
                col(NotificationCode.person_id) == person_id,
                col(NotificationCode.purpose) == LINK,
                col(NotificationCode.used_at).is_(None),
            )
        )
        code, expires = new_code(), utcnow() + dt.timedelta(minutes=LINK_MINUTES)
        session.add(
            NotificationCode(
                organisation_id=person.organisation_id,
                person_id=person_id,
                purpose=LINK,
                code_hash=code_hash(code, purpose=LINK, organisation_id=person.organisation_id),
                expires_at=expires,
            )
        )
        audit.append(
            session,
            actor=person.username,
            action="account.line_code_requested",
            subject=f"person:{person_id}",
            data={"via": "web"},
        )
        return LinkCode(code, office.basic_id, expires)


def signature_of(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def handle_webhook(org_code: str, body: bytes, signature: str, *, engine: Engine | None = None) -> list[Reply]:
    """Check the signature, link every valid code the body carries: the chat answers to send.
    BadSignature when the office has no LINE account or the body is not signed by it."""
    with read_scope(engine) as session:
        org = session.exec(select(Organisation).where(Organisation.code == org_code)).first()
        office = line_push.office_line(session, org.id) if org else None
    if office is None or not hmac.compare_digest(signature_of(office.channel_secret, body), signature.strip()):
        raise BadSignature
    try:
        events = json.loads(body).get("events", [])
    except (ValueError, AttributeError):
        return []  # signed by LINE yet not JSON: nothing Saraban can act on
    replies = []
    for event in events if isinstance(events, list) else []:
        reply = _event(org, event, engine)
        if reply is not None:
            replies.append(reply)
    return replies


def _event(org: Organisation, event: object, engine: Engine | None) -> Reply | None:
    if not isinstance(event, dict) or event.get("type") != "message":
        return None  # follows, unfollows, stickers...: nothing to do
    message, source = event.get("message") or {}, event.get("source") or {}
    text, user_id, token = message.get("text"), source.get("userId"), event.get("replyToken") or ""
    if message.get("type") != "text" or not isinstance(text, str) or not isinstance(user_id, str) or not user_id:
        return None
    if not looks_like_code(text):
        return None  # a chat with the office's account, not a code: left to the office
    with session_scope(engine) as session:
        name = _link(session, org, text, user_id)
    return Reply(token, LINKED_REPLY.format(name=name) if name else WRONG_REPLY) if token else None


def _link(session: Session, org: Organisation, text: str, user_id: str) -> str | None:
    """The linked person's name, or None when the code matches no live code of this office."""
    now = utcnow()
    code = session.exec(
        select(NotificationCode).where(
            NotificationCode.organisation_id == org.id,
            NotificationCode.purpose == LINK,
            NotificationCode.code_hash == code_hash(text, purpose=LINK, organisation_id=org.id),
            col(NotificationCode.used_at).is_(None),
        )
    ).first()
    if code is None or code.expires_at <= now:
        log.info("LINE webhook of %s: a code that is wrong, used or expired", org.code)
        return None
    person = session.get(Person, code.person_id)
    if not person.active:
        return None
    code.used_at = now
    url = line_push.person_url(org.code, user_id)
    row = session.exec(
        select(NotificationChannel).where(
            NotificationChannel.organisation_id == org.id,
            NotificationChannel.recipient_username == person.username,
            NotificationChannel.url == url,
        )
    ).first()
    if row is None:
        row = NotificationChannel(
            organisation_id=org.id,
            name=f"{person.username}:line:{user_id[-6:]}",
            url=url,
            recipient_username=person.username,
            purpose="work",
            origin="self",
            added_at=now,
        )
    row.confirmed, row.active = True, True
    session.add(row)
    session.flush()
    where = line_push.redacted(url)
    audit.append(
        session,
        actor=person.username,
        action="account.line_linked",
        subject=f"person:{person.id}",
        data={"channel": row.id, "where": where, "via": "line"},
    )
    told_of_new_channel(session, person, "LINE", where)
    return person.full_name


def send_replies(org_code: str, replies: list[Reply]) -> None:
    """After the webhook has answered LINE (it wants an answer at once): the chat answers."""
    with read_scope() as session:
        org = session.exec(select(Organisation).where(Organisation.code == org_code)).first()
        office = line_push.office_line(session, org.id) if org else None
    for answer in replies if office else []:
        error = line_push.reply(office, answer.reply_token, answer.text)
        if error:
            log.warning("LINE reply for %s not sent: %s", org_code, error)
