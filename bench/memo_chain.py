"""Push N memos through the whole chain (with one return each) on embedded defaults, and the
same number of suspend/resume cycles through a bare flow, side by side.

    uv run python -m bench.memo_chain --memos 4

Prints memos/minute, sign-off commit latency (p50/p99), and seconds from a resume to the
run's next suspension, for the memo flow and for the bare flow.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.deployments import run_deployment
from prefect.flow_runs import resume_flow_run

from cli.demo import DEMO_PIN, draft_004, prepare_database
from deployments.stack import running_stack
from models import Memo
from models.db import default_engine, session_scope
from models.enums import DecisionKind, Stage
from models.settings import get_settings
from services.flow_bridge import Delivery, FlowBridge
from services.memos import record_stage, revise_memo, submit_memo
from services.signoff import SignOffRequest, sign_off

STAGES = (("wanna", Stage.TYPESET), ("preecha", Stage.PROOFREAD), ("kanokporn", Stage.CHECK))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def pause_key(run_id: str) -> tuple[str, bool]:
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(uuid.UUID(run_id)).state
    return (state.state_details.pause_key or "", state.is_paused() or state.is_final())


def wait_for_next_suspension(run_id: str, previous_key: str) -> float:
    start = time.perf_counter()
    while True:
        key, settled = pause_key(run_id)
        if settled and key != previous_key:
            return time.perf_counter() - start
        time.sleep(0.05)


class MemoBench:
    def __init__(self) -> None:
        self.commit_seconds: list[float] = []
        self.resume_to_suspend: list[float] = []
        self.bridge = FlowBridge()

    def act(self, memo_id: int, action) -> None:  # noqa: ANN001
        run_id = _run_id(memo_id)
        self._wait_until_suspended(run_id)
        key, _ = pause_key(run_id)
        start = time.perf_counter()
        with session_scope() as session:
            action(session)
        self.commit_seconds.append(time.perf_counter() - start)
        if self.bridge.deliver(memo_id) is Delivery.RESUMED:
            self.resume_to_suspend.append(wait_for_next_suspension(run_id, key))

    def sign(self, memo_id: int, username: str, kind: DecisionKind = DecisionKind.APPROVE) -> None:
        run_id = _run_id(memo_id)
        self._wait_until_suspended(run_id)
        key, _ = pause_key(run_id)
        start = time.perf_counter()
        sign_off(SignOffRequest(memo_id=memo_id, username=username, pin=DEMO_PIN, decision=kind,
                                minute="โปรดพิจารณา" if kind is DecisionKind.APPROVE else "ขอให้แก้ไข", via="bench"))
        self.commit_seconds.append(time.perf_counter() - start)
        if self.bridge.deliver(memo_id) is Delivery.RESUMED:
            self.resume_to_suspend.append(wait_for_next_suspension(run_id, key))

    @staticmethod
    def _wait_until_suspended(run_id: str) -> None:
        while not pause_key(run_id)[1]:
            time.sleep(0.05)

    def run(self, memos: int) -> tuple[float, int]:
        """Every memo goes round once with a return; the memos move in lockstep."""
        start = time.perf_counter()
        ids = []
        for _ in range(memos):
            with session_scope() as session:
                ids.append(submit_memo(session, username="somying", pin=DEMO_PIN, draft=draft_004()).id)
            self.bridge.start(ids[-1])
        for memo_id in ids:
            self._round(memo_id, returned=True)
        for memo_id in ids:
            self._round(memo_id, returned=False)
        for memo_id in ids:
            self._wait_until_finished(_run_id(memo_id))
        return time.perf_counter() - start, len(self.resume_to_suspend)

    def _round(self, memo_id: int, *, returned: bool) -> None:
        for username, stage in STAGES:
            self.act(memo_id, lambda s, u=username, st=stage: record_stage(s, memo_id=memo_id, username=u,
                                                                          pin=DEMO_PIN, stage=st))
        self.sign(memo_id, "kanokporn")
        if returned:
            self.sign(memo_id, "phakphum", DecisionKind.RETURN)
            revised = draft_004().model_copy(update={"considerations": "ฉบับแก้ไข"})
            self.act(memo_id, lambda s: revise_memo(s, memo_id=memo_id, username="somying", pin=DEMO_PIN,
                                                     draft=revised, note="แก้ไข"))
            return
        self.sign(memo_id, "phakphum")
        self.sign(memo_id, "phakphum")

    @staticmethod
    def _wait_until_finished(run_id: str) -> None:
        with get_client(sync_client=True) as client:
            while not client.read_flow_run(uuid.UUID(run_id)).state.is_final():
                time.sleep(0.1)


def _run_id(memo_id: int) -> str:
    with session_scope() as session:
        return session.get(Memo, memo_id).flow_run_id


def bare_bench(runs: int, waits: int) -> list[float]:
    """Seconds from each resume to the bare flow's next suspension."""
    env = {**os.environ}
    server = subprocess.Popen([sys.executable, "-m", "bench.bare_flow"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_deployment("bench-bare/bench-bare")
        run_ids = [str(run_deployment("bench-bare/bench-bare", parameters={"waits": waits}, timeout=0).id)
                   for _ in range(runs)]
        timings = []
        for index in range(waits):
            for run_id in run_ids:
                while pause_key(run_id)[0] != f"w{index}-a0":
                    time.sleep(0.05)
                _resume(run_id, {"ref": index})
                timings.append(wait_for_next_suspension(run_id, f"w{index}-a0"))
        return timings
    finally:
        server.terminate()
        server.wait()


def _resume(run_id: str, payload: dict) -> None:
    while True:
        try:
            resume_flow_run(uuid.UUID(run_id), run_input=payload)
            return
        except RuntimeError:  # the input schema is saved a moment after the pause
            time.sleep(0.05)


def _wait_for_deployment(name: str) -> None:
    with get_client(sync_client=True) as client:
        for _ in range(600):
            try:
                client.read_deployment_by_name(name)
                return
            except Exception:  # noqa: BLE001
                time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memos", type=int, default=4)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="saraban-bench-"))
    os.environ["SARABAN_HOME"] = str(home)
    get_settings.cache_clear()
    default_engine.cache_clear()
    prepare_database()
    with running_stack():
        bench = MemoBench()
        seconds, resumes = bench.run(args.memos)
        bare = bare_bench(args.memos, resumes // args.memos)
    print(f"memos: {args.memos} through the chain with one return each ({resumes} resumes), SQLite + local server")
    print(f"memos/minute: {args.memos / seconds * 60:.2f}  ({seconds:.1f} s in all)")
    print(f"sign-off/stage commit latency: p50 {percentile(bench.commit_seconds, 50) * 1000:.0f} ms, "
          f"p99 {percentile(bench.commit_seconds, 99) * 1000:.0f} ms  (n={len(bench.commit_seconds)}; Argon2 PIN check included)")
    print(f"resume -> next suspension, memo flow: p50 {statistics.median(bench.resume_to_suspend):.2f} s, "
          f"p99 {percentile(bench.resume_to_suspend, 99):.2f} s")
    print(f"resume -> next suspension, bare flow: p50 {statistics.median(bare):.2f} s, "
          f"p99 {percentile(bare, 99):.2f} s  (n={len(bare)})")


if __name__ == "__main__":
    main()
