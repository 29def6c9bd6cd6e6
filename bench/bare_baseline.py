"""Bare Prefect flows that wake as often as the memos did, on the same server: the floor any
flow pays on this machine (a new interpreter per wake, the runner's poll, the API calls)."""

import os
import statistics
import subprocess
import sys
import time
import uuid

from prefect.client.orchestration import get_client
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound
from prefect.flow_runs import resume_flow_run

from bench.topology import _cpu_ticks, descendants

DEPLOYMENT = "bench-bare/bench-bare"


def run_bare(runs: int, wakes: int) -> dict:
    """`runs` flows, each started then resumed until it has run `wakes` times, resumed as soon
    as each suspends; elapsed seconds, resume → next suspension or end latencies, CPU-s per run."""
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.bare_flow"],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_deployment()
        before = _cpu(server.pid)
        started = time.monotonic()
        ids = [run_deployment(DEPLOYMENT, parameters={"wakes": wakes}, timeout=0).id for _ in range(runs)]
        latencies = _resume_until_done(ids)
        elapsed = time.monotonic() - started
        return {
            "runs": runs,
            "wakes": wakes,
            "elapsed": elapsed,
            "latencies": latencies,
            "cpu_per_run": (_cpu(server.pid) - before) / runs,
        }
    finally:
        server.terminate()
        server.wait()


def _resume_until_done(ids: list[uuid.UUID], timeout: float = 900) -> list[float]:
    resumed_at: dict[uuid.UUID, float] = {}
    latencies, pending = [], set(ids)
    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while pending:
            if time.monotonic() > deadline:  # e.g. the runner died (see bench.bare_flow's log)
                states = {str(run_id): client.read_flow_run(run_id).state.name for run_id in pending}
                raise RuntimeError(f"bare runs not done within {timeout} s: {states}")
            for run_id in list(pending):
                state = client.read_flow_run(run_id).state
                if run_id in resumed_at and (state.is_paused() or state.is_final()):
                    latencies.append(time.monotonic() - resumed_at.pop(run_id))
                if state.is_final():
                    pending.discard(run_id)
                elif state.is_paused() and run_id not in resumed_at:
                    try:
                        resume_flow_run(run_id, run_input={"ref": 1})
                        resumed_at[run_id] = time.monotonic()
                    except RuntimeError:
                        pass  # the input schema is saved a moment after the pause
            time.sleep(0.1)
    return latencies


def _cpu(pid: int) -> float:
    return sum(_cpu_ticks(p) for p in [pid, *descendants(pid)]) / os.sysconf("SC_CLK_TCK")


def _wait_for_deployment() -> None:
    with get_client(sync_client=True) as client:
        for _ in range(600):
            try:
                client.read_deployment_by_name(DEPLOYMENT)
                return
            except ObjectNotFound:
                time.sleep(0.1)


def describe(result: dict) -> str:
    latencies = sorted(result["latencies"]) or [float("nan")]
    p95 = latencies[max(int(len(latencies) * 0.95) - 1, 0)]
    return (
        f"bare flow ({result['runs']} runs × {result['wakes']} wakes): "
        f"{result['runs'] / result['elapsed'] * 60:.1f} runs/min, {result['cpu_per_run']:.2f} CPU-s per run "
        f"(runner and its flow processes), resume → next wait p50 {statistics.median(latencies):.2f} s, "
        f"p95 {p95:.2f} s"
    )
