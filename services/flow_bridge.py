"""Telling a memo's Prefect flow run what the database has recorded.

The database decides; the flow run follows. After an action commits, `deliver` looks at the
run: when it is suspended at the wait that the action settles, it resumes it with a
reference to the recorded row. If the run is still busy reaching that point, it finds the
record itself when it gets there (see workflows.memo_routing.wait_for). Anything lost in
between (a crash after the commit, a server that was down) is picked up by `reconcile`.
"""

import logging
import time
import uuid
from dataclasses import dataclass
from enum import StrEnum

from prefect.client.orchestration import get_client
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound
from prefect.flow_runs import NotPausedError, resume_flow_run
from sqlalchemy import Engine
from sqlmodel import select

from models import Decision, Memo, Person
from models.db import session_scope
from models.enums import MemoStatus
from models.waits import Wait, wait_from_pause_key
from services.progress import action_at
from workflows.inputs import RecordedAction, SignOffForm
from workflows.names import memo_deployment_path, memo_run_name

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5


class Delivery(StrEnum):
    RESUMED = "resumed"  # the run was suspended at the settled wait and now continues
    WAITING_FOR_OTHERS = "waiting"  # the run waits for something nobody has done yet
    FINISHED = "finished"  # the run has ended
    NOT_YET = "not-yet"  # the run is still moving; it will find the record itself
    NO_RUN = "no-run"  # the memo has no flow run yet


@dataclass
class FlowBridge:
    engine: Engine | None = None
    patience_seconds: float = 0.0  # how long `deliver` waits for a busy run to suspend

    def start(self, memo_id: int) -> str:
        """Create the memo's flow run (once: the idempotency key makes a repeat a no-op)."""
        with session_scope(self.engine) as session:
            memo = session.get(Memo, memo_id)
            name = memo_run_name(memo.id, memo.register_number)
        run = run_deployment(memo_deployment_path(), parameters={"memo_id": memo_id}, flow_run_name=name,
                             timeout=0, idempotency_key=f"memo-{memo_id}")
        with session_scope(self.engine) as session:
            session.get(Memo, memo_id).flow_run_id = str(run.id)
        return str(run.id)

    def deliver(self, memo_id: int) -> Delivery:
        deadline = time.monotonic() + self.patience_seconds
        while True:
            outcome = self._deliver_once(memo_id)
            if outcome is not Delivery.NOT_YET or time.monotonic() >= deadline:
                return outcome
            time.sleep(POLL_SECONDS)

    def _deliver_once(self, memo_id: int) -> Delivery:
        with session_scope(self.engine) as session:
            run_id = session.get(Memo, memo_id).flow_run_id
        if not run_id:
            return Delivery.NO_RUN
        state = _read_state(run_id)
        if state is None or state.is_final():
            return Delivery.FINISHED
        if not state.is_paused():
            return Delivery.NOT_YET
        return self._resume_if_settled(memo_id, run_id, state.state_details.pause_key)

    def _resume_if_settled(self, memo_id: int, run_id: str, pause_key: str) -> Delivery:
        wait = wait_from_pause_key(pause_key)
        if wait is None:
            return Delivery.WAITING_FOR_OTHERS
        payload = self._payload(memo_id, wait)
        if payload is None:
            return Delivery.WAITING_FOR_OTHERS
        try:
            resume_flow_run(uuid.UUID(run_id), run_input=payload)
        except NotPausedError:
            return Delivery.NOT_YET  # someone else resumed it first
        except RuntimeError as error:
            # "Run input schema not found": the run shows Suspended a moment before its form
            # is saved. Try again on the next poll.
            log.info("memo %s: resume not accepted yet (%s)", memo_id, error)
            return Delivery.NOT_YET
        return Delivery.RESUMED

    def _payload(self, memo_id: int, wait: Wait) -> dict | None:
        with session_scope(self.engine) as session:
            ref = action_at(session, memo_id, wait)
            if ref is None:
                return None
            if wait.step is None:
                return RecordedAction(action_ref=ref).model_dump()
            decision = session.get(Decision, ref)
            signer = session.get(Person, decision.signer_id)
            # The PIN was checked when the decision was recorded; the run checks the reference.
            return SignOffForm(username=signer.username, pin="", decision=decision.kind.value,
                               minute=decision.minute, decision_ref=ref).model_dump()

    def reconcile(self) -> dict[int, Delivery]:
        """Start missing runs and deliver whatever is recorded but not yet delivered."""
        with session_scope(self.engine) as session:
            memos = session.exec(select(Memo.id, Memo.flow_run_id).where(Memo.status != MemoStatus.PUBLISHED)).all()
        outcomes = {}
        for memo_id, run_id in memos:
            if not run_id:
                self.start(memo_id)
            outcomes[memo_id] = FlowBridge(self.engine).deliver(memo_id)
        return outcomes


def _read_state(run_id: str):  # noqa: ANN202
    with get_client(sync_client=True) as client:
        try:
            return client.read_flow_run(uuid.UUID(run_id)).state
        except ObjectNotFound:
            return None
