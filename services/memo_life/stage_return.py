"""The ทาน or ตรวจ person sends the memo back to its drafter with the corrections to make.

Recorded like a return at a sign-off step: one insert-only row (models.StageReturn) with the note,
the person and the exact revision, audited, in the same transaction as the memo's move to
RETURNED. The drafter then revises as after any return (services.memo_life.memos.revise_memo), and the new
revision goes through every stage again.
"""

from dataclasses import dataclass

from sqlmodel import Session, select

from documents.thai_format import to_thai_digits
from models import Decision, Memo, Person, Position, StageReturn, audit
from models.clock import utcnow
from models.enums import DecisionKind, MemoStatus, Stage
from models.rules import StageReturned, advance, check_return_note, check_stage_returner
from services.accounts.people import authenticate_by_pin
from services.memo_life.memos import check_same_organisation, memo_for_update, move
from services.memo_life.stage_roles import check_may_record
from services.printing.document_context import current_revision


def return_at_stage(session: Session, *, memo_id: int, username: str, pin: str, stage: Stage, note: str) -> StageReturn:
    """Instead of confirming `stage` (ทาน or ตรวจ), send the memo back to the drafter with `note`."""
    memo = memo_for_update(session, memo_id)
    person = authenticate_by_pin(session, username, pin)
    check_same_organisation(person, memo)
    check_may_record(session, person, memo, stage)  # whoever may do the stage may return at it
    check_stage_returner(person.id, memo.drafter_id)
    check_return_note(note)
    earlier = stage_return_in(session, memo.id, memo.round)
    if earlier is not None and (earlier.person_id, earlier.stage) == (person.id, stage):
        return earlier  # a double click or a retried request: the return already recorded
    progress = advance(memo.progress(), StageReturned(stage))
    revision = current_revision(session, memo)
    now = utcnow()
    returned = StageReturn(
        memo_id=memo.id,
        round=memo.round,
        revision_id=revision.id,
        stage=stage,
        person_id=person.id,
        note=_plain_lines(note),
        revision_sha256=revision.sha256,
        at=now,
    )
    session.add(returned)
    move(session, memo, progress, now)
    session.flush()
    audit.append(
        session,
        actor=username,
        action="stage.returned",
        subject=f"memo:{memo.id}",
        data={
            "stage_return_id": returned.id,
            "stage": stage.value,
            "round": returned.round,
            "revision_sha256": revision.sha256,
            "note": returned.note,
        },
    )
    return returned


def _plain_lines(note: str) -> str:
    # Browsers send a textarea's line breaks as CRLF; the record keeps one form of line break.
    return note.replace("\r\n", "\n").replace("\r", "\n").strip()


def stage_return_in(session: Session, memo_id: int, round_: int) -> StageReturn | None:
    """The return that ended round `round_` at a preparation stage, if it ended so. The memo's
    flow can use it: a wait for ทาน or ตรวจ is settled by a return too, then the drafter's revision."""
    return session.exec(select(StageReturn).where(StageReturn.memo_id == memo_id, StageReturn.round == round_)).first()


@dataclass(frozen=True)
class ReturnNote:
    """Why a returned memo waits for its drafter: who sent it back, from where, and the note."""

    by: str  # the person's full name
    where: str  # "ขั้นตอน ทาน" or "ขั้นที่ ๒ ปลัดเทศบาล"
    reason: str  # the stage return's note, or the sign-off's minute


def why_returned(session: Session, memo: Memo) -> ReturnNote | None:
    """The return that ended the memo's current round, at a stage or at a sign-off step."""
    if memo.status != MemoStatus.RETURNED:
        return None
    at_stage = stage_return_in(session, memo.id, memo.round)
    if at_stage is not None:
        return ReturnNote(
            session.get(Person, at_stage.person_id).full_name, f"ขั้นตอน {at_stage.stage.value}", at_stage.note
        )
    decision = session.exec(
        select(Decision).where(
            Decision.memo_id == memo.id, Decision.round == memo.round, Decision.kind == DecisionKind.RETURN
        )
    ).first()
    if decision is None:
        return None
    where = f"ขั้นที่ {to_thai_digits(decision.step_index + 1)} {session.get(Position, decision.position_id).title}"
    return ReturnNote(session.get(Person, decision.signer_id).full_name, where, decision.minute)
