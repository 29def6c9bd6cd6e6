"""A new announcement that replaces a published one (แทนที่ประกาศเดิม): what it may name.

The drafter names the announcement it replaces in the draft, so every signer approves the
replacement with the text; once the new one is published, the old one is marked superseded
(services.publication.cancellation.supersede_named). Only a published, not cancelled
announcement of the drafter's own organisation may be named.
"""

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models import Memo, Publication, PublicationCancellation
from models.draft import MemoDraft
from services.errors import BadInput


@dataclass(frozen=True)
class Replaceable:
    publication_id: int
    title: str
    register_number: str
    published_on: dt.date


def replaceable(session: Session, organisation_id: int) -> list[Replaceable]:
    """The organisation's published announcements still in force, newest first."""
    cancelled = select(PublicationCancellation.publication_id)
    rows = session.exec(
        select(Publication, Memo)
        .join(Memo, Memo.id == Publication.memo_id)
        .where(Memo.organisation_id == organisation_id, col(Publication.id).not_in(cancelled))
        .order_by(col(Publication.announcement_date).desc(), col(Publication.id).desc())
    ).all()
    return [
        Replaceable(p.id, p.announcement_title or m.subject, m.register_number, p.announcement_date) for p, m in rows
    ]


def check_replacement(session: Session, organisation_id: int, draft: MemoDraft) -> None:
    """Refused unless the announcement the draft replaces (if any) may be replaced."""
    named = draft.announcement.replaces if draft.announcement is not None else None
    if named is None:
        return
    if named not in {r.publication_id for r in replaceable(session, organisation_id)}:
        raise BadInput(
            "ประกาศที่ระบุว่าจะแทนที่ไม่มีอยู่ ถูกยกเลิกไปแล้ว หรือไม่ใช่ของหน่วยงานนี้ เลือกจากรายการประกาศที่ยังมีผล "
            f"(announcement {named} cannot be replaced: it is not a published announcement of this office still "
            "in force; choose one from the list)"
        )
