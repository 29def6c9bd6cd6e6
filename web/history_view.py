"""The history page's content, for a person rather than a developer: each revision with who
wrote it and when, what changed (in the paper's terms, word by word), and what happened to it
(the stages recorded, the sign-offs, the return), each with the person's name and the time."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from documents.text.word_diff import Piece, word_diff
from models import Decision, Memo, Person, Position, Revision, StageRecord, StageReturn
from models.decision_words import decision_word, steps_in_round
from models.digits import thai_digits
from models.document_kinds import acknowledges
from models.enums import Capacity, DecisionKind
from services.memo_life.revision_changes import paper_parts


@dataclass(frozen=True)
class Change:
    field: str  # as the paper names it: "ข้อเท็จจริง", "ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ ข้อ ๒", "ประกาศ ข้อ ๓"
    kind: str  # "changed", "added", "removed"
    segments: list[Piece]  # documents.text.word_diff: kept, inserted and deleted runs of words


@dataclass(frozen=True)
class Event:
    at: datetime
    who: str
    what: str
    text: str = ""  # a minute or a return's corrections
    returned: bool = False


@dataclass
class RevisionHistory:
    number: int
    author: str
    at: datetime
    note: str
    sha256: str
    changes: list[Change] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def memo_history(session: Session, memo: Memo) -> list[RevisionHistory]:
    revisions = session.exec(select(Revision).where(Revision.memo_id == memo.id).order_by(Revision.number)).all()
    shown, previous = [], None
    for revision in revisions:
        fields = dict(paper_parts(session, memo, revision))
        shown.append(
            RevisionHistory(
                revision.number,
                _name(session, revision.author_id),
                revision.created_at,
                revision.note,
                revision.sha256,
                changes=field_changes(previous, fields) if previous is not None else [],
                events=_events(session, memo, revision.number),
            )
        )
        previous = fields
    return shown


def field_changes(old: dict[str, str], new: dict[str, str]) -> list[Change]:
    """Each part changed, added or removed (a part empty on one side counts as absent there)."""
    changes = []
    for name in list(new) + [n for n in old if n not in new]:
        before, after = old.get(name) or None, new.get(name) or None
        if before == after:
            continue
        kind = "added" if before is None else "removed" if after is None else "changed"
        changes.append(Change(name, kind, word_diff(before or "", after or "")))
    return changes


def _events(session: Session, memo: Memo, round_: int) -> list[Event]:
    last = steps_in_round(session, memo.id, round_) - 1
    events = [
        Event(r.at, _name(session, r.person_id), f"บันทึกขั้นตอน {r.stage.value}", r.note)
        for r in session.exec(select(StageRecord).where(StageRecord.memo_id == memo.id, StageRecord.round == round_))
    ]
    events += [
        Event(r.at, _name(session, r.person_id), f"ขั้นตอน {r.stage.value}: ส่งคืนผู้ร่างให้แก้ไข", r.note, True)
        for r in session.exec(select(StageReturn).where(StageReturn.memo_id == memo.id, StageReturn.round == round_))
    ]
    events += [
        _decision_event(session, d, last_step=d.step_index == last, acknowledging=acknowledges(memo.document_kind))
        for d in session.exec(select(Decision).where(Decision.memo_id == memo.id, Decision.round == round_))
    ]
    return sorted(events, key=lambda e: e.at)


def _decision_event(session: Session, decision: Decision, *, last_step: bool, acknowledging: bool = False) -> Event:
    title = session.get(Position, decision.position_id).title
    acting = "" if decision.capacity == Capacity.SELF else f" ({decision.capacity.value}{title})"
    verdict = decision_word(decision.kind, last_step=last_step, acknowledges=acknowledging)
    return Event(
        decision.at,
        _name(session, decision.signer_id) + acting,
        f"ขั้นที่ {thai_digits(decision.step_index + 1)} {title}: {verdict}",
        decision.minute,
        decision.kind == DecisionKind.RETURN,
    )


def _name(session: Session, person_id: int) -> str:
    person = session.get(Person, person_id)
    return (
        f"{person.rank}{person.full_name}"
        if person.rank and not person.full_name.startswith(person.rank)
        else person.full_name
    )
