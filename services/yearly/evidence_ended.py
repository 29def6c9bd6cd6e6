"""What the evidence pack says of the year's memos that are not (or no longer) evidence: those
ended unpublished, listed apart with who ended them and why (ended.csv and the index), and the
standing of every publication (in force, cancelled, superseded), so a count of the year never
passes a withdrawn memo or a cancelled announcement for a published one.
"""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from models import Decision, Memo, Organisation, Person, Publication
from models.enums import ENDED, DecisionKind, MemoStatus
from services.memo_life.endings import ending_of
from services.memo_life.standing import GROUPS, counted_apart, standing
from services.publication.cancellation import cancellation_of
from services.yearly.evidence_items import EndedMemo

if TYPE_CHECKING:
    from pathlib import Path

ENDED_CSV = "ended.csv"
HOW_TEXT = {"withdrawn": "ถอนเรื่อง", "disapproved": "ไม่อนุมัติ", "cancelled": "ยกเลิกเรื่อง"}
STANDING_TEXT = {"in_force": "มีผล", "cancelled": "ยกเลิกประกาศแล้ว", "superseded": "ถูกแทนที่แล้ว"}


def publication_standing(session: Session, publication: Publication) -> dict:
    """For publication.json: in force, or cancelled / superseded with when, by whom and why."""
    cancellation = cancellation_of(session, publication.id)
    if cancellation is None:
        return {"state": "in_force"}
    replacement = session.get(Publication, cancellation.superseded_by_id) if cancellation.superseded_by_id else None
    replacing = session.get(Memo, replacement.memo_id) if replacement else None
    return {
        "state": "superseded" if replacement else "cancelled",
        "at": cancellation.at.isoformat(),
        "by": session.get(Person, cancellation.person_id).full_name,
        "reason": cancellation.reason,
        "superseded_by": replacing.register_number if replacing else None,
    }


def ended_memos(session: Session, fiscal_year: int, organisations: list[Organisation]) -> list[EndedMemo]:
    names = {org.id: org.name for org in organisations}
    memos = session.exec(
        select(Memo)
        .where(Memo.fiscal_year == fiscal_year, col(Memo.organisation_id).in_(list(names)), col(Memo.status).in_(ENDED))
        .order_by(Memo.organisation_id, Memo.id)
    ).all()
    return [_ended(session, memo, names[memo.organisation_id]) for memo in memos]


def _ended(session: Session, memo: Memo, organisation: str) -> EndedMemo:
    if memo.status == MemoStatus.DISAPPROVED:  # a signer's decision, not an ending row
        decision = session.exec(
            select(Decision).where(
                Decision.memo_id == memo.id, Decision.round == memo.round, Decision.kind == DecisionKind.DISAPPROVE
            )
        ).one()
        who, when, why = decision.signer_id, decision.at, decision.minute
    else:
        ending = ending_of(session, memo.id)
        who, when, why = ending.person_id, ending.at, ending.reason
    how = memo.status.value
    return EndedMemo(
        organisation,
        memo.register_number,
        memo.subject,
        how,
        HOW_TEXT[how],
        session.get(Person, who).full_name,
        when.isoformat(),
        why,
    )


def year_counts(session: Session, fiscal_year: int, organisations: list[Organisation]) -> dict[str, int]:
    """Every memo of the year by where it stands (services.memo_life.standing.GROUPS)."""
    memos = session.exec(
        select(Memo).where(
            Memo.fiscal_year == fiscal_year, col(Memo.organisation_id).in_([o.id for o in organisations])
        )
    ).all()
    return counted_apart(standing(session, memo) for memo in memos)


def counts_text(counts: dict[str, int]) -> str:
    return " · ".join(f"{label} {counts.get(group, 0)}" for group, label in GROUPS.items())


ENDED_HEADER = ["หน่วยงาน", "ที่", "เรื่อง", "ผล", "โดย", "เมื่อ", "เหตุผล"]


def write_ended_csv(path: Path, ended: list[EndedMemo]) -> None:
    """UTF-8 with a byte-order mark, as index.csv (Excel reads the Thai)."""
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(ENDED_HEADER)
        for e in ended:
            writer.writerow([e.organisation, e.register_number, e.subject, e.how_text, e.by, e.at, e.reason])
