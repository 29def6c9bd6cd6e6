"""The office's LINE Official Account: its sealed secrets, and the two Messaging API calls Saraban
makes through it (LINE Notify ended on 31 March 2025; the Messaging API needs each person's
LINE user ID, which services.notices.line_link learns from the code the person sends).

- push: POST {api}/v2/bot/message/push, `Authorization: Bearer <channel access token>`,
  {"to": userId, "messages": [{"type": "text", "text": ...}]};
- reply: POST {api}/v2/bot/message/reply, {"replyToken": ..., "messages": [...]}, answering the
  person's own message in the chat.

{api} is SARABAN_LINE_API_BASE (https://api.line.me). A person's LINE channel is the URL
saraban-line://ORG_CODE/USER_ID (services.notices.notify sends it here): it holds no secret, the
token is read from the organisation's sealed row at sending time.
"""

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from sqlmodel import Session, select

from models import LineAccount, Organisation, audit
from models.clock import utcnow
from models.db import read_scope
from models.sealed import CannotOpen, open_sealed, seal
from models.settings import get_settings
from services.errors import BadInput

log = logging.getLogger(__name__)

SCHEME = "saraban-line"
TIMEOUT_SECONDS = 10.0
MAX_TEXT = 5000  # LINE's limit for one text message


@dataclass(frozen=True)
class OfficeLine:
    organisation_id: int
    basic_id: str
    channel_secret: str = ""
    access_token: str = ""


def secret_context(organisation_id: int, what: str) -> str:
    return f"line-{what}:{organisation_id}"


def set_line_account(
    session: Session, org: Organisation, *, actor: str, basic_id: str, channel_secret: str, access_token: str
) -> None:
    """The administrator sets the office's account: the secret and token are sealed and never
    shown again (left empty, the stored ones are kept). Audited without them."""
    basic_id, channel_secret, access_token = basic_id.strip(), channel_secret.strip(), access_token.strip()
    row = line_account_row(session, org.id)
    if basic_id and not re.fullmatch(r"@?[A-Za-z0-9._-]{2,40}", basic_id):
        raise BadInput("LINE ID ของหน่วยงานเช่น @123abcde (the office's LINE ID, such as @123abcde)", field="basic_id")
    if channel_secret and not re.fullmatch(r"[0-9a-fA-F]{32}", channel_secret):
        raise BadInput(
            "Channel secret คือเลขฐานสิบหก ๓๒ ตัวจากแท็บ Basic settings ใน LINE Developers Console "
            "(the channel secret is the 32 hexadecimal characters on the Basic settings tab)",
            field="channel_secret",
        )
    if access_token and not re.fullmatch(r"[A-Za-z0-9+/=._-]{20,}", access_token):
        raise BadInput(
            "Channel access token คือข้อความยาวจากแท็บ Messaging API ใน LINE Developers Console "
            "(the long-lived channel access token from the Messaging API tab)",
            field="access_token",
        )
    if row is None and not (channel_secret and access_token):
        raise BadInput(
            "ครั้งแรกต้องใส่ทั้ง channel secret และ channel access token (the first time, give both the channel "
            "secret and the channel access token)",
            field="channel_secret" if not channel_secret else "access_token",
        )
    row = row or LineAccount(organisation_id=org.id, channel_secret_sealed="", access_token_sealed="", updated_by=actor)
    row.basic_id = basic_id if not basic_id or basic_id.startswith("@") else f"@{basic_id}"
    if channel_secret:
        row.channel_secret_sealed = seal(channel_secret, context=secret_context(org.id, "channel-secret"))
    if access_token:
        row.access_token_sealed = seal(access_token, context=secret_context(org.id, "access-token"))
    row.updated_by, row.updated_at = actor, utcnow()
    session.add(row)
    audit.append(
        session,
        actor=actor,
        action="admin.line_account_set",
        subject=f"organisation:{org.code}",
        data={"basic_id": row.basic_id, "secret_changed": bool(channel_secret), "token_changed": bool(access_token)},
    )


def line_account_row(session: Session, organisation_id: int) -> LineAccount | None:
    return session.exec(select(LineAccount).where(LineAccount.organisation_id == organisation_id)).first()


def office_line(session: Session, organisation_id: int) -> OfficeLine | None:
    """The office's account with its secrets opened; None when it has none (or only half)."""
    row = line_account_row(session, organisation_id)
    if row is None or not row.channel_secret_sealed or not row.access_token_sealed:
        return None
    return OfficeLine(
        organisation_id,
        row.basic_id,
        open_sealed(row.channel_secret_sealed, context=secret_context(organisation_id, "channel-secret")),
        open_sealed(row.access_token_sealed, context=secret_context(organisation_id, "access-token")),
    )


def person_url(org_code: str, user_id: str) -> str:
    return f"{SCHEME}://{org_code}/{user_id}"


def parse_url(url: str) -> tuple[str, str] | None:
    """(organisation code, LINE user ID) of a saraban-line:// URL, or None when it is not one."""
    parts = urlsplit(url)
    user_id = parts.path.strip("/")
    if parts.scheme != SCHEME or not parts.hostname or not user_id or "/" in user_id:
        return None
    return parts.netloc, user_id


def redacted(url: str) -> str:
    parsed = parse_url(url)
    if parsed is None:
        return f"{SCHEME}://…"
    org_code, user_id = parsed
    return f"LINE {user_id[:4]}…{user_id[-2:]} ({org_code})"


def push_url(url: str, title: str, body: str) -> str | None:
    """Push one notice to the person a saraban-line:// URL names: None when LINE took it, else why not."""
    parsed = parse_url(url)
    if parsed is None:
        return "not a saraban-line:// URL"
    org_code, user_id = parsed
    try:
        with read_scope() as session:
            org = session.exec(select(Organisation).where(Organisation.code == org_code)).first()
            office = office_line(session, org.id) if org else None
    except CannotOpen as error:
        return str(error)
    if office is None:
        return "ยังไม่ได้ตั้งค่าบัญชี LINE ของหน่วยงาน (the office's LINE account is not set up)"
    text = f"{title}\n\n{body}" if title else body
    return push(office, user_id, text)


def push(office: OfficeLine, user_id: str, text: str) -> str | None:
    return _post(office, "/v2/bot/message/push", {"to": user_id, "messages": [_text(text)]})


def reply(office: OfficeLine, reply_token: str, text: str) -> str | None:
    return _post(office, "/v2/bot/message/reply", {"replyToken": reply_token, "messages": [_text(text)]})


def _text(text: str) -> dict:
    return {"type": "text", "text": text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"}


def _post(office: OfficeLine, path: str, payload: dict) -> str | None:
    url = get_settings().line_api_base.rstrip("/") + path
    try:
        answer = httpx.post(
            url,
            json=payload,
            headers={"Authorization": f"Bearer {office.access_token}"},
            timeout=TIMEOUT_SECONDS,
        )
    except httpx.HTTPError as error:
        # The exception names the URL only (the token rides in a header, never in the URL).
        return f"LINE: {type(error).__name__}: {error}"
    if answer.status_code == 200:
        return None
    # LINE's error body says what was wrong ("Invalid reply token"); it never echoes the token.
    return f"LINE answered {answer.status_code}: {answer.text[:200]}"
