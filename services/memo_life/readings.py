"""Which revision of a memo each person last saw, and so what to compare the current one with."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from models import Decision, MemoReading, StageRecord, StageReturn
from models.clock import utcnow


def compare_from(session: Session, *, memo_id: int, person_id: int) -> int | None:
    """The revision number the person saw before the current one, or None (nothing to compare)."""
    row = _reading(session, memo_id, person_id)
    return None if row is None else row.compared_from


def note_seen(session: Session, *, memo_id: int, person_id: int, revision_number: int) -> None:
    """The person is shown `revision_number` now. Written only when it changes what is known: a
    reload writes nothing. Someone who never opened the memo here (the CLI, the API) is compared
    with the last revision they acted on."""
    row = _reading(session, memo_id, person_id)
    if row is None:
        acted = last_acted_revision(session, memo_id=memo_id, person_id=person_id)
        session.add(
            MemoReading(
                memo_id=memo_id,
                person_id=person_id,
                seen_revision=revision_number,
                compared_from=acted if acted and acted != revision_number else None,
            )
        )
    elif row.seen_revision != revision_number:
        row.compared_from, row.seen_revision, row.at = row.seen_revision, revision_number, utcnow()
        session.add(row)


def last_acted_revision(session: Session, *, memo_id: int, person_id: int) -> int | None:
    rounds = [
        session.exec(select(func.max(table.round)).where(table.memo_id == memo_id, who == person_id)).one()
        for table, who in (
            (Decision, Decision.signer_id),
            (StageRecord, StageRecord.person_id),
            (StageReturn, StageReturn.person_id),
        )
    ]
    return max((r for r in rounds if r is not None), default=None)


def _reading(session: Session, memo_id: int, person_id: int) -> MemoReading | None:
    return session.exec(
        select(MemoReading).where(MemoReading.memo_id == memo_id, MemoReading.person_id == person_id)
    ).first()
