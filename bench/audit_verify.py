"""`saraban audit verify` on a database with many memos (SQLite, embedded defaults): how long the
whole check takes, per memo, per entry and per history row; what the keyed chain adds to one
action; and what publication's recomputation of a memo's approvals from the chained history costs
(services.publication.approvals.history_gaps), once per publication.

    uv run python -m bench.audit_verify --memos 200
"""

import argparse
import json
import os
import statistics
import tempfile
import time

from sqlmodel import col, select

from models import Memo, audit
from models.db import default_engine, read_scope, session_scope
from models.migrate import upgrade
from models.settings import get_settings
from services.audit.audit_verify import verify_audit
from services.printing.document_context import current_revision
from services.publication.approvals import history_gaps
from tests.builders import load_kokphutsa, memo_in_review, sign


def fill(memos: int) -> None:
    for _ in range(memos):
        memo = memo_in_review(default_engine())
        for username in ("kanokporn", "phakphum", "phakphum"):
            sign(default_engine(), memo.id, username)


def timed(function, runs: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def one_append() -> None:
    with session_scope() as session:
        audit.append(session, actor="kanokporn", action="bench.append", subject="memo:1", data={"n": 1})


def recompute_last_memo() -> None:
    with read_scope() as session:
        memo = session.exec(select(Memo).order_by(col(Memo.id).desc())).first()
        assert history_gaps(session, memo, current_revision(session, memo)) == []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memos", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["SARABAN_HOME"] = home
        os.environ.pop("SARABAN_DATABASE_URL", None)
        get_settings.cache_clear()
        upgrade(get_settings().resolved_database_url)
        load_kokphutsa(default_engine())
        fill(args.memos)
        report = verify_audit()
        assert report.intact, report.problems
        seconds = timed(verify_audit, 3)
        append_ms = timed(one_append, 50) * 1000
        recompute_ms = timed(recompute_last_memo, 50) * 1000
        print(
            json.dumps(
                {
                    "memos": args.memos,
                    "entries": report.entries,
                    "history_rows": report.rows,
                    "verify_seconds": round(seconds, 3),
                    "verify_us_per_row": round(seconds / (report.entries + report.rows) * 1e6, 1),
                    "verify_ms_per_memo": round(seconds / args.memos * 1000, 2),
                    "append_ms_median": round(append_ms, 2),
                    "publication_recompute_ms_median": round(recompute_ms, 2),
                }
            )
        )


if __name__ == "__main__":
    main()
