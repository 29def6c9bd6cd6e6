"""The drafter's front page with many memos in flight: how long `GET /` (รอพิจารณา, with the
memos the person sent) and `GET /?view=mine` (เรื่องที่ท่านเสนอ) take over HTTP when every row
names who holds the memo now (services.memo_life.holders reads them for the whole list at once).

    uv run python -m bench.drafter_list --memos 100
"""

import argparse
import json
import os
import re
import statistics
import tempfile
import time

from fastapi.testclient import TestClient
from sqlalchemy import event

from models.db import default_engine
from models.migrate import upgrade
from models.settings import get_settings
from tests.builders import load_kokphutsa, memo_in_review, sign, submitted_memo
from web.app import create_app


def fill(memos: int) -> None:
    """A third waiting for พิมพ์, a third at step 1, a third at step 2."""
    engine = default_engine()
    for index in range(memos):
        if index % 3 == 0:
            submitted_memo(engine)
            continue
        memo_id = memo_in_review(engine).id
        if index % 3 == 2:
            sign(engine, memo_id, "kanokporn")


def statements(client: TestClient, path: str) -> int:
    """How many SQL statements one request runs."""
    count = []
    listener = lambda *_args: count.append(1)  # noqa: E731
    event.listen(default_engine(), "before_cursor_execute", listener)
    try:
        client.get(path)
    finally:
        event.remove(default_engine(), "before_cursor_execute", listener)
    return len(count)


def timed(client: TestClient, path: str, runs: int) -> tuple[float, float]:
    """The median and the fastest of `runs` requests (the fastest is the least disturbed on a
    shared machine)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        assert client.get(path).status_code == 200
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memos", type=int, default=100)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["SARABAN_HOME"] = home
        os.environ.pop("SARABAN_DATABASE_URL", None)
        get_settings.cache_clear()
        upgrade(get_settings().resolved_database_url)
        load_kokphutsa(default_engine())
        fill(args.memos)
        client = TestClient(create_app(), base_url="http://127.0.0.1")
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        client.post("/login", data={"username": "somying", "password": "demo-password", "csrf_token": token})
        front, mine = timed(client, "/", args.runs), timed(client, "/?view=mine", args.runs)
        print(
            json.dumps(
                {
                    "memos_in_flight": args.memos,
                    "front_page_ms_median_fastest": [round(t * 1000, 1) for t in front],
                    "mine_ms_median_fastest": [round(t * 1000, 1) for t in mine],
                    "front_page_statements": statements(client, "/"),
                    "mine_statements": statements(client, "/?view=mine"),
                }
            )
        )


if __name__ == "__main__":
    main()
