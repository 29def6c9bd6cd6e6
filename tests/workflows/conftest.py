"""Waiting for and resuming memo flow runs on the session's real Prefect server."""

import time
import uuid

from prefect.client.orchestration import get_client
from prefect.flow_runs import resume_flow_run

from models import Memo
from models.db import session_scope

WAIT_SECONDS = 120


def flow_run_id(memo_id: int) -> uuid.UUID:
    with session_scope() as session:
        return uuid.UUID(session.get(Memo, memo_id).flow_run_id)


def wait_until_paused_at(run_id: uuid.UUID, pause_key: str) -> None:
    def paused_there(state) -> bool:  # noqa: ANN001
        return state.is_paused() and state.state_details.pause_key == pause_key

    wait_for_state(run_id, paused_there, f"paused at {pause_key}")


def wait_until_final(run_id: uuid.UUID):  # noqa: ANN201
    return wait_for_state(run_id, lambda state: state.is_final(), "finished")


def wait_for_state(run_id: uuid.UUID, accept, what: str):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + WAIT_SECONDS
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            state = client.read_flow_run(run_id).state
            if accept(state):
                return state
            if state.is_final() and not accept(state):
                raise AssertionError(f"run ended {state.name} while waiting to be {what}: {state.message}")
            time.sleep(0.3)
    raise AssertionError(f"run {run_id} not {what} within {WAIT_SECONDS} s (now {state.name} "
                         f"{state.state_details.pause_key})")


def resume_from_prefect_ui(run_id: uuid.UUID, answer: dict) -> None:
    """What the Prefect UI's resume form sends; retried over the moment before the form exists."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            resume_flow_run(run_id, run_input=answer)
            return
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def stored_answer(run_id: uuid.UUID, pause_key: str) -> str:
    with get_client(sync_client=True) as client:
        return client.read_flow_run_input(run_id, f"suspended-{pause_key}-response")
