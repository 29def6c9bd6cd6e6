"""Memos per minute through the whole chain (no returns), CPU-seconds per memo over every process,
wakes per memo, and decision → work done latency; beside a bare Prefect flow that wakes as often.

    uv run python -m bench.throughput --memos 20                        # embedded default
    uv run python -m bench.throughput --memos 20 --topology --workers 2 # PostgreSQL topology

People act through the web app's JSON API (bench.people) from several threads at once. The
embedded default is `saraban serve`'s stack (SQLite, a local Prefect server, one runner, the
deliverer thread); the topology is bench.topology's processes on PostgreSQL (needs
SARABAN_TEST_POSTGRES_URL or --postgres, a role that may create databases). "Work done" is the
moment the memo's flow signals are all done: typeset and proofread after the submission,
published and posted after the last approval. The proofreader waits for the automated report
before confirming ทาน, as on the memo page, so each memo's run wakes as it would in an office.
"""

import argparse
import datetime as dt
import os
import resource
import statistics
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.context import refresh_global_settings_context
from sqlalchemy import create_engine, text
from sqlmodel import select

from bench.bare_baseline import describe, run_bare
from bench.people import Office
from bench.topology import Topology, _cpu_ticks, descendants
from deployments.local_server import free_port
from deployments.stack import running_stack
from models import FlowSignal, Memo
from models.db import default_engine, make_engine, session_scope
from models.migrate import upgrade
from models.settings import get_settings
from services.orchestration.flow_work import has_report
from tests.builders import load_kokphutsa
from web.app import create_app
from web.server import web_in_background


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memos", type=int, default=20)
    parser.add_argument("--people", type=int, default=4, help="threads acting at once")
    parser.add_argument("--topology", action="store_true", help="PostgreSQL, work pool, workers, web, deliverer")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--cold",
        action="store_true",
        help="topology only: also run it with plain `prefect worker start` workers, for comparison",
    )
    parser.add_argument("--postgres", default="", help="admin URL (default SARABAN_TEST_POSTGRES_URL)")
    args = parser.parse_args()
    if not args.topology:
        report(run_embedded(args), args)
        return
    report(run_topology(args, warm=True), args)
    if args.cold:
        report(run_topology(args, warm=False), args)


def run_topology(args: argparse.Namespace, *, warm: bool) -> dict:
    admin_url = args.postgres or os.environ["SARABAN_TEST_POSTGRES_URL"]
    with databases(admin_url) as (saraban_url, prefect_url), tempfile.TemporaryDirectory() as home:
        office = Topology(Path(home), saraban_url, prefect_url)
        try:
            office.start_server()
            office.saraban("init")
            office.saraban("org", "load", "--demo", "examples/kokphutsa/organisation.yaml")
            office.saraban("deploy")
            for index in range(args.workers):
                office.start_worker(f"worker-{index}", warm=warm)
            office.start_deliverer()
            site = office.start_web()
            os.environ["PREFECT_API_URL"] = office.api_url  # this process reads the runs' states
            os.environ["PREFECT_API_AUTH_STRING"] = office.auth_string
            refresh_global_settings_context()
            before = office.cpu_by_process()
            result = drive([site], make_engine(saraban_url), args)
            after = office.cpu_by_process()
            result["cpu_by_process"] = {name: after[name] - before.get(name, 0) for name in after}
            result["cpu_seconds"] = sum(result["cpu_by_process"].values())
            result["workers"] = "`saraban worker` (warm)" if warm else "`prefect worker start` (cold)"
            return result
        finally:
            office.stop_all()


def run_embedded(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as home:
        os.environ["SARABAN_HOME"] = home
        os.environ.pop("SARABAN_DATABASE_URL", None)
        get_settings.cache_clear()
        default_engine.cache_clear()
        upgrade(get_settings().resolved_database_url)
        load_kokphutsa(default_engine())
        with running_stack(), web_in_background(create_app(), free_port()) as site:

            def cpu() -> float:
                own = resource.getrusage(resource.RUSAGE_SELF)
                ticks = sum(_cpu_ticks(pid) for pid in descendants(os.getpid()))
                return own.ru_utime + own.ru_stime + ticks / os.sysconf("SC_CLK_TCK")

            before = cpu()
            result = drive([site], default_engine(), args)
            result["cpu_seconds"] = cpu() - before
            result["bare"] = run_bare(args.memos, max(round(result["wakes"]), 2))
            return result


class databases:  # noqa: N801  (a context manager read as a phrase)
    """Two fresh PostgreSQL databases (Saraban's, Prefect's), dropped afterwards."""

    def __init__(self, admin_url: str) -> None:
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.base = admin_url.rsplit("/", 1)[0]
        self.names = [f"bench_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("saraban", "prefect")]

    def __enter__(self) -> tuple[str, str]:
        with self.admin.connect() as connection:
            for name in self.names:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        return f"{self.base}/{self.names[0]}", f"{self.base.replace('+psycopg', '+asyncpg')}/{self.names[1]}"

    def __exit__(self, *_exc: object) -> None:
        with self.admin.connect() as connection:
            for name in self.names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def drive(sites: list[str], engine, args: argparse.Namespace) -> dict:  # noqa: ANN001
    """Every memo submitted, prepared and signed by people in `args.people` threads; waits until
    every memo's work is done; timings per memo."""
    office, lock = Office(sites), threading.Lock()
    submitted_at: dict[int, float] = {}
    approved_at: dict[int, float] = {}

    def one(index: int) -> None:
        memo_id = office.submit(index)
        with lock:
            submitted_at[memo_id] = time.monotonic()
        wait_for_report(engine, memo_id)  # the proofreader reads the automated report first
        office.prepare(memo_id, index)
        approved = office.sign_all(memo_id, index)
        with lock:
            approved_at[memo_id] = approved

    started = time.monotonic()
    watcher = DoneWatcher(engine)
    watcher.start()
    with ThreadPoolExecutor(args.people) as pool:
        list(pool.map(one, range(args.memos)))
    done_at = watcher.wait_for(set(approved_at))
    elapsed = time.monotonic() - started
    office.close()
    latencies = [done_at[m] - approved_at[m] for m in approved_at if m in done_at]
    return {
        "memos": len(done_at),
        "elapsed": elapsed,
        "latencies": latencies,
        "wakes": wakes_per_memo(engine, list(approved_at)),
        "phases": publication_phases(engine, list(approved_at)),
    }


def wait_for_report(engine, memo_id: int, timeout: float = 1800) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope(engine) as session:
            if has_report(session, memo_id, 1):
                return
        time.sleep(0.2)
    raise RuntimeError(f"memo {memo_id}: no proofreading report within {timeout} s")


class DoneWatcher(threading.Thread):
    """When each memo's flow work was last seen all done (polled every 0.2 s from the database)."""

    def __init__(self, engine) -> None:  # noqa: ANN001
        super().__init__(daemon=True)
        self.engine, self.done_at, self.stop = engine, {}, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            with session_scope(self.engine) as session:
                ids = set(session.exec(select(Memo.id)))
                undone = set(session.exec(select(FlowSignal.memo_id).where(FlowSignal.done_at.is_(None))))
            now = time.monotonic()
            for memo_id in ids - undone:
                self.done_at.setdefault(memo_id, now)
            for memo_id in undone:
                self.done_at.pop(memo_id, None)

    def wait_for(self, memo_ids: set[int], timeout: float = 1800) -> dict[int, float]:
        deadline = time.monotonic() + timeout
        while not memo_ids <= set(self.done_at) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.stop.set()
        return {m: self.done_at[m] for m in memo_ids if m in self.done_at}


def wakes_per_memo(engine, memo_ids: list[int]) -> float:  # noqa: ANN001
    """Runs started or resumed per memo, from Prefect's state history."""
    with session_scope(engine) as session:
        run_ids = [session.get(Memo, m).flow_run_id for m in memo_ids]
    with get_client(sync_client=True) as client:
        counts = [sum(1 for s in client.read_flow_run_states(uuid.UUID(r)) if s.is_running()) for r in run_ids if r]
    return statistics.mean(counts) if counts else 0.0


PHASES = ("approval → signal delivered", "delivered → worker took the run", "took → run started", "started → work done")


def publication_phases(engine, memo_ids: list[int]) -> dict[str, float]:  # noqa: ANN001
    """Where the time after the last approval goes, p50 of each phase in seconds: the outbox
    signal's own times, and the resumed run's states (Pending: a worker took it; Running)."""
    spans: dict[str, list[float]] = {name: [] for name in PHASES}
    with session_scope(engine) as session:
        rows = [
            (session.get(Memo, memo_id).flow_run_id, signal)
            for memo_id in memo_ids
            for signal in session.exec(
                select(FlowSignal).where(FlowSignal.memo_id == memo_id, FlowSignal.reason == "approved")
            )
        ]
    with get_client(sync_client=True) as client:
        for run_id, signal in rows:
            if not (run_id and signal.delivered_at and signal.done_at):
                continue
            delivered = signal.delivered_at.replace(tzinfo=dt.UTC)
            later = [s for s in client.read_flow_run_states(uuid.UUID(run_id)) if s.timestamp >= delivered]
            pending = next((s.timestamp for s in later if s.is_pending()), None)
            running = next((s.timestamp for s in later if s.is_running()), None)
            if pending is None or running is None:
                continue
            marks = [
                signal.created_at.replace(tzinfo=dt.UTC),
                delivered,
                pending,
                running,
                signal.done_at.replace(tzinfo=dt.UTC),
            ]
            for name, start, end in zip(PHASES, marks, marks[1:], strict=False):
                spans[name].append((end - start).total_seconds())
    return {name: statistics.median(values) for name, values in spans.items() if values}


def report(result: dict, args: argparse.Namespace) -> None:
    where = (
        f"topology, {args.workers} {result['workers']} workers, PostgreSQL"
        if args.topology
        else "embedded default (SQLite)"
    )
    latencies = sorted(result["latencies"])
    p95 = latencies[max(int(len(latencies) * 0.95) - 1, 0)] if latencies else float("nan")
    print(
        f"{where}: {result['memos']} memos in {result['elapsed']:.1f} s = "
        f"{result['memos'] / result['elapsed'] * 60:.1f} memos/min"
    )
    print(f"  CPU: {result['cpu_seconds'] / max(result['memos'], 1):.2f} CPU-s per memo (all processes)")
    for name, seconds in result.get("cpu_by_process", {}).items():
        print(f"    {name}: {seconds / max(result['memos'], 1):.2f} CPU-s per memo")
    print(f"  wakes per memo: {result['wakes']:.2f}")
    print(f"  last approval → published and posted: p50 {statistics.median(latencies):.2f} s, p95 {p95:.2f} s")
    if result.get("phases"):
        print("    p50 by phase: " + "; ".join(f"{name} {seconds:.2f} s" for name, seconds in result["phases"].items()))
    if "bare" in result:
        print(f"  beside it, {describe(result['bare'])}")


if __name__ == "__main__":
    main()
