"""How long a person's queue (รอพิจารณา, and the menu's count of it on every page) takes with
many memos in flight: the baseline asks the one-memo rule of every memo in turn (what
`queue_for` did, about six queries a memo under review), against `queue_for` reading the
person, their positions and grants, and the memos' routes and escalations once.

    uv run python -m bench.queue --memos 100
"""

import argparse
import os
import statistics
import tempfile
import time

from sqlmodel import col, select

from models import Memo, Person
from models.db import default_engine, read_scope
from models.enums import MemoStatus
from models.migrate import upgrade
from models.settings import get_settings
from services.memo_life.queue import may_act_now, queue_for
from tests.builders import load_kokphutsa, memo_in_review, sign, submitted_memo

PEOPLE = ("kanokporn", "phakphum", "wanna", "somying")


def fill(memos: int) -> None:
    """A third waiting for the stages, the rest under review at each step in turn."""
    for index in range(memos):
        if index % 3 == 0:
            submitted_memo(default_engine())
            continue
        memo_id = memo_in_review(default_engine()).id
        for username in ("kanokporn", "phakphum")[: index % 3]:
            sign(default_engine(), memo_id, username)


def one_by_one(username: str) -> int:
    with read_scope() as session:
        person = session.exec(select(Person).where(Person.username == username)).one()
        memos = session.exec(
            select(Memo).where(col(Memo.status).in_([MemoStatus.PREPARING, MemoStatus.IN_REVIEW, MemoStatus.RETURNED]))
        ).all()
        return sum(may_act_now(session, person, memo) is not None for memo in memos)


def at_once(username: str) -> int:
    with read_scope() as session:
        return len(queue_for(session, username))


def timed(read, runs: int) -> tuple[float, int]:  # noqa: ANN001
    times, found = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        found = sum(read(username) for username in PEOPLE)
        times.append((time.perf_counter() - start) / len(PEOPLE))
    return statistics.median(times), found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memos", type=int, default=100)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    os.environ["SARABAN_HOME"] = tempfile.mkdtemp(prefix="saraban-queue-bench-")
    get_settings.cache_clear()
    default_engine.cache_clear()
    upgrade(get_settings().resolved_database_url)
    load_kokphutsa(default_engine())
    fill(args.memos)
    baseline, expected = timed(one_by_one, args.runs)
    now, found = timed(at_once, args.runs)
    assert found == expected, f"the queue found {found} items, the one-memo rule {expected}"
    print(f"{args.memos} memos in flight, {found} queue items for {', '.join(PEOPLE)} (SQLite, median of {args.runs})")
    print(f"one memo at a time (baseline): {baseline * 1000:.1f} ms a person")
    print(f"queue_for:                     {now * 1000:.1f} ms a person")


if __name__ == "__main__":
    main()
