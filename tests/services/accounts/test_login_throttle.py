"""The login throttle on both databases: parallel tries count each other; a username alone is never blocked."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from sqlmodel import select

from models import LoginAttempt
from models.db import session_scope
from services.accounts.login_throttle import MAX_DELAY_SECONDS, begin_try, succeeded

LIMIT = 5  # SARABAN_LOGIN_ATTEMPTS' default


def test_parallel_tries_from_one_address_cannot_all_pass(engine):
    start = Barrier(15)

    def try_once(index: int) -> bool:
        start.wait()
        return begin_try("203.0.113.9", "kanokporn", engine=engine).blocked

    with ThreadPoolExecutor(15) as pool:
        blocked = list(pool.map(try_once, range(15)))
    assert blocked.count(False) <= LIMIT and blocked.count(True) >= 15 - LIMIT


def test_one_username_guessed_from_many_addresses_is_slowed_never_blocked(engine):
    tries = [begin_try(f"198.51.100.{n}", "kanokporn", engine=engine) for n in range(12)]
    assert not any(t.blocked for t in tries)
    assert [t.delay_seconds for t in tries[:LIMIT]] == [0.0] * LIMIT
    assert 0 < tries[LIMIT].delay_seconds < tries[-1].delay_seconds <= MAX_DELAY_SECONDS


def test_a_right_password_no_longer_counts_and_the_username_is_not_stored(engine):
    for _ in range(LIMIT):
        succeeded(begin_try("192.0.2.1", "kanokporn", engine=engine).attempt_id, engine=engine)
    assert not begin_try("192.0.2.1", "kanokporn", engine=engine).blocked
    with session_scope(engine) as session:
        rows = session.exec(select(LoginAttempt)).all()
    assert all("kanokporn" not in row.username_key for row in rows) and len({r.username_key for r in rows}) == 1
