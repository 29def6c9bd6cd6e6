"""Where each item of an organisation's ITA year stands, read from the records in a few queries.

An item's status is its latest opened period's: not opened yet; opened (its draft untouched);
drafting (the draft saved since); in approval (the memo sent from the draft, with who holds it
now); published (the memo's publication, or a disclosure item's address given); ended (the memo
withdrawn, disapproved or cancelled: a new draft is needed). It is late when due and not published.
A publication superseded by a later announcement leaves the item published by its replacement
(services.ita.superseded).
The year's coverage is the share of items with a live link: any period published (a publication
not cancelled, or an address given).
"""

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from models import ItaItem, ItaWork, ItaWorkMemo, Memo, Organisation, Position, Publication
from models.enums import ENDED, MemoStatus
from models.web import SavedDraft
from services.ita.superseded import PublicationLine, publication_lines
from services.memo_life.holders import holders_now

NOT_OPENED, OPENED, DRAFTING, IN_APPROVAL, PUBLISHED, ENDED_STATUS = (
    "not-opened",
    "opened",
    "drafting",
    "in-approval",
    "published",
    "ended",
)
STATUS_TITLES = {
    NOT_OPENED: "ยังไม่เปิดงาน",
    OPENED: "ยังไม่เริ่ม",
    DRAFTING: "กำลังร่าง",
    IN_APPROVAL: "อยู่ระหว่างเสนอ",
    PUBLISHED: "เผยแพร่แล้ว",
    ENDED_STATUS: "ยุติแล้ว ต้องร่างใหม่",
}


@dataclass
class WorkState:
    work: ItaWork
    status: str
    memo: Memo | None = None
    publication: Publication | None = None  # the one in force (not cancelled), if any: the memo's or its replacement's
    line: PublicationLine | None = None  # the memo's publication and what superseded it (services.ita.superseded)
    holders: list[str] = field(default_factory=list)  # who must act now, by name and position
    late: bool = False


@dataclass
class ItemState:
    item: ItaItem
    position_title: str
    works: list[WorkState]  # oldest period first

    @property
    def latest(self) -> WorkState | None:
        return self.works[-1] if self.works else None

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else NOT_OPENED

    @property
    def late(self) -> bool:
        return bool(self.latest and self.latest.late)

    @property
    def live(self) -> bool:
        """The item has a live link this year: a period published."""
        return any(w.status == PUBLISHED for w in self.works)


def year_states(session: Session, org: Organisation, fiscal_year: int, now: dt.datetime) -> list[ItemState]:
    items = session.exec(
        select(ItaItem)
        .where(ItaItem.organisation_id == org.id, ItaItem.fiscal_year == fiscal_year)
        .order_by(col(ItaItem.ordinal))
    ).all()
    works = session.exec(
        select(ItaWork)
        .where(ItaWork.organisation_id == org.id, ItaWork.fiscal_year == fiscal_year)
        .order_by(col(ItaWork.opened_at), col(ItaWork.id))
    ).all()
    states = _work_states(session, list(works), now)
    positions = {p.id: p.title for p in session.exec(select(Position).where(Position.organisation_id == org.id))}
    by_item: dict[int, list[WorkState]] = {}
    for state in states:
        by_item.setdefault(state.work.item_id, []).append(state)
    return [ItemState(item, positions.get(item.position_id, ""), by_item.get(item.id or 0, [])) for item in items]


def coverage(states: list[ItemState]) -> float:
    """Per cent of the items with a live link."""
    return 100.0 * sum(s.live for s in states) / len(states) if states else 0.0


def _work_states(session: Session, works: list[ItaWork], now: dt.datetime) -> list[WorkState]:
    draft_ids = [w.draft_id for w in works if w.draft_id]
    drafts = {d.id: d for d in session.exec(select(SavedDraft).where(col(SavedDraft.id).in_(draft_ids)))}
    answered = session.exec(
        select(ItaWorkMemo.work_id, ItaWorkMemo.memo_id)
        .where(col(ItaWorkMemo.work_id).in_([w.id for w in works]))
        .order_by(col(ItaWorkMemo.memo_id))
    ).all()
    sent: dict[int, list[int]] = {}  # work -> the memos sent for it, oldest first
    for work_id, memo_id in answered:
        sent.setdefault(work_id, []).append(memo_id)
    memo_ids = [memo_id for memo_ids in sent.values() for memo_id in memo_ids]
    memos = {m.id: m for m in session.exec(select(Memo).where(col(Memo.id).in_(memo_ids)))}
    lines = publication_lines(session, memo_ids)
    in_force = {memo_id: line.in_force for memo_id, line in lines.items() if line.in_force is not None}
    # The period's answer: the memo whose document is in force, else the latest sent (a memo sent
    # again, still in approval, does not hide what is published).
    memo_of_work = {
        work_id: next((m for m in reversed(memo_ids) if m in in_force), memo_ids[-1])
        for work_id, memo_ids in sent.items()
    }
    waiting = holders_now(session, list(memos.values()))
    names = _names(waiting)
    states = []
    for work in works:
        draft = drafts.get(work.draft_id) if work.draft_id else None
        memo = memos.get(memo_of_work.get(work.id, 0))
        state = WorkState(work, _status(work, draft, memo, in_force), memo, in_force.get(memo.id) if memo else None)
        state.line = lines.get(memo.id) if memo else None
        if memo is not None and memo.id in waiting:
            state.holders = names[memo.id]
        state.late = state.status != PUBLISHED and work.due_at is not None and _aware(work.due_at) < now
        states.append(state)
    return states


def _status(work: ItaWork, draft: SavedDraft | None, memo: Memo | None, in_force: dict[int, Publication]) -> str:
    if work.draft_id is None:  # a disclosure item: its address
        return PUBLISHED if work.url else OPENED
    if memo is not None:
        if memo.id in in_force:
            return PUBLISHED
        if memo.status in ENDED:
            return ENDED_STATUS
        return IN_APPROVAL if memo.status != MemoStatus.PUBLISHED else ENDED_STATUS  # published, then cancelled
    # The opening dates its draft with the work's own moment (even one given by hand, --as-of):
    # saved since at any other moment, someone is writing it.
    if draft is not None and abs(_aware(draft.updated_at) - _aware(work.opened_at)) > dt.timedelta(seconds=1):
        return DRAFTING
    return OPENED


def _names(waiting: dict) -> dict[int, list[str]]:
    return {memo_id: [f"{h.name} ({h.position})" for h in w.people] for memo_id, w in waiting.items()}


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
