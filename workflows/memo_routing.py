"""One flow run per memo: preparation stages, each sign-off step, then publication.

A memo waiting for a person holds no process: the run suspends and exits, and a resume
starts it again from the top. Everything with a side effect is a task whose result is
kept per flow run, so the replay only re-reads; the waits already settled are found in
the database, which is the authority for what was decided.
"""

from prefect import flow, get_run_logger
from prefect.flow_runs import suspend_flow_run

from models import Decision, Memo
from models.db import session_scope
from models.enums import DecisionKind, Stage
from models.waits import Wait
from services.progress import action_at
from tasks.answers import apply_answer
from tasks.documents import proofread_memo, render_memo_after, typeset_memo
from tasks.publish import post_to_channels, publish_announcement
from workflows.inputs import RecordedAction, SignOffForm
from workflows.names import MEMO_FLOW
from workflows.wait_descriptions import describe_wait


@flow(name=MEMO_FLOW, persist_result=True)
def route_memo(memo_id: int) -> dict[str, str]:
    round_no = 1
    while True:
        memo_path = typeset_memo(memo_id, round_no)
        wait_for(memo_id, Wait(round_no, stage=Stage.TYPESET))
        proofread_memo(memo_id, round_no, memo_path)
        wait_for(memo_id, Wait(round_no, stage=Stage.PROOFREAD))
        wait_for(memo_id, Wait(round_no, stage=Stage.CHECK))
        if review(memo_id, round_no):
            published = publish_announcement(memo_id)
            post_to_channels(memo_id)  # after the publication committed: a dead channel cannot undo it
            return published
        wait_for(memo_id, Wait(round_no))  # the drafter's revision
        round_no += 1


def review(memo_id: int, round_no: int) -> bool:
    """Each sign-off step in turn; False as soon as one returns the memo."""
    for step in range(_steps_total(memo_id)):
        decision_id = wait_for(memo_id, Wait(round_no, step=step))
        render_memo_after(memo_id, decision_id)
        if _decision_kind(decision_id) == DecisionKind.RETURN:
            return False
    return True


def wait_for(memo_id: int, wait: Wait) -> int:
    """The id of the record that settles `wait`, suspending the run until there is one."""
    attempt = 0
    while True:
        recorded = _recorded(memo_id, wait)
        if recorded is not None:
            return recorded
        form = SignOffForm if wait.step is not None else RecordedAction
        pause_key = wait.pause_key(attempt)
        get_run_logger().info("memo %s waits at %s", memo_id, pause_key)
        answer = suspend_flow_run(wait_for_input=form.with_initial_data(description=describe_wait(memo_id, wait)),
                                  key=pause_key, timeout=None)
        accepted = apply_answer(memo_id, wait, answer.model_dump(), pause_key)
        if accepted is not None:
            return accepted
        attempt += 1  # refused: wait again at the same point under a new key


def _recorded(memo_id: int, wait: Wait) -> int | None:
    with session_scope() as session:
        return action_at(session, memo_id, wait)


def _steps_total(memo_id: int) -> int:
    with session_scope() as session:
        return session.get(Memo, memo_id).steps_total


def _decision_kind(decision_id: int) -> DecisionKind:
    with session_scope() as session:
        return session.get(Decision, decision_id).kind
