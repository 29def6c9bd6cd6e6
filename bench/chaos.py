"""Chaos on the production topology: memos go through the whole chain by HTTP while workers, the
Prefect server and the web app are killed with -9 and started again. Nothing may be lost or done
twice, and every memo must be published soon after the last restart.

    uv run python -m bench.chaos --memos 50 --worker-kills 100 --server-restarts 5 --web-restarts 5

The topology is bench.topology's (Prefect server on PostgreSQL, process workers on the `saraban`
pool, `saraban web`, `saraban deliver`; needs SARABAN_TEST_POSTGRES_URL or --postgres). People act
through the JSON API (bench.people) and retry, as a person would, while the web app is down. The
kills are spread evenly over the time people act, in a shuffled order (seeded); a killed process
takes everything it started with it, as if its machine died, and is started again at once.

Printed at the end (all must be 0): decisions acknowledged to people and missing from the
database, memos submitted twice, duplicate publications, duplicate channel posts, and memos not
published and posted `--grace` seconds (default 120) after the last restart.
"""

import argparse
import os
import random
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import func, select

from bench.people import SIGNERS, STAGES, Office
from bench.throughput import databases
from bench.topology import Topology, free_port
from models import Decision, Memo, NotificationChannel, Organisation, Publication, StageRecord
from models.db import make_engine, session_scope
from services.outbox.flow_signals import undone_signal_ids
from tests.services.conftest import WebhookReceiver


@dataclass
class Acknowledged:
    """What the web app told people it had recorded, per memo."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    stages: Counter = field(default_factory=Counter)
    decisions: Counter = field(default_factory=Counter)

    def add(self, counter: Counter, memo_id: int, count: int) -> None:
        with self.lock:
            counter[memo_id] += count


@dataclass
class Chaos:
    """Kills and restarts, spread over the time people act."""

    topology: Topology
    web_port: int
    events: list[str]
    every_seconds: float
    done: list[tuple[str, float]] = field(default_factory=list)

    def run(self, stop: threading.Event) -> None:
        for event in self.events:
            if stop.wait(self.every_seconds):
                return
            getattr(self, f"_{event.split(':')[0]}")(event)
            self.done.append((event, time.monotonic()))

    def _worker(self, event: str) -> None:
        name = event.split(":")[1]
        self.topology.kill_hard(name)
        self.topology.start_worker(name)

    def _server(self, _event: str) -> None:
        self.topology.kill_hard("prefect-server")
        self.topology.start_server()

    def _web(self, _event: str) -> None:
        self.topology.kill_hard("web")
        self.topology.start_web("web", self.web_port)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memos", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-kills", type=int, default=100)
    parser.add_argument("--server-restarts", type=int, default=5)
    parser.add_argument("--web-restarts", type=int, default=5)
    parser.add_argument("--people", type=int, default=4, help="memos moved at once")
    parser.add_argument("--every", type=float, default=4.0, help="seconds between two kills")
    parser.add_argument("--grace", type=float, default=120.0, help="seconds after the last restart")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--postgres", default="", help="admin URL (default SARABAN_TEST_POSTGRES_URL)")
    args = parser.parse_args()
    admin_url = args.postgres or os.environ["SARABAN_TEST_POSTGRES_URL"]
    receiver = WebhookReceiver([])
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    with databases(admin_url) as (saraban_url, prefect_url), tempfile.TemporaryDirectory() as home:
        topology = Topology(Path(home), saraban_url, prefect_url)
        try:
            report(run(topology, receiver, args), args)
        finally:
            topology.stop_all()
            receiver.shutdown()


def run(topology: Topology, receiver: WebhookReceiver, args: argparse.Namespace) -> dict:
    topology.start_server()
    topology.saraban("init")
    topology.saraban("org", "load", "--demo", "examples/kokphutsa/organisation.yaml")
    topology.saraban("deploy")
    engine = make_engine(topology.database_url)
    with session_scope(engine) as session:
        org_id = session.exec(select(Organisation.id).where(Organisation.code == "kokphutsa")).one()
        session.add(
            NotificationChannel(
                organisation_id=org_id, name="เพจเทศบาล", purpose="publication", url=receiver.channel_url("hooks/page")
            )
        )
    workers = [f"worker-{index}" for index in range(args.workers)]
    for name in workers:
        topology.start_worker(name)
    topology.start_deliverer()
    web_port = free_port()
    office = Office([topology.start_web("web", web_port)])

    shuffle = random.Random(args.seed)
    events = (
        [f"worker:{shuffle.choice(workers)}" for _ in range(args.worker_kills)]
        + ["server"] * args.server_restarts
        + ["web"] * args.web_restarts
    )
    shuffle.shuffle(events)
    chaos, stop = Chaos(topology, web_port, events, args.every), threading.Event()
    chaos_thread = threading.Thread(target=chaos.run, args=(stop,), daemon=True)
    acknowledged = Acknowledged()
    started = time.monotonic()
    chaos_thread.start()

    def one(index: int) -> int:
        memo_id = office.submit(index)
        office.prepare(memo_id, index)
        acknowledged.add(acknowledged.stages, memo_id, len(STAGES))
        office.sign_all(memo_id, index)
        acknowledged.add(acknowledged.decisions, memo_id, len(SIGNERS))
        return memo_id

    with ThreadPoolExecutor(args.people) as pool:
        memo_ids = list(pool.map(one, range(args.memos)))
    people_done = time.monotonic()
    chaos_thread.join()  # the remaining kills still come, at the same pace
    last_restart = chaos.done[-1][1] if chaos.done else people_done
    settled = wait_until_settled(engine, memo_ids, receiver, last_restart + args.grace)
    office.close()
    result = count(engine, memo_ids, receiver, acknowledged)
    result.update(
        events=Counter(event.split(":")[0] for event, _ in chaos.done),
        people_seconds=people_done - started,
        settled_after_last_restart=settled - last_restart if settled else None,
    )
    return result


def wait_until_settled(engine, memo_ids: list[int], receiver: WebhookReceiver, deadline: float) -> float | None:  # noqa: ANN001
    """The moment every memo was published and its flow work done, or None at the deadline."""
    while time.monotonic() < deadline:
        with session_scope(engine) as session:
            published = session.exec(
                select(func.count()).select_from(Publication).where(Publication.memo_id.in_(memo_ids))
            ).one()
            undone = sum(len(undone_signal_ids(session, memo_id)) for memo_id in memo_ids)
        if published == len(memo_ids) and undone == 0:
            return time.monotonic()
        time.sleep(1)
    return None


def count(engine, memo_ids: list[int], receiver: WebhookReceiver, acknowledged: Acknowledged) -> dict:  # noqa: ANN001
    with session_scope(engine) as session:
        decisions = Counter(session.exec(select(Decision.memo_id).where(Decision.memo_id.in_(memo_ids))).all())
        stages = Counter(session.exec(select(StageRecord.memo_id).where(StageRecord.memo_id.in_(memo_ids))).all())
        publications = Counter(session.exec(select(Publication.memo_id).where(Publication.memo_id.in_(memo_ids))).all())
        subjects = Counter(session.exec(select(Memo.subject)).all())
        undone = [m for m in memo_ids if undone_signal_ids(session, m)]
    # A receiver keeps the first post of each Idempotency-Key (services.publication.channel_posting re-sends a
    # webhook post a killed worker may or may not have made under the same key) and drops repeats.
    first_of_key = {
        key: payload for (_path, payload), key in zip(receiver.requests, receiver.idempotency_keys, strict=True)
    }
    posts = Counter(payload["message"].split("\n")[2] for payload in first_of_key.values())  # the ที่ line
    lost = sum(
        max(acknowledged.decisions[m] - decisions[m], 0) + max(acknowledged.stages[m] - stages[m], 0) for m in memo_ids
    )
    return {
        "memos": len(memo_ids),
        "lost_decisions": lost,
        "submitted_twice": sum(n - 1 for n in subjects.values() if n > 1),
        "duplicate_publications": sum(n - 1 for n in publications.values() if n > 1),
        "duplicate_posts": sum(n - 1 for n in posts.values() if n > 1),
        "repeats_dropped_by_key": len(receiver.requests) - len(first_of_key),
        "unpublished": len(memo_ids) - len(publications),
        "unposted": len(memo_ids) - len(posts),
        "work_not_done": len(undone),
    }


def report(result: dict, args: argparse.Namespace) -> None:
    events = result["events"]
    print(
        f"chaos: {result['memos']} memos by {args.people} people at once in {result['people_seconds']:.0f} s, "
        f"{args.workers} workers; killed -9 and restarted: {events['worker']} workers, "
        f"{events['server']} Prefect servers, {events['web']} web apps"
    )
    settled = result["settled_after_last_restart"]
    print(
        "  every memo published and posted "
        + (
            f"{settled:.0f} s after the last restart"
            if settled is not None
            else f"NOT within {args.grace:.0f} s of the last restart"
        )
    )
    for key in (
        "lost_decisions",
        "submitted_twice",
        "duplicate_publications",
        "duplicate_posts",
        "repeats_dropped_by_key",
    ):
        print(f"  {key.replace('_', ' ')}: {result[key]}")
    print(
        f"  not published {args.grace:.0f} s after the last restart: {result['unpublished']} "
        f"(not posted: {result['unposted']}, work not done: {result['work_not_done']})"
    )


if __name__ == "__main__":
    main()
