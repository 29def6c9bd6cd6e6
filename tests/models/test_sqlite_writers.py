"""Writers of one process take SQLite's write lock in the order they came, and a transaction
that ends any way at all (commit, rollback, a session dropped) gives the next one its turn."""

import gc
import threading
import time

from sqlalchemy import text
from sqlmodel import Session

from models.db import make_engine, session_scope
from models.fair_lock import FairLock


def test_the_lock_goes_to_its_waiters_in_the_order_they_came():
    lock = FairLock()
    assert lock.acquire(timeout=1)
    order, started = [], []

    def waiter(name: str) -> None:
        started.append(name)
        assert lock.acquire(timeout=10)
        order.append(name)
        lock.release()

    threads = []
    for name in "abcdef":
        thread = threading.Thread(target=waiter, args=(name,))
        thread.start()
        threads.append(thread)
        while len(lock._waiters) < len(threads):  # this one is queued before the next comes
            time.sleep(0.001)
    lock.release()
    for thread in threads:
        thread.join()
    assert order == list("abcdef")


def test_a_waiter_that_gives_up_leaves_the_queue():
    lock = FairLock()
    assert lock.acquire(timeout=1)
    assert not lock.acquire(timeout=0.05)
    assert not lock._waiters
    lock.release()
    assert lock.acquire(timeout=0.05)


def test_every_way_a_write_transaction_ends_gives_the_next_writer_its_turn(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'writers.db'}")
    with session_scope(engine) as session:
        session.exec(text("CREATE TABLE t (x INTEGER)"))
    try:
        with session_scope(engine) as session:
            session.exec(text("INSERT INTO t VALUES (1)"))
            raise RuntimeError("a refused action rolls back")
    except RuntimeError:
        pass
    closed = Session(engine)
    closed.exec(text("INSERT INTO t VALUES (2)"))
    closed.close()  # closed without a commit

    def dropped() -> None:
        Session(engine).exec(text("INSERT INTO t VALUES (3)"))  # never closed: collected

    dropped()
    gc.collect()  # as SQLite's own lock, the turn ends when the dropped session is collected
    finished = threading.Event()

    def next_writer() -> None:
        with session_scope(engine) as session:
            session.exec(text("INSERT INTO t VALUES (4)"))
        finished.set()

    threading.Thread(target=next_writer).start()
    assert finished.wait(5), "a writer waited for a transaction that had ended"
    with session_scope(engine) as session:
        assert session.exec(text("SELECT x FROM t")).all() == [(4,)]
    engine.dispose()
