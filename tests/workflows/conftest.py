"""Waiting for and resuming memo flow runs on the session's real Prefect server."""

import time
import uuid

import pytest
from prefect.client.orchestration import get_client
from prefect.flow_runs import resume_flow_run
from sqlmodel import select

from models import FlowSignal, Memo, Organisation
from models.db import session_scope
from services.outbox.flow_signals import wait_until_done
from tests.builders import operator_scope
from workflows.delivery import Deliverer, Outcome

WAIT_SECONDS = 180
PASSWORD = "demo-password"  # every demo account's (examples/kokphutsa/organisation.yaml)


@pytest.fixture
def prefect_ui_signing(stack):  # noqa: ANN001, ANN201
    """The organisation's administrator has turned signing in the Prefect UI's form on."""
    set_prefect_ui_signing(True)
    yield
    set_prefect_ui_signing(False)


def set_prefect_ui_signing(on: bool) -> None:
    with operator_scope() as session:
        org = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
        org.prefect_ui_signing = on


def flow_run_id(memo_id: int) -> uuid.UUID:
    with session_scope() as session:
        return uuid.UUID(session.get(Memo, memo_id).flow_run_id)


def work_done(memo_id: int) -> None:
    assert wait_until_done([memo_id], WAIT_SECONDS)[memo_id], f"memo {memo_id}: flow work not done in time"


def wait_until_suspended(run_id: uuid.UUID, *, other_than: str = ""):  # noqa: ANN201
    """The run's state once it is suspended (at a pause key other than `other_than`)."""

    def suspended(state) -> bool:  # noqa: ANN001
        return state.is_paused() and state.state_details.pause_key != other_than

    return wait_for_state(run_id, suspended, "suspended")


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
    raise AssertionError(
        f"run {run_id} not {what} within {WAIT_SECONDS} s (now {state.name} {state.state_details.pause_key})"
    )


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


def executions(run_id: uuid.UUID) -> int:
    """How many times the run was started or woken: its Running states."""
    with get_client(sync_client=True) as client:
        return sum(1 for s in client.read_flow_run_states(run_id) if s.is_running())


def signals(memo_id: int) -> list[FlowSignal]:
    with session_scope() as session:
        return list(session.exec(select(FlowSignal).where(FlowSignal.memo_id == memo_id).order_by(FlowSignal.id)))


def deliver_until_resumed(memo_id: int) -> None:
    """Deliver by hand until the memo's run is resumed: a run that has only just suspended may
    not have saved its form yet ("Run input schema not found"), and its signal is tried again."""
    deadline = time.monotonic() + WAIT_SECONDS
    while (outcome := Deliverer().deliver_pending().get(memo_id)) is not Outcome.RESUMED:
        assert outcome in (None, Outcome.BUSY), f"memo {memo_id}: {outcome}"
        assert time.monotonic() < deadline, f"memo {memo_id} was never resumed"
        time.sleep(0.5)
