"""Login sessions kept in the database: created on login, checked on every request."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import cache

from fastapi import Request
from sqlmodel import Session, select

from models import Person, WebSession, audit
from models.clock import utcnow
from models.db import read_scope, session_scope
from models.secrets import hash_secret, needs_rehash, secret_matches
from models.settings import get_settings


@dataclass(frozen=True)
class SignedIn:
    person: Person
    session: WebSession


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class PasswordCheck:
    """A password checked outside any write transaction (Argon2 is slow on purpose; on SQLite a
    write transaction holds the database's only write lock)."""

    person: Person | None  # whoever has the username, right password or not
    matched: bool
    new_hash: str | None = None  # a peppered hash to store in place of one made before the pepper


def check_password(username: str, password: str) -> PasswordCheck:
    with read_scope() as session:
        person = session.exec(select(Person).where(Person.username == username)).first()
    if person is None or not person.active:
        # As slow as a wrong password: a quick "no" told which usernames exist (10 ms against 60-130).
        secret_matches(_stand_in_hash(), password, username=STAND_IN)
        return PasswordCheck(person, False)
    if not secret_matches(person.password_hash, password, username=person.username):
        return PasswordCheck(person, False)
    rehash = needs_rehash(person.password_hash, username=person.username)
    return PasswordCheck(person, True, hash_secret(password, username=person.username) if rehash else None)


STAND_IN = ""  # no username is empty: the stand-in hash is nobody's


@cache
def _stand_in_hash() -> str:
    """A hash no password matches, made as every stored one is (the pepper, Argon2's parameters)."""
    return hash_secret(secrets.token_urlsafe(32), username=STAND_IN)


def signed_in_person(session: Session, check: PasswordCheck) -> Person | None:
    """In the login's transaction: the person, unless their password or status changed since
    the check."""
    person = session.get(Person, check.person.id) if check.matched else None
    if person is None or not person.active or person.password_hash != check.person.password_hash:
        return None
    if check.new_hash:
        person.password_hash = check.new_hash
    return person


def client_of(request: Request) -> dict[str, str]:
    """Where a login or a sign-off came from, for its audit entry (the address as the trusted
    proxy gave it, see web.server)."""
    return {
        "address": request.client.host if request.client else "-",
        "user_agent": request.headers.get("user-agent", "")[:200],
    }


def open_session(session: Session, person: Person, client: dict[str, str] | None = None) -> str:
    """A new session for `person`; returns the token for the cookie (never stored). `client`
    (the address and user agent) goes into the audit entry: whose device signed in, and where."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        WebSession(
            token_sha256=_digest(token),
            person_id=person.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(hours=get_settings().session_max_hours),
        )
    )
    audit.append(session, actor=person.username, action="web.login", subject=f"person:{person.id}", data=client)
    return token


# Recording every request's time would make every page a write; a minute's precision will do.
TOUCH_EVERY = dt.timedelta(minutes=1)


def signed_in(token: str | None) -> SignedIn | None:
    """The person behind a cookie, if the session is still alive; notes that it was used."""
    if not token:
        return None
    with read_scope() as session:
        row = session.exec(select(WebSession).where(WebSession.token_sha256 == _digest(token))).first()
        person = session.get(Person, row.person_id) if row else None
    now = utcnow()
    if row is None or _expired(row, now) or not person.active:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        with session_scope() as session:
            session.get(WebSession, row.id).last_seen_at = now
    return SignedIn(person, row)


def _expired(row: WebSession, now: dt.datetime) -> bool:
    idle = dt.timedelta(minutes=get_settings().session_idle_minutes)
    return now >= row.expires_at or now - row.last_seen_at >= idle


def close_session(session: Session, token: str | None) -> None:
    if token:
        row = session.exec(select(WebSession).where(WebSession.token_sha256 == _digest(token))).first()
        if row is not None:
            session.delete(row)
