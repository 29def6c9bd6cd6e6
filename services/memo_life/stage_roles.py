"""Who may record a preparation stage (พิมพ์, ทาน, ตรวจ) on a memo: the organisation's
configuration, read for the one pure rule (models.rules.may_record_stage).

Configured per organisation (`stages:` in its file, or the admin page): the positions whose
holders may record each stage. A stage left unconfigured falls back to the positions of the
memo's own unit (ส่วนราชการ), the people who prepare its papers. Either way the drafter never
records a stage of their own memo, and a person who holds no position records none.
"""

from sqlmodel import Session, select

from models import Memo, Person, Position, StagePermission
from models.enums import Stage
from models.rules import StageActor, check_stage_actor, may_record_stage
from services.accounts.people import held_position_ids


def configured_stage_positions(session: Session, organisation_id: int, stage: Stage) -> frozenset[int]:
    return frozenset(
        session.exec(
            select(StagePermission.position_id).where(
                StagePermission.organisation_id == organisation_id, StagePermission.stage == stage
            )
        )
    )


def stage_positions(session: Session, memo: Memo, stage: Stage) -> frozenset[int]:
    """The positions that may record `stage` on `memo`: as configured, else the memo's unit's."""
    configured = configured_stage_positions(session, memo.organisation_id, stage)
    if configured:
        return configured
    return frozenset(
        session.exec(
            select(Position.id).where(
                Position.organisation_id == memo.organisation_id, Position.unit_id == memo.unit_id
            )
        )
    )


def stage_actor(session: Session, person: Person) -> StageActor:
    return StageActor(person.id, frozenset(held_position_ids(session, person.id)))


def may_record(session: Session, person: Person, memo: Memo, stage: Stage) -> bool:
    """Whether the queue and the memo page offer `stage` to `person` (the domain's own answer)."""
    if person.organisation_id != memo.organisation_id:
        return False
    return may_record_stage(stage, stage_actor(session, person), memo.drafter_id, stage_positions(session, memo, stage))


def check_may_record(session: Session, person: Person, memo: Memo, stage: Stage) -> None:
    check_stage_actor(stage, stage_actor(session, person), memo.drafter_id, stage_positions(session, memo, stage))
