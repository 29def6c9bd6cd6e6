"""What the database says has happened at a wait point: the record the flow run waits for."""

from sqlmodel import Session, select

from models import Decision, Revision, StageRecord
from models.waits import Wait


def action_at(session: Session, memo_id: int, wait: Wait) -> int | None:
    """The id of the stage record, decision or revision that settles `wait`, if recorded."""
    if wait.stage is not None:
        query = select(StageRecord.id).where(StageRecord.memo_id == memo_id, StageRecord.round == wait.round,
                                             StageRecord.stage == wait.stage)
    elif wait.step is not None:
        query = select(Decision.id).where(Decision.memo_id == memo_id, Decision.round == wait.round,
                                          Decision.step_index == wait.step)
    else:
        query = select(Revision.id).where(Revision.memo_id == memo_id, Revision.number == wait.round + 1)
    return session.exec(query).first()
