"""The ทาน or ตรวจ person sends the memo back to its drafter with the corrections to make.

Recorded like a return at a sign-off step: one insert-only row (models.StageReturn) with the note,
the person and the exact revision, audited, in the same transaction as the memo's move to
RETURNED. The drafter then revises as after any return (services.memos.revise_memo), and the new
revision goes through every stage again.
"""

from sqlmodel import Session, select

from models import StageReturn, audit
from models.clock import utcnow
from models.enums import Stage
from models.rules import StageReturned, advance, check_return_note, check_stage_actor, check_stage_returner
from services.memos import check_same_organisation, current_revision, memo_for_update, move
from services.people import authenticate_by_pin


def return_at_stage(session: Session, *, memo_id: int, username: str, pin: str, stage: Stage,
                    note: str) -> StageReturn:
    """Instead of confirming `stage` (ทาน or ตรวจ), send the memo back to the drafter with `note`."""
    memo = memo_for_update(session, memo_id)
    person = authenticate_by_pin(session, username, pin)
    check_same_organisation(person, memo)
    check_stage_actor(stage, person.id, memo.drafter_id)  # whoever may do the stage may return at it
    check_stage_returner(person.id, memo.drafter_id)
    check_return_note(note)
    earlier = stage_return_in(session, memo.id, memo.round)
    if earlier is not None and (earlier.person_id, earlier.stage) == (person.id, stage):
        return earlier  # a double click or a retried request: the return already recorded
    progress = advance(memo.progress(), StageReturned(stage))
    revision = current_revision(session, memo)
    now = utcnow()
    returned = StageReturn(memo_id=memo.id, round=memo.round, revision_id=revision.id, stage=stage,
                           person_id=person.id, note=note.strip(), revision_sha256=revision.sha256, at=now)
    session.add(returned)
    move(session, memo, progress, now)
    session.flush()
    audit.append(session, actor=username, action="stage.returned", subject=f"memo:{memo.id}",
                 data={"stage_return_id": returned.id, "stage": stage.value, "round": returned.round,
                       "revision_sha256": revision.sha256, "note": returned.note})
    return returned


def stage_return_in(session: Session, memo_id: int, round_: int) -> StageReturn | None:
    """The return that ended round `round_` at a preparation stage, if it ended so. The memo's
    flow can use it: a wait for ทาน or ตรวจ is settled by a return too, then the drafter's revision."""
    return session.exec(select(StageReturn).where(StageReturn.memo_id == memo_id,
                                                  StageReturn.round == round_)).first()
