"""What 10,000 memos waiting for people cost: the deliverer's and the Prefect server's CPU over
idle minutes, and the server's memory.

    uv run python -m bench.idle --memos 10000 --minutes 5

The idle minutes are measured twice on the same memos: under the Prefect server as Saraban
starts it (pause-expiration service off), then under Prefect's default services.

Embedded default: a SQLite database and a local Prefect server. Each memo is submitted through
the domain function, and its flow run is created on the memo deployment and put in the
Suspended state it would reach after typesetting (running 10,000 flow runs here would take
hours, and a suspended run is only rows: no process). Then the deliverer loop of
`saraban serve` runs over the idle minutes, beside the server, and both are measured; the
reconciler's cost follows what is pending, which here is nothing.
"""

import argparse
import os
import resource
import tempfile
import threading
import time

from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType
from prefect.states import State
from sqlalchemy import update
from sqlmodel import select

from bench.topology import _cpu_ticks, descendants
from cli.demo import DEMO_PIN, draft_004
from deployments.definitions import memo_deployment
from deployments.environment import PAUSE_EXPIRATIONS, configure_prefect
from deployments.local_server import local_prefect_server
from models import FlowSignal, Memo
from models.clock import utcnow
from models.db import default_engine, session_scope
from models.migrate import upgrade
from models.settings import get_settings
from services.memo_life.memos import submit_memo
from tests.builders import load_kokphutsa
from workflows.delivery import run_forever
from workflows.names import memo_deployment_path, memo_run_name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memos", type=int, default=10_000)
    parser.add_argument("--minutes", type=float, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["SARABAN_HOME"] = home
        get_settings.cache_clear()
        default_engine.cache_clear()
        upgrade(get_settings().resolved_database_url)
        load_kokphutsa(default_engine())
        with local_prefect_server() as api_url:
            configure_prefect(api_url)
            _register_memo_deployment()
            started = time.monotonic()
            waiting_memos(args.memos)
            print(f"{args.memos} waiting memos made in {time.monotonic() - started:.0f} s")
            measure(args.minutes, _server_pid(api_url), "Saraban's Prefect server")
        # The same database and memos, under a server with Prefect's default services.
        with local_prefect_server(overrides={PAUSE_EXPIRATIONS: "true"}) as api_url:
            configure_prefect(api_url)
            measure(args.minutes, _server_pid(api_url), "beside it, Prefect's default services")


def waiting_memos(count: int) -> None:
    """Submitted memos whose flow runs are suspended, their signals done, as after typesetting."""
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(memo_deployment_path())
        for index in range(count):
            with session_scope() as session:
                memo = submit_memo(session, username="somying", pin=DEMO_PIN, draft=draft_004(), again=True)
            run = client.create_flow_run_from_deployment(
                deployment.id, parameters={"memo_id": memo.id}, name=memo_run_name(memo.id, memo.register_number)
            )
            client.set_flow_run_state(run.id, State(type=StateType.PAUSED, name="Suspended"), force=True)
            with session_scope() as session:
                session.get(Memo, memo.id).flow_run_id = str(run.id)
                session.exec(
                    update(FlowSignal)
                    .where(FlowSignal.memo_id == memo.id)
                    .values(delivered_at=utcnow(), done_at=utcnow(), attempts=1)
                )
            if index and index % 1000 == 0:
                print(f"  {index} ...", flush=True)


def measure(minutes: float, server_pid: int, server_name: str) -> None:
    ticks = os.sysconf("SC_CLK_TCK")
    stop = threading.Event()
    server_before = sum(_cpu_ticks(p) for p in [server_pid, *descendants(server_pid)]) / ticks
    own_before = _own_cpu()
    thread = threading.Thread(target=run_forever, args=(stop,), daemon=True)
    thread.start()
    time.sleep(minutes * 60)  # the benchmark's measured interval itself
    stop.set()
    thread.join()
    seconds = minutes * 60
    server = sum(_cpu_ticks(p) for p in [server_pid, *descendants(server_pid)]) / ticks - server_before
    deliverer = _own_cpu() - own_before
    with session_scope() as session:
        pending = len(session.exec(select(FlowSignal.id).where(FlowSignal.done_at.is_(None))).all())
    rss_mib = _rss_kib(server_pid) / 1024
    print(f"idle {minutes:g} min with the memos waiting ({pending} signals pending):")
    print(f"  deliverer + reconciler: {deliverer:.2f} CPU-s = {deliverer / seconds * 100:.2f} % of one core")
    print(f"  {server_name}: {server:.2f} CPU-s = {server / seconds * 100:.2f} % of one core; RSS {rss_mib:.0f} MiB")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_kib(pid: int) -> int:
    total = 0
    for p in [pid, *descendants(pid)]:
        try:
            for line in open(f"/proc/{p}/status", encoding="ascii"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def _server_pid(api_url: str) -> int:
    port = api_url.rsplit(":", 1)[1].split("/")[0]
    for pid in descendants(os.getpid()):
        try:
            command = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "server start" in command and port in command:
            return pid
    raise RuntimeError("the Prefect server process was not found")


def _register_memo_deployment() -> None:
    memo_deployment().apply()  # registered, not served: these runs never execute


if __name__ == "__main__":
    main()
