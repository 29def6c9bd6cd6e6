"""Slowing down password guessing, in the database: every web process shares the count.

Each try is recorded (committed) *before* the password is checked, then counted. However many
tries arrive at once, the k-th to commit sees at least k tries, so at most `limit` of them can
find the count within the limit: parallel wrong passwords cannot all be checked (no lock
needed, on SQLite or PostgreSQL). A try counts until it is found right.

What blocks: too many tries from one address, or from one address for one username. What only
slows down: many failures for one username from everywhere; blocking on the username alone
would let anyone lock a named person out by typing wrong passwords in their name.

The typed username is stored only as an HMAC keyed by an instance secret (never in the
database): a password typed into the username field by mistake cannot be read back.
"""

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import col, delete, func, select, update

from models import LoginAttempt
from models.clock import utcnow
from models.db import read_scope, session_scope
from models.instance_secrets import instance_secret
from models.settings import get_settings

WINDOW = dt.timedelta(minutes=15)
KEEP = dt.timedelta(days=1)  # older tries are deleted now and then
MAX_DELAY_SECONDS = 5.0


@dataclass(frozen=True)
class LoginTry:
    attempt_id: int
    blocked: bool  # refuse without checking the password
    delay_seconds: float  # wait this long before answering (many failures for this username)


def username_key(username: str) -> str:
    return hmac.new(instance_secret("login-throttle"), username.strip().lower().encode(), hashlib.sha256).hexdigest()


def begin_try(address: str, username: str, *, engine: Engine | None = None) -> LoginTry:
    """Record a try, then decide whether its password may be checked."""
    key, now = username_key(username), utcnow()
    with session_scope(engine) as session:
        attempt = LoginAttempt(at=now, address=address, username_key=key)
        session.add(attempt)
        session.flush()
        if attempt.id is not None and attempt.id % 200 == 0:  # set by the flush
            session.exec(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP))
    limit = get_settings().login_attempts
    with read_scope(engine) as session:
        from_address = _pending(session, now, LoginAttempt.address == address)
        for_user_here = _pending(session, now, LoginAttempt.address == address, LoginAttempt.username_key == key)
        for_user = _pending(session, now, LoginAttempt.username_key == key)
    return LoginTry(
        attempt.id, blocked=from_address > limit or for_user_here > limit, delay_seconds=_delay(for_user - 1, limit)
    )


def succeeded(attempt_id: int, *, engine: Engine | None = None) -> None:
    """The password was right: this try no longer counts (earlier failures still do)."""
    with session_scope(engine) as session:
        session.exec(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True))


def _pending(session, now: dt.datetime, *conditions) -> int:  # noqa: ANN001
    return session.exec(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.at >= now - WINDOW, col(LoginAttempt.succeeded).is_(False), *conditions)
    ).one()


def _delay(earlier_failures: int, limit: int) -> float:
    """No wait up to the limit; then half a second more for each failure, up to 5 seconds."""
    return min(MAX_DELAY_SECONDS, 0.5 * (earlier_failures - limit + 1)) if earlier_failures >= limit else 0.0
