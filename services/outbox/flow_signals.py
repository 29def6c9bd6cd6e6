"""The outbox between a person's action and the memo's flow run (see models.orchestration).

Actions call `signal_flow` inside their own transaction; the deliverer (workflows.delivery)
claims what is pending; the flow run marks what it has done. Each query here touches only
signals not yet done, so its cost follows the work pending, not the number of open memos.
"""

import datetime as dt
import time

from sqlalchemy import Engine, or_, update
from sqlmodel import Session, col, select

from models import FlowSignal, Memo
from models.clock import utcnow
from models.db import read_scope
from models.enums import MemoStatus

CLAIM_SECONDS = 60  # a deliverer that dies while delivering frees its claim after this
MAX_BACKOFF = dt.timedelta(hours=1)
FIRST_BACKOFF = dt.timedelta(seconds=30)


def signal_flow(session: Session, memo_id: int, reason: str) -> FlowSignal:
    """Record, in the caller's transaction, that the memo's flow run has work to do."""
    signal = FlowSignal(memo_id=memo_id, reason=reason)
    session.add(signal)
    return signal


def claim_pending(session: Session, *, limit: int = 100, now: dt.datetime | None = None) -> list[FlowSignal]:
    """Signals never delivered, claimed for this deliverer: a second deliverer skips them."""
    now = now or utcnow()
    return _claim(
        session,
        select(FlowSignal.id)
        .where(
            FlowSignal.done_at.is_(None),
            FlowSignal.delivered_at.is_(None),
            col(FlowSignal.next_attempt_at) <= now,
            or_(FlowSignal.claimed_until.is_(None), col(FlowSignal.claimed_until) < now),
        )
        .limit(limit),
        now,
    )


def claim_stale(
    session: Session, *, older_than: dt.timedelta, limit: int = 100, now: dt.datetime | None = None
) -> list[FlowSignal]:
    """Signals delivered a while ago whose work is still not done: the run may have failed,
    crashed or lost the resume; the reconciler looks at each."""
    now = now or utcnow()
    return _claim(
        session,
        select(FlowSignal.id)
        .where(
            FlowSignal.done_at.is_(None),
            col(FlowSignal.delivered_at) < now - older_than,
            col(FlowSignal.next_attempt_at) <= now,
            or_(FlowSignal.claimed_until.is_(None), col(FlowSignal.claimed_until) < now),
        )
        .limit(limit),
        now,
    )


def _claim(session: Session, ids_query, now: dt.datetime) -> list[FlowSignal]:  # noqa: ANN001
    ids = list(session.exec(ids_query.with_for_update(skip_locked=True)))
    if not ids:
        return []
    session.exec(
        update(FlowSignal).where(FlowSignal.id.in_(ids)).values(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS))
    )
    return list(session.exec(select(FlowSignal).where(FlowSignal.id.in_(ids)).order_by(FlowSignal.id)))


def mark_delivered(session: Session, signal_ids: list[int], *, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    session.exec(
        update(FlowSignal)
        .where(FlowSignal.id.in_(signal_ids))
        .values(delivered_at=now, claimed_until=None, attempts=FlowSignal.attempts + 1, last_error="")
    )


def release_for_retry(
    session: Session,
    signal_ids: list[int],
    error: str,
    *,
    count_attempt: bool = True,
    delay: dt.timedelta | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Not delivered this time: try again after `delay`, or a back-off that grows with the attempts."""
    now = now or utcnow()
    for signal in session.exec(select(FlowSignal).where(FlowSignal.id.in_(signal_ids))):
        if count_attempt:
            signal.attempts += 1
        signal.claimed_until, signal.last_error = None, error[:500] or signal.last_error
        backoff = min(FIRST_BACKOFF * 2 ** max(signal.attempts - 1, 0), MAX_BACKOFF)
        signal.next_attempt_at = now + (delay if delay is not None else backoff)


def retry_memo_now(session: Session, memo_id: int) -> FlowSignal:
    """A fresh signal for the memo, and its undone ones delivered again at once, as if new."""
    session.exec(
        update(FlowSignal)
        .where(FlowSignal.memo_id == memo_id, FlowSignal.done_at.is_(None))
        .values(delivered_at=None, claimed_until=None, attempts=0, next_attempt_at=utcnow())
    )
    return signal_flow(session, memo_id, "nudge")


def undone_signal_ids(session: Session, memo_id: int) -> list[int]:
    return list(session.exec(select(FlowSignal.id).where(FlowSignal.memo_id == memo_id, FlowSignal.done_at.is_(None))))


def mark_done(session: Session, signal_ids: list[int], *, now: dt.datetime | None = None) -> None:
    if signal_ids:
        session.exec(
            update(FlowSignal)
            .where(FlowSignal.id.in_(signal_ids), FlowSignal.done_at.is_(None))
            .values(done_at=now or utcnow(), claimed_until=None)
        )


def record_problem(session: Session, memo_id: int, problem: str) -> None:
    """Say on the memo what went wrong after a decision, for the memo page, lists and the CLI."""
    memo = session.get(Memo, memo_id)
    memo.flow_problem, memo.flow_problem_at = problem[:1000], utcnow()


def clear_problem(memo: Memo) -> None:
    memo.flow_problem, memo.flow_problem_at = "", None


def open_memo_runs(session: Session) -> list[tuple[int, str]]:
    """(memo id, its flow run's id) of every memo not published yet that has had a run: a run
    that waits for people or works. (A memo without one yet has a signal pending that makes it.)"""
    rows = session.exec(
        select(Memo.id, Memo.flow_run_id)
        .where(Memo.status != MemoStatus.PUBLISHED, Memo.flow_run_id != "")
        .order_by(col(Memo.id))
    )
    return [(memo_id, run_id) for memo_id, run_id in rows if memo_id is not None]


def signal_unless_pending(session: Session, memo_ids: list[int], reason: str) -> list[int]:
    """A signal for each memo that has none undone (one undone signal already brings a run)."""
    pending = set(
        session.exec(
            select(FlowSignal.memo_id).where(col(FlowSignal.memo_id).in_(memo_ids), col(FlowSignal.done_at).is_(None))
        )
    )
    added = [memo_id for memo_id in memo_ids if memo_id not in pending]
    for memo_id in added:
        signal_flow(session, memo_id, reason)
    return added


def memos_needing_work(session: Session) -> list[int]:
    """Memos whose flow run has work not done, or a problem on record."""
    pending = select(FlowSignal.memo_id).where(FlowSignal.done_at.is_(None))
    troubled = select(Memo.id).where(Memo.flow_problem != "")
    return sorted(set(session.exec(pending)) | set(session.exec(troubled)))


def wait_until_done(memo_ids: list[int], seconds: float, *, engine: Engine | None = None) -> dict[int, bool]:
    """Whether each memo's flow work got done within `seconds` (for the CLI and tests)."""
    deadline = time.monotonic() + seconds
    while True:
        with read_scope(engine) as session:
            waiting = set(
                session.exec(
                    select(FlowSignal.memo_id).where(
                        col(FlowSignal.memo_id).in_(memo_ids), FlowSignal.done_at.is_(None)
                    )
                )
            )
        if not waiting or time.monotonic() >= deadline:
            return {memo_id: memo_id not in waiting for memo_id in memo_ids}
        time.sleep(0.2)
