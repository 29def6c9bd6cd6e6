"""What an operator watches: whether this process can serve, and the work that waits or is stuck.

`health` answers a load balancer: the database answers and the instance's keys are where the
database needs them. `operational_counts` is read at each metrics scrape (a few COUNT queries, no
memo loaded): flow signals not yet done and the oldest one's age (a deliverer or the workers are
down), memos with a flow problem, notices and channel posts that failed, and the work waiting
per organisation.
"""

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text
from sqlmodel import Session, col, func, select

from models import FlowSignal, Memo, Organisation, Publication, PublicationChannel, WorkNotice
from models.clock import utcnow
from models.deadlines import WAITING
from models.instance_keys_check import check_instance_keys
from models.instance_secrets import MissingInstanceKey
from models.settings import get_settings

OK = "ok"


@dataclass(frozen=True)
class Health:
    checks: dict[str, str]  # check -> "ok" or what is wrong, with no path or secret in it

    @property
    def ok(self) -> bool:
        return all(result == OK for result in self.checks.values())


def health(engine: Engine) -> Health:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001  (any failure to answer is the answer)
        return Health({"database": f"unreachable ({type(error).__name__})", "keys": "not checked"})
    try:
        check_instance_keys(engine)
    except MissingInstanceKey:
        return Health({"database": OK, "keys": "missing (a key file the database depends on is not there)"})

    return Health({"database": OK, "keys": OK})


@dataclass(frozen=True)
class Heartbeat:
    """A file a loop touches after each good round: a readiness probe on the same machine reads its
    age (`saraban health --deliverer`). A loop stuck or failing every round stops touching it."""

    path: Path

    def beat(self) -> None:
        """Called every round of a loop (twice a second): one utime, its folder made only once."""
        try:
            self.path.touch()
        except FileNotFoundError:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.touch()

    def age_seconds(self) -> float | None:
        """Seconds since the last beat; None when it never beat here."""
        try:
            return max(0.0, time.time() - self.path.stat().st_mtime)
        except FileNotFoundError:
            return None


def deliverer_heartbeat() -> Heartbeat:
    return Heartbeat(get_settings().home / "run" / "deliverer.alive")


@dataclass(frozen=True)
class OperationalCounts:
    signals_undelivered: int
    signals_unfinished: int  # delivered, work not done yet
    oldest_signal_seconds: float  # age of the oldest signal not done; 0 when none
    # (organisation code, status) -> memos; organisation code -> count
    memos_waiting: Counter[tuple[str, str]] = field(default_factory=Counter)
    memos_overdue: Counter[str] = field(default_factory=Counter)
    flow_problems: Counter[str] = field(default_factory=Counter)
    failed_work_notices: Counter[str] = field(default_factory=Counter)
    failed_channel_posts: Counter[str] = field(default_factory=Counter)


def operational_counts(session: Session, now: dt.datetime | None = None) -> OperationalCounts:
    now = now or utcnow()
    not_done = col(FlowSignal.done_at).is_(None)
    undelivered = session.exec(select(func.count()).where(not_done, col(FlowSignal.delivered_at).is_(None))).one()
    unfinished = session.exec(select(func.count()).where(not_done, col(FlowSignal.delivered_at).is_not(None))).one()
    oldest = session.exec(select(func.min(FlowSignal.created_at)).where(not_done)).one()
    waiting = col(Memo.status).in_(WAITING)
    return OperationalCounts(
        signals_undelivered=undelivered,
        signals_unfinished=unfinished,
        oldest_signal_seconds=_age_seconds(oldest, now),
        memos_waiting=Counter(
            {
                (code, status.value): count
                for code, status, count in session.exec(
                    _memos_by_organisation(Memo.status).where(waiting).group_by(Memo.status)
                )
            }
        ),
        memos_overdue=_counts(session, _memos_by_organisation().where(waiting, col(Memo.due_at) < now)),
        flow_problems=_counts(session, _memos_by_organisation().where(Memo.flow_problem != "")),
        failed_work_notices=_counts(
            session,
            _memos_by_organisation()
            .join(WorkNotice, col(WorkNotice.memo_id) == Memo.id)
            .where(WorkNotice.state == "failed"),
        ),
        failed_channel_posts=_counts(
            session,
            _memos_by_organisation()
            .join(Publication, col(Publication.memo_id) == Memo.id)
            .join(PublicationChannel, col(PublicationChannel.publication_id) == Publication.id)
            .where(PublicationChannel.status == "failed"),
        ),
    )


def _memos_by_organisation(*columns):  # noqa: ANN002, ANN202  (SQLAlchemy's select of many shapes)
    """SELECT organisation code, *columns, count FROM memo JOIN organisation ... GROUP BY code."""
    return (
        select(Organisation.code, *columns, func.count())
        .select_from(Memo)
        .join(Organisation, col(Organisation.id) == Memo.organisation_id)
        .group_by(Organisation.code)
    )


def _counts(session: Session, query) -> Counter[str]:  # noqa: ANN001
    return Counter({code: count for code, count in session.exec(query)})


def _age_seconds(since: dt.datetime | None, now: dt.datetime) -> float:
    if since is None:
        return 0.0
    if since.tzinfo is None:  # SQLite gives back naive UTC
        since = since.replace(tzinfo=dt.UTC)
    return max(0.0, (now - since).total_seconds())
