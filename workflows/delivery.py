"""Handing the outbox to Prefect: start or resume each memo's flow run, and repair what failed.

`Deliverer.deliver_pending` takes the signals never delivered (services.outbox.flow_signals), and for
each memo starts its flow run (a new one when the last Failed or Crashed) or resumes it when
suspended; a run that is busy will find the work itself, so its signal is simply tried again a
moment later. `Deliverer.reconcile` looks at signals delivered a while ago whose work is still
not done: a lost resume is resumed again, a Failed, Crashed or silent (killed) run is replaced.
Both touch only signals not yet done: their cost follows the work pending, not the open memos.
Several deliverers may run at once (`saraban deliver` on two machines): each claims what it sends.

Prefect's database holds nothing Saraban needs to keep: `Deliverer.rebuild` (at start, and
whenever the memo deployment has gone from the server) gives every open memo whose flow run
Prefect does not know a signal, and the new run goes straight to where the memo stands (its
work, or its wait for people); a lost deployment is registered again first.
"""

import datetime as dt
import logging
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound
from prefect.flow_runs import NotPausedError, resume_flow_run
from prefect.states import Crashed
from sqlalchemy import Engine

from models import FlowSignal, Memo
from models.clock import utcnow
from models.db import read_scope, session_scope
from services.orchestration.health import deliverer_heartbeat
from services.outbox.flow_signals import (
    claim_pending,
    claim_stale,
    mark_delivered,
    open_memo_runs,
    record_problem,
    release_for_retry,
    retry_memo_now,
    signal_unless_pending,
)
from workflows.names import memo_deployment_path, memo_run_name

log = logging.getLogger(__name__)

BUSY_RETRY = dt.timedelta(seconds=1)  # a busy run suspends within seconds; look again soon
STALE_AFTER = dt.timedelta(seconds=60)  # delivered, and the work still not done after this
# A Running run not heard of for this long is dead: a working run notes itself alive every
# 10 s (workflows.liveness), so this leaves room for a very busy machine.
SILENT_AFTER = dt.timedelta(seconds=60)
CLAIMED_AFTER = dt.timedelta(seconds=45)  # a worker starts a run it claimed (Pending) within seconds
NO_WORKER_AFTER = dt.timedelta(minutes=5)  # a run nobody picked up: say so on the memo
MAX_AUTOMATIC_RESTARTS = 5  # then the problem waits for `saraban memo nudge`
READ_PAGE = 200  # the most flow runs Prefect's API returns at once


class Outcome(StrEnum):
    STARTED = "started"  # a new flow run was created
    RESUMED = "resumed"  # the suspended run was woken
    BUSY = "busy"  # the run is running: it reads the database before it suspends
    QUEUED = "queued"  # the run waits for a worker
    UNAVAILABLE = "unavailable"  # Prefect did not answer: retried with a back-off
    GAVE_UP = "gave-up"  # failed too often: waits for a nudge


@dataclass
class Deliverer:
    engine: Engine | None = None
    stale_after: dt.timedelta = STALE_AFTER
    silent_after: dt.timedelta = SILENT_AFTER
    claimed_after: dt.timedelta = CLAIMED_AFTER

    def deliver_pending(self) -> dict[int, Outcome]:
        with session_scope(self.engine) as session:
            signals = claim_pending(session)
        return self._each_memo(signals, self._deliver)

    def reconcile(self) -> dict[int, Outcome]:
        with session_scope(self.engine) as session:
            signals = claim_stale(session, older_than=self.stale_after)
        return self._each_memo(signals, self._repair)

    def rebuild(self) -> list[int]:
        """Open memos whose flow run Prefect does not know (its database lost, or restored from
        before the run was made), each given a signal unless one is pending already; the ids of
        those given one."""
        with read_scope(self.engine) as session:
            runs = open_memo_runs(session)
        with get_client(sync_client=True) as client:
            known = _known_runs(client, [run_id for _, run_id in runs])
        missing = [memo_id for memo_id, run_id in runs if run_id not in known]
        if not missing:
            return []
        with session_scope(self.engine) as session:
            signalled = signal_unless_pending(session, missing, "rebuild")
        log.warning("Prefect knew no flow run of %d open memos: new runs for %s", len(missing), signalled)
        return signalled

    def keep_prefect_in_step(self, redeploy: Callable[[], object] | None) -> bool:
        """If the memo deployment is gone from the server (its database lost), register the
        deployments again (`redeploy`) and rebuild the memos' runs; whether it was gone."""
        with get_client(sync_client=True) as client:
            try:
                client.read_deployment_by_name(memo_deployment_path())
                return False
            except ObjectNotFound:
                pass
        if redeploy is None:
            log.error("the memo deployment is missing on the Prefect server: run `saraban deploy`")
            return True
        redeploy()
        log.warning("the Prefect server had lost the deployments: registered them again")
        self.rebuild()
        return True

    def _each_memo(self, signals: list[FlowSignal], handle) -> dict[int, Outcome]:  # noqa: ANN001
        by_memo: dict[int, list[int]] = defaultdict(list)
        for signal in signals:
            by_memo[signal.memo_id].append(signal.id)
        if not by_memo:
            return {}
        try:
            with get_client(sync_client=True) as client:
                outcomes = {memo_id: self._handle(client, handle, memo_id, ids) for memo_id, ids in by_memo.items()}
        except Exception as error:  # noqa: BLE001  (no client at all: no API URL, say)
            outcomes = {memo_id: self._unavailable(memo_id, ids, error) for memo_id, ids in by_memo.items()}
        return outcomes

    def _handle(self, client: SyncPrefectClient, handle, memo_id: int, ids: list[int]) -> Outcome:  # noqa: ANN001
        try:
            return handle(client, memo_id, ids)
        except Exception as error:  # noqa: BLE001  (Prefect down or refusing: try later)
            return self._unavailable(memo_id, ids, error)

    def _unavailable(self, memo_id: int, ids: list[int], error: Exception) -> Outcome:
        log.warning("memo %s: Prefect unavailable (%s); retrying later", memo_id, error)
        self._release(ids, f"Prefect: {type(error).__name__}: {error}", count=True)
        return Outcome.UNAVAILABLE

    def _deliver(self, client: SyncPrefectClient, memo_id: int, ids: list[int]) -> Outcome:
        run = self._run_of(client, memo_id)
        if run is None or run.state.is_final():
            return self._start(memo_id, ids)
        if run.state.is_paused():
            return self._resume(run, ids)
        if run.state.is_scheduled() or run.state.is_pending():
            # Not started yet: it reads the database when it starts, so this signal is its work.
            with session_scope(self.engine) as session:
                mark_delivered(session, ids)
            return Outcome.QUEUED
        # Running: it may already be past its last read and about to suspend; look again soon.
        self._release(ids, "", count=False, delay=BUSY_RETRY)
        return Outcome.BUSY

    def _repair(self, client: SyncPrefectClient, memo_id: int, ids: list[int]) -> Outcome:
        run = self._run_of(client, memo_id)
        with session_scope(self.engine) as session:
            attempts = max(session.get(FlowSignal, i).attempts for i in ids)
            seen = session.get(Memo, memo_id).flow_seen_at
        if run is not None and run.state.is_paused():
            return self._resume(run, ids)  # the resume was lost
        if run is not None and run.state.is_scheduled():
            return self._queued_too_long(memo_id, run, ids)
        # Pending: a worker claimed the run and starts it within seconds, unless it died since.
        claimed_long_ago = (
            run is not None and run.state.is_pending() and utcnow() - run.state.timestamp > self.claimed_after
        )
        busy = run is not None and (run.state.is_pending() or run.state.is_running())
        # A run that died before its first word is silent since it started running.
        silent = run is not None and run.state.is_running() and self._silent(seen or run.state.timestamp)
        if busy and not claimed_long_ago and not silent:
            self._release(ids, "", count=False, delay=BUSY_RETRY)
            return Outcome.BUSY
        if attempts >= MAX_AUTOMATIC_RESTARTS:
            self._release(
                ids,
                "too many failed runs: waiting for `saraban memo nudge`",
                count=False,
                delay=dt.timedelta(days=3650),
            )
            return Outcome.GAVE_UP
        if busy:  # its process (or the worker that claimed it) died: say so in Prefect too
            client.set_flow_run_state(run.id, Crashed(message="Saraban: no sign of life from this run"), force=True)
        self._note_problem(memo_id, run)
        return self._start(memo_id, ids)

    def _start(self, memo_id: int, ids: list[int]) -> Outcome:
        with session_scope(self.engine) as session:
            memo = session.get(Memo, memo_id)
            number, name = memo.flow_runs + 1, memo_run_name(memo.id, memo.register_number)
        run = run_deployment(
            memo_deployment_path(),
            parameters={"memo_id": memo_id},
            timeout=0,
            flow_run_name=name if number == 1 else f"{name} ({number})",
            idempotency_key=f"memo-{memo_id}-run-{number}",
        )
        with session_scope(self.engine) as session:
            memo = session.get(Memo, memo_id)
            memo.flow_run_id, memo.flow_runs, memo.flow_seen_at = str(run.id), number, None
            mark_delivered(session, ids)
        return Outcome.STARTED

    def _resume(self, run: FlowRun, ids: list[int]) -> Outcome:
        try:
            resume_flow_run(run.id, run_input={"signal_ref": max(ids)})  # fits either form
        except (NotPausedError, RuntimeError) as error:
            # Resumed by someone else, or "Run input schema not found": the run shows Suspended
            # a moment before its form is saved. Either way, look again shortly.
            self._release(ids, "", count=False, delay=BUSY_RETRY)
            log.info("run %s not resumed yet (%s)", run.id, error)
            return Outcome.BUSY
        with session_scope(self.engine) as session:
            mark_delivered(session, ids)
        return Outcome.RESUMED

    def _queued_too_long(self, memo_id: int, run: FlowRun, ids: list[int]) -> Outcome:
        if run.expected_start_time and utcnow() - run.expected_start_time > NO_WORKER_AFTER:
            with session_scope(self.engine) as session:
                record_problem(
                    session,
                    memo_id,
                    "ยังไม่มี worker รับงานของบันทึกนี้ (no Prefect worker has picked up "
                    f"flow run {run.name}: is a worker running on the 'saraban' pool?)",
                )
        self._release(ids, "", count=False, delay=STALE_AFTER)
        return Outcome.QUEUED

    def _note_problem(self, memo_id: int, run: FlowRun | None) -> None:
        with session_scope(self.engine) as session:
            memo = session.get(Memo, memo_id)
            if run is not None and not run.state.is_completed() and not memo.flow_problem:
                record_problem(
                    session,
                    memo_id,
                    f"การทำงานของระบบหลังการตัดสินใจหยุดลง ({run.state.name}) "
                    "กำลังเริ่มใหม่ (the flow run stopped; starting a new one)",
                )

    def _release(self, ids: list[int], error: str, *, count: bool, delay: dt.timedelta | None = None) -> None:
        with session_scope(self.engine) as session:
            release_for_retry(session, ids, error, count_attempt=count, delay=delay)

    def _silent(self, seen: dt.datetime) -> bool:
        return utcnow() - seen > self.silent_after

    def _run_of(self, client: SyncPrefectClient, memo_id: int) -> FlowRun | None:
        with session_scope(self.engine) as session:
            run_id = session.get(Memo, memo_id).flow_run_id
        if not run_id:
            return None
        try:
            return client.read_flow_run(uuid.UUID(run_id))
        except ObjectNotFound:
            return None


def _known_runs(client: SyncPrefectClient, run_ids: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(run_ids), READ_PAGE):
        page = [uuid.UUID(run_id) for run_id in run_ids[start : start + READ_PAGE]]
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=page)), limit=READ_PAGE)
        known.update(str(run.id) for run in runs)
    return known


def nudge(memo_ids: list[int], *, engine: Engine | None = None) -> dict[int, Outcome]:
    """Retry now, for these memos, every earlier attempt forgiven: a run that Failed or
    Crashed is replaced, a suspended one woken, and each finds in the database what is left."""
    with session_scope(engine) as session:
        for memo_id in memo_ids:
            retry_memo_now(session, memo_id)
    return Deliverer(engine).deliver_pending()


def run_forever(
    stop: threading.Event,
    *,
    engine: Engine | None = None,
    every_seconds: float = 0.5,
    reconcile_every_seconds: float = 15.0,
    redeploy: Callable[[], object] | None = None,
) -> None:
    """The deliverer's loop (a thread of `saraban serve`, or `saraban deliver`). `redeploy`
    registers the deployments again should the Prefect server have lost them."""
    deliverer, last_reconcile = Deliverer(engine), 0.0
    heartbeat, rebuilt = deliverer_heartbeat(), False
    while not stop.wait(every_seconds):
        try:
            if not rebuilt:  # once at start: Prefect's database may be older than Saraban's
                if not deliverer.keep_prefect_in_step(redeploy):  # which rebuilds when it re-registers
                    deliverer.rebuild()
                rebuilt = True
            deliverer.deliver_pending()
            if time.monotonic() - last_reconcile >= reconcile_every_seconds:
                deliverer.reconcile()
                deliverer.keep_prefect_in_step(redeploy)
                last_reconcile = time.monotonic()
            heartbeat.beat()
        except Exception:  # noqa: BLE001  (a database or server hiccup must not stop delivering)
            log.exception("delivering flow signals failed; retrying")
