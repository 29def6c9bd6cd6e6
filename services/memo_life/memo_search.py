"""The lists on a person's front page, searched, filtered and sorted: what waits for them, what
they sent (with the published archive), and what they signed.

A filter comes from a plain GET form (no script needed): words, status, fiscal year (BE),
kind of announcement (its template), overdue only, and the order. Digits are one input in
either script (models.digits): "30" finds อท ๕๓๗๐๑.๔/๓๐.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from documents.thai_format import to_thai_digits
from models import Decision, Memo, MemoRoute, Revision
from models.clock import utcnow
from models.deadlines import WAITING
from models.decision_words import decision_word, steps_at, steps_by_round
from models.digits import arabic_digits
from models.document_kinds import acknowledges
from models.enums import Capacity
from services.memo_life.holders import Waiting, holders_now
from services.memo_life.queue import QueueItem, queue_for, where_now
from services.memo_life.standing import ENDED_UNPUBLISHED, IN_FLIGHT, LABELS, counted_apart, standing

ENDED = "ended"  # the filter for every memo ended unpublished, whichever way
# The status filter: each standing (services.memo_life.standing), then the ended ones together.
STATUS_LABELS = {**LABELS, ENDED: "สิ้นสุดโดยไม่เผยแพร่ (ถอน ไม่อนุมัติ หรือยกเลิก)"}
SORTS = {"due": "กำหนดเสร็จ (ใกล้ที่สุดก่อน)", "submitted": "วันที่เสนอ (ล่าสุดก่อน)", "subject": "ชื่อเรื่อง (ก-ฮ)"}
LEADING_VOWELS = "เแโใไ"  # written before the consonant they follow in speech and in the dictionary


@dataclass(frozen=True)
class MemoFilter:
    words: tuple[str, ...] = ()
    status: str = ""
    fiscal_year: int | None = None
    kind: str = ""
    overdue: bool = False
    sort: str = "due"

    @classmethod
    def from_form(
        cls, q: str = "", status: str = "", fy: str = "", kind: str = "", overdue: str = "", sort: str = ""
    ) -> MemoFilter:
        """Whatever the form sent; a value that means nothing (an unknown status) is ignored."""
        year = arabic_digits(fy).strip()
        return cls(
            words=tuple(arabic_digits(q).lower().split()),
            status=status if status in STATUS_LABELS else "",
            fiscal_year=int(year) if year.isdigit() else None,
            kind=kind.strip(),
            overdue=overdue in ("1", "on", "true"),
            sort=sort if sort in SORTS else "due",
        )

    @property
    def active(self) -> bool:
        return bool(self.words or self.status or self.fiscal_year or self.kind or self.overdue)


@dataclass(frozen=True)
class MemoRow:
    memo_id: int
    register_number: str
    subject: str
    status: str
    where: str  # where it stands now, in Thai
    note: str  # what waits for the person, or how they signed
    kind: str  # the announcement's template
    fiscal_year: int
    created_at: dt.datetime
    due_at: dt.datetime | None
    overdue: bool
    problem: str = ""
    capacity: str = "self"  # for the queue: the capacity the person would sign in
    text: str = ""  # everything searchable, lower case, Arabic digits
    since: dt.datetime | None = None  # when it reached where it stands

    @property
    def waited(self) -> dt.timedelta:
        return utcnow() - self.since if self.since else dt.timedelta(0)

    @property
    def ended(self) -> bool:
        return self.status in ENDED_UNPUBLISHED


def apply(rows: Iterable[MemoRow], wanted: MemoFilter) -> list[MemoRow]:
    kept = [row for row in rows if _matches(row, wanted)]
    return sorted(kept, key=_SORT_KEYS[wanted.sort])


def _matches(row: MemoRow, wanted: MemoFilter) -> bool:
    return (
        all(word in row.text for word in wanted.words)
        and (not wanted.status or row.status == wanted.status or (wanted.status == ENDED and row.ended))
        and (wanted.fiscal_year is None or row.fiscal_year == wanted.fiscal_year)
        and (not wanted.kind or row.kind == wanted.kind)
        and (not wanted.overdue or row.overdue)
    )


def thai_sort_key(text: str) -> str:
    """Thai dictionary order: a leading vowel (เ แ โ ใ ไ) sorts after the consonant it precedes."""
    chars, out, i = list(text), [], 0
    while i < len(chars):
        if chars[i] in LEADING_VOWELS and i + 1 < len(chars):
            out += [chars[i + 1], chars[i]]
            i += 2
        else:
            out.append(chars[i])
            i += 1
    return "".join(out)


_FAR = dt.datetime.max.replace(tzinfo=dt.UTC)
_SORT_KEYS = {
    "due": lambda r: (r.due_at or _FAR, r.memo_id),
    "submitted": lambda r: (-r.created_at.timestamp(), -r.memo_id),
    "subject": lambda r: (thai_sort_key(r.subject), r.memo_id),
}


# --- the three lists -------------------------------------------------------------------------------


def waiting_rows(session: Session, username: str) -> list[MemoRow]:
    """The person's queue (services.memo_life.queue: the same rules as the sign form and the notices)."""
    items: list[QueueItem] = queue_for(session, username)
    memos = [session.get(Memo, item.memo_id) for item in items]
    holders = holders_now(session, memos)
    return [
        _row(session, memo, holders, note=item.waiting_for, capacity=item.capacity)
        for memo, item in zip(memos, items, strict=True)
    ]


def drafted_rows(session: Session, person_id: int) -> list[MemoRow]:
    """Every memo the person drafted, the published ones too (the archive)."""
    memos = session.exec(select(Memo).where(Memo.drafter_id == person_id)).all()
    holders = holders_now(session, memos)  # who holds each one now, read once for the list
    return [_row(session, memo, holders) for memo in memos]


def signed_rows(session: Session, person_id: int) -> list[MemoRow]:
    """Every memo the person signed a step of, with their last signature on it."""
    decisions = session.exec(select(Decision).where(Decision.signer_id == person_id).order_by(Decision.at)).all()
    last = {d.memo_id: d for d in decisions}
    routes = session.exec(select(MemoRoute).where(col(MemoRoute.memo_id).in_(list(last)))).all()
    steps = steps_by_round(list(routes))
    memos = {memo_id: session.get(Memo, memo_id) for memo_id in last}
    holders = holders_now(session, list(memos.values()))
    return [
        _row(
            session,
            memos[memo_id],
            holders,
            note=_signed_note(d, steps_at(steps, memo_id, d.round), memos[memo_id].document_kind),
        )
        for memo_id, d in last.items()
    ]


def _signed_note(decision: Decision, steps: int, kind: str = "announcement") -> str:
    last = decision.step_index == steps - 1
    what = decision_word(decision.kind, last_step=last, acknowledges=acknowledges(kind))
    text = f"{what} ขั้นที่ {to_thai_digits(decision.step_index + 1)}"
    if decision.capacity is not Capacity.SELF:
        text += f" ในฐานะ{decision.capacity.value}"
    return text


def _row(
    session: Session, memo: Memo, holders: dict[int, Waiting], *, note: str = "", capacity: str = "self"
) -> MemoRow:
    content = _content(session, memo)
    kind = str(content.get("announcement", {}).get("template", ""))
    overdue = memo.status in WAITING and memo.due_at is not None and memo.due_at < utcnow()
    searchable = " ".join([memo.register_number, memo.subject, *_strings(content)])
    return MemoRow(
        memo.id,
        memo.register_number,
        memo.subject,
        standing(session, memo),  # a published memo whose announcement was cancelled is not "published"
        where_now(session, memo, holders.get(memo.id)),
        note,
        kind,
        memo.fiscal_year,
        memo.created_at,
        memo.due_at,
        overdue,
        memo.flow_problem,
        capacity,
        arabic_digits(searchable).lower(),
        memo.updated_at,
    )


def _content(session: Session, memo: Memo) -> dict:
    row = session.exec(
        select(Revision.content_json).where(Revision.memo_id == memo.id, Revision.number == memo.round)
    ).first()
    return json.loads(row) if row else {}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def kinds_of(rows: Iterable[MemoRow]) -> list[str]:
    return sorted({row.kind for row in rows if row.kind})


def in_progress(rows: Iterable[MemoRow]) -> list[MemoRow]:
    """Still on its way: neither published nor ended."""
    moving = {s.value for s in IN_FLIGHT}
    return [row for row in rows if row.status in moving]


def ended_unpublished(rows: Iterable[MemoRow]) -> list[MemoRow]:
    return [row for row in rows if row.ended]


def counts(rows: Iterable[MemoRow]) -> dict[str, int]:
    """How many rows stand where, each ending and each published-no-longer counted apart."""
    return counted_apart(row.status for row in rows)
