"""Engine and sessions: SQLite by default, PostgreSQL through a database URL."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from models.fair_lock import FairLock
from models.settings import get_settings


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True)


BUSY_SECONDS = 30


def _sqlite_engine(url: str) -> Engine:
    # As many pooled connections as the web app's threads (AnyIO's 40): with fewer, every burst
    # opened and closed overflow connections, each opening paying for the pragmas below.
    engine = create_engine(
        url, connect_args={"timeout": BUSY_SECONDS, "check_same_thread": False}, pool_size=40, max_overflow=10
    )
    # SQLite's busy handler makes a waiting writer sleep and retry (up to 100 ms a time), so under
    # 20 concurrent sign-offs an unlucky one waited seconds while later ones went first. Writers of
    # this process queue on a lock instead and take SQLite's only when it is their turn; other
    # processes (workers, the deliverer) still meet them on the busy timeout. Fair: in the order
    # they came. Not bound to a thread: the pool may end a transaction from another.
    writers = FairLock()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL is kept in the file: setting it again would wait for the write lock (seconds, under load).
        if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        # IMMEDIATE takes the write lock up front: two writers queue on the busy timeout
        # instead of deadlocking when both try to upgrade a read lock (SQLITE_BUSY). Reads
        # (read_scope) begin deferred and, with WAL, never wait for writers.
        if connection.get_execution_options().get(READ_ONLY, False):
            connection.exec_driver_sql("BEGIN")
            return
        if not writers.acquire(timeout=BUSY_SECONDS):
            raise OperationalError("BEGIN IMMEDIATE", None, Exception("database is locked (this process's writers)"))
        connection.info[_HOLDS_WRITERS] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release_writers(connection)
            raise

    def _release_writers(connection, *_args) -> None:  # noqa: ANN001
        # `info` is the pooled connection's own: the same dict on the Connection and the pool's record.
        if connection.info.pop(_HOLDS_WRITERS, False):
            writers.release()

    # SQLAlchemy tells of a commit just before sending it: the next writer may find SQLite's lock
    # still held for that moment, and waits it out on the busy handler's first, shortest sleeps.
    event.listen(engine, "commit", _release_writers)
    event.listen(engine, "rollback", _release_writers)

    # A connection given back or dropped without either (a crash, a collected session): its
    # transaction ends there, and so does its turn.
    @event.listens_for(engine.pool, "reset")
    def _on_reset(_dbapi, record, _state) -> None:  # noqa: ANN001
        _release_writers(record)

    @event.listens_for(engine.pool, "invalidate")
    def _on_invalidate(_dbapi, record, _exception) -> None:  # noqa: ANN001
        _release_writers(record)

    @event.listens_for(engine.pool, "close")
    def _on_close(_dbapi, record) -> None:  # noqa: ANN001
        _release_writers(record)

    return engine


READ_ONLY = "saraban_read_only"
_HOLDS_WRITERS = "saraban_holds_writers"


@lru_cache
def default_engine() -> Engine:
    return make_engine(get_settings().resolved_database_url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One unit of work: commits when the block ends normally, rolls back otherwise."""
    with Session(engine or default_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A unit of work that only reads: on SQLite it does not take the write lock. Closing the
    session ends its transaction; what it loaded stays readable (a rollback would expire it)."""
    with Session(engine or default_engine(), expire_on_commit=False) as session:
        session.connection(execution_options={READ_ONLY: True})
        yield session
