"""The public page's list of announcements (what citizens, assessors and the feed poll): how long
`services.publication.public.published` takes for an organisation with many announcements: the
baseline (every announcement, each rendered and hashed afresh, as every request did), every
announcement with the readings kept once per process (services.publication.public._READINGS),
and what the unsearched page and the feed now read (the newest 50, readings kept), in one run.

    uv run python -m bench.public_list --announcements 100
"""

import argparse
import json
import os
import statistics
import tempfile
import time

from sqlmodel import select

from models import Organisation
from models.db import default_engine, read_scope, session_scope
from models.migrate import upgrade
from models.settings import get_settings
from services.publication import public
from services.publication.publication import publish
from tests.builders import load_kokphutsa, memo_in_review, sign


def fill(announcements: int) -> None:
    for _ in range(announcements):
        memo_id = memo_in_review(default_engine()).id
        for username in ("kanokporn", "phakphum", "phakphum"):
            sign(default_engine(), memo_id, username)
        with session_scope() as session:
            publish(session, memo_id=memo_id)


def list_page(*, afresh: bool, latest: int | None = None) -> float:
    if afresh:
        public._READINGS.clear()
    start = time.perf_counter()
    with read_scope() as session:
        org = session.exec(select(Organisation)).one()
        assert public.published(session, org, latest=latest)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--announcements", type=int, default=100)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["SARABAN_HOME"] = home
        os.environ.pop("SARABAN_DATABASE_URL", None)
        os.environ["PATH"] = home  # no LibreOffice: the .docx is what the list reads, no PDFs needed
        get_settings.cache_clear()
        upgrade(get_settings().resolved_database_url)
        load_kokphutsa(default_engine())
        fill(args.announcements)
        afresh = statistics.median(list_page(afresh=True) for _ in range(args.runs))
        kept = statistics.median(list_page(afresh=False) for _ in range(args.runs))
        newest = statistics.median(list_page(afresh=False, latest=public.PUBLIC_LATEST) for _ in range(args.runs))
        print(
            json.dumps(
                {
                    "announcements": args.announcements,
                    "list_ms_each_read_afresh": round(afresh * 1000, 1),
                    "list_ms_readings_kept": round(kept * 1000, 1),
                    "page_and_feed_ms_newest_50": round(newest * 1000, 1),
                    "ms_per_announcement_afresh": round(afresh / args.announcements * 1000, 2),
                    "ms_per_announcement_kept": round(kept / args.announcements * 1000, 2),
                }
            )
        )


if __name__ == "__main__":
    main()
