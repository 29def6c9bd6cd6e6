"""One flow run per memo: it wakes only where there is work, and reads where the memo stands.

The database decides; people's actions are recorded by the domain functions, not here. The
run starts when the memo is submitted, typesets and proofreads it, and suspends (no process is
held) until something needs it: the last approval (it then publishes and posts), or a new
revision after a return (it typesets and proofreads that); once published, what its ITA item asks
beside it: the publication request, the staff's acknowledgements (tasks.publish). Each wake asks the database what
to do next (services.orchestration.flow_work), so its cost does not grow with the memo's history; nothing
is replayed. A suspension can also be answered in the Prefect UI's resume form: when the
organisation allows it, that signs through the same checks as the web app and the CLI, with the
signer's password as well as the PIN (tasks.answers, services.orchestration.prefect_ui_signing).
"""

import secrets

from prefect import flow, get_run_logger
from prefect.client.orchestration import get_client
from prefect.context import FlowRunContext
from prefect.flow_runs import suspend_flow_run

from models import Memo
from models.db import session_scope
from models.enums import MemoStatus
from services.orchestration.flow_work import NextWork, Work, next_work
from services.orchestration.prefect_ui_signing import signing_enabled
from services.outbox.flow_signals import clear_problem, mark_done, record_problem
from tasks.answers import apply_answer, read_answer
from tasks.documents import prepare_revision
from tasks.publish import make_ita_evidence, post_to_channels, publish_announcement
from tasks.run_inputs import SignForm, WakeUp
from workflows.liveness import kept_alive
from workflows.names import MEMO_FLOW
from workflows.wait_descriptions import describe_wait

WORK = {
    Work.PREPARE: lambda memo_id, step: prepare_revision(memo_id, step.round),
    Work.PUBLISH: lambda memo_id, _step: publish_announcement(memo_id),
    Work.POST: lambda memo_id, _step: post_to_channels(memo_id),
    Work.EVIDENCE: lambda memo_id, _step: make_ita_evidence(memo_id),
}


@flow(name=MEMO_FLOW, persist_result=False)
def route_memo(memo_id: int) -> str:
    run_id = str(FlowRunContext.get().flow_run.id)
    take_answer(memo_id, run_id)
    while True:
        step = _next(memo_id)
        if step.work is Work.DONE:  # published and posted, or ended unpublished (withdrawn...)
            _finish(memo_id, step)
            return step.status.value
        if step.work is Work.WAIT:
            _finish(memo_id, step)
            wait_for_people(memo_id, step)  # the process exits here; a resume starts from the top
        _do(memo_id, step)


def take_answer(memo_id: int, run_id: str) -> None:
    """If this run was resumed from the Prefect UI's form, sign off with what was typed. The
    pause key is forgotten only once the answer's secrets are out of Prefect's database: a run
    that dies in between looks at the same answer again."""
    with session_scope() as session:
        pause_key = session.get(Memo, memo_id).flow_wait_key
    if not pause_key:
        return
    with get_client(sync_client=True) as client:
        form = read_answer(client, run_id, pause_key)  # secrets removed from Prefect's copy
    with session_scope() as session:
        session.get(Memo, memo_id).flow_wait_key = ""
    if form is not None:
        get_run_logger().info("memo %s: resumed at %s (%s)", memo_id, pause_key, apply_answer(memo_id, form))


def wait_for_people(memo_id: int, step: NextWork) -> None:
    what = "revision" if step.status == MemoStatus.RETURNED else "approval"
    # Every suspension has a key of its own, so none is ever proposed twice.
    pause_key = f"r{step.round}-{what}-{secrets.token_hex(3)}"
    with session_scope() as session:
        session.get(Memo, memo_id).flow_wait_key = pause_key
    get_run_logger().info("memo %s waits for people at %s", memo_id, pause_key)
    signing = signing_enabled(memo_id)
    form = SignForm if signing else WakeUp
    suspend_flow_run(
        wait_for_input=form.with_initial_data(description=describe_wait(memo_id, signing=signing)),
        key=pause_key,
        timeout=None,
    )


def _next(memo_id: int) -> NextWork:
    with session_scope() as session:
        return next_work(session, memo_id)


def _do(memo_id: int, step: NextWork) -> None:
    try:
        with kept_alive(memo_id):
            WORK[step.work](memo_id, step)
    except Exception as error:
        # Shown on the memo page, in the drafter's list and in `saraban memo show`; the signal
        # stays undone, so the reconciler (or `saraban memo nudge`) runs this work again.
        with session_scope() as session:
            record_problem(session, memo_id, f"{step.work.value}: {type(error).__name__}: {error}")
        raise
    with session_scope() as session:
        clear_problem(session.get(Memo, memo_id))


def _finish(memo_id: int, step: NextWork) -> None:
    # Signals are done only once the run has nothing left to do: if it dies half-way through
    # its work (published, not yet posted), the signal is still undone and a new run finishes.
    with session_scope() as session:
        mark_done(session, step.signal_ids)
        clear_problem(session.get(Memo, memo_id))
