"""Slowing down password guessing, in the database: every web process shares the count.

Each try is recorded (committed) *before* the password is checked, then counted. However many
tries arrive at once, the k-th to commit sees at least k tries, so at most `limit` of them can
find the count within the limit: parallel wrong passwords cannot all be checked (no lock
needed, on SQLite or PostgreSQL). A try counts until it is found right.

What blocks: too many tries from one address for usernames somebody has, or from one address
for one username. Tries for made-up usernames never block an address: anyone could otherwise
lock out an office behind one NAT address, or every user when the TLS proxy is on another host.

One username, tried from anywhere, has a budget: `limit` tries in the window, then one try every
USERNAME_SPACING seconds. The k-th try over the budget waits for its own turn, so parallel
guesses queue instead of sharing one wait; a try whose turn is further than MAX_WAIT_SECONDS
away is refused for now. Only an address from which this username logged in during the last day
(the person's own office or phone) is exempt: a guesser elsewhere cannot lock the person out of
where they work.

The typed username is stored only as an HMAC keyed by an instance secret (never in the
database): a password typed into the username field by mistake cannot be read back.
"""

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, delete, func, select, update

from models import LoginAttempt, Person
from models.clock import utcnow
from models.db import read_scope, session_scope
from models.instance_secrets import instance_secret
from models.settings import get_settings

WINDOW = dt.timedelta(minutes=15)
KEEP = dt.timedelta(days=1)  # older tries are deleted now and then; a login within it marks an address as known
USERNAME_SPACING = 2.0  # seconds between tries for one username once its budget is spent
MAX_WAIT_SECONDS = 30.0  # a try whose turn is further away is refused for now


@dataclass(frozen=True)
class LoginTry:
    attempt_id: int
    blocked: bool  # refuse without checking the password
    delay_seconds: float  # wait this long before checking it (this username's turn)


def username_key(username: str) -> str:
    return hmac.new(instance_secret("login-throttle"), username.strip().lower().encode(), hashlib.sha256).hexdigest()


def begin_try(address: str, username: str, *, engine: Engine | None = None) -> LoginTry:
    """Record a try, then decide whether and when its password may be checked."""
    key, now = username_key(username), utcnow()
    with session_scope(engine) as session:
        known = session.exec(select(Person.id).where(Person.username == username.strip())).first() is not None
        attempt = LoginAttempt(at=now, address=address, username_key=key, known_username=known)
        session.add(attempt)
        session.flush()
        if attempt.id is not None and attempt.id % 200 == 0:  # set by the flush
            session.exec(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP))
    limit = get_settings().login_attempts
    with read_scope(engine) as session:
        from_address = _pending(session, now, LoginAttempt.address == address, col(LoginAttempt.known_username))
        for_user_here = _pending(session, now, LoginAttempt.address == address, LoginAttempt.username_key == key)
        wait = 0.0 if _logged_in_from(session, now, address, key) else _turn(session, now, key, attempt.id, limit)
    blocked = from_address > limit or for_user_here > limit or wait > MAX_WAIT_SECONDS
    return LoginTry(attempt.id, blocked=blocked, delay_seconds=0.0 if blocked else wait)


def succeeded(attempt_id: int, *, engine: Engine | None = None) -> None:
    """The password was right: this try no longer counts (earlier failures still do)."""
    with session_scope(engine) as session:
        session.exec(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True))


def _pending(session: Session, now: dt.datetime, *conditions) -> int:  # noqa: ANN002
    return session.exec(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.at >= now - WINDOW, col(LoginAttempt.succeeded).is_(False), *conditions)
    ).one()


def _turn(session: Session, now: dt.datetime, key: str, attempt_id: int | None, limit: int) -> float:
    """Seconds until this try's turn among the username's tries over its budget (0: within it)."""
    pending = session.exec(
        select(LoginAttempt.id, LoginAttempt.at)
        .where(
            LoginAttempt.username_key == key, LoginAttempt.at >= now - WINDOW, col(LoginAttempt.succeeded).is_(False)
        )
        .order_by(col(LoginAttempt.id))
    ).all()
    rank = next((i for i, (row_id, _) in enumerate(pending, start=1) if row_id == attempt_id), len(pending))
    if rank <= limit:
        return 0.0
    budget_spent_at = pending[limit - 1][1]
    turn = budget_spent_at + dt.timedelta(seconds=USERNAME_SPACING * (rank - limit))
    return max(0.0, (turn - now).total_seconds())


def _logged_in_from(session: Session, now: dt.datetime, address: str, key: str) -> bool:
    return (
        session.exec(
            select(LoginAttempt.id).where(
                LoginAttempt.address == address,
                LoginAttempt.username_key == key,
                col(LoginAttempt.succeeded).is_(True),
                LoginAttempt.at >= now - KEEP,
            )
        ).first()
        is not None
    )
