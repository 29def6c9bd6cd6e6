"""What last year's records say, written as the review memo the ITA asks for (seed 000 item ๑,
002 items ๑ and ๕): what was published, when and by whom (and whether it was cancelled or
superseded since), which steps ran late, what was returned and why, and the year's memos on the
item counted apart by how they ended (withdrawn, disapproved, cancelled: never as published)."""

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from documents.thai_format import thai_date_full, to_thai_digits
from models import Decision, Memo, Organisation, Position, Publication, PublicationCancellation, StageRecord
from models.clock import office_date
from models.deadlines import calendar_of
from models.enums import ENDED, Capacity, DecisionKind, MemoStatus
from models.workdays import add_working_days
from services.memo_life.endings import ending_of
from services.memo_life.standing import counted_apart, standing
from services.printing.document_context import decision_signatory, decision_step_title


@dataclass(frozen=True)
class LateStep:
    what: str  # "ขั้นที่ ๒ ปลัดเทศบาลตำบลโคกพุทรา" or "ขั้นตอน ทาน"
    working_days_allowed: int
    done_on: dt.date


def review_facts(session: Session, org: Organisation, memo: Memo | None, year_memos: Sequence[Memo] = ()) -> str:
    """The ข้อเท็จจริง of the review memo, from the records of last year's memo and of every
    other memo of the year on the same item."""
    ended = _ended(session, year_memos)
    if memo is None:
        first = "ในปีงบประมาณที่ผ่านมา ยังไม่มีการออกประกาศเรื่องนี้ผ่านระบบ จึงเห็นควรจัดทำประกาศฉบับแรก"
        return " ".join(part for part in (first, ended) if part)
    parts = [
        _published(session, memo),
        _cancelled_since(session, memo),
        _returns(session, memo),
        _late(session, org, memo),
        ended,
    ]
    return " ".join(part for part in parts if part)


def _cancelled_since(session: Session, memo: Memo) -> str:
    """A published announcement cancelled or superseded after publication: said, with why."""
    found = session.exec(
        select(PublicationCancellation, Publication)
        .join(Publication, Publication.id == PublicationCancellation.publication_id)
        .where(Publication.memo_id == memo.id)
    ).first()
    if found is None:
        return ""
    cancellation, _ = found
    when = thai_date_full(office_date(cancellation.at))
    if cancellation.superseded_by_id is not None:
        replacement = session.get(Publication, cancellation.superseded_by_id)
        number = session.get(Memo, replacement.memo_id).register_number
        return f"ต่อมาประกาศดังกล่าวถูกแทนที่ด้วยประกาศ ที่ {number} เมื่อวันที่ {when} เหตุผล: {cancellation.reason}"
    return f"ต่อมาได้ยกเลิกประกาศดังกล่าวเมื่อวันที่ {when} เหตุผล: {cancellation.reason}"


ENDED_WORDS = {"withdrawn": "ผู้ร่างถอนเรื่อง", "disapproved": "ไม่อนุมัติ", "cancelled": "ผู้ดูแลระบบยกเลิกเรื่อง"}


def _ended(session: Session, memos: Sequence[Memo]) -> str:
    """The year's memos on the item that ended unpublished, counted by how, each with its reason."""
    ended = [m for m in memos if m.status in ENDED]
    if not ended:
        return ""
    counts = counted_apart(standing(session, m) for m in memos)
    tally = " ".join(f"{ENDED_WORDS[how]} {to_thai_digits(counts[how])} เรื่อง" for how in ENDED_WORDS if counts.get(how))
    listed = "; ".join(f"ที่ {m.register_number} {ENDED_WORDS[m.status.value]} เหตุผล: {_why(session, m)}" for m in ended)
    return f"ในปีงบประมาณดังกล่าวมีบันทึกเรื่องนี้ที่สิ้นสุดโดยไม่ได้เผยแพร่ {tally} ได้แก่ {listed}"


def _why(session: Session, memo: Memo) -> str:
    if memo.status == MemoStatus.DISAPPROVED:
        decision = session.exec(
            select(Decision).where(Decision.memo_id == memo.id, Decision.kind == DecisionKind.DISAPPROVE)
        ).first()
        return decision.minute if decision else ""
    ending = ending_of(session, memo.id)
    return ending.reason if ending else ""


def _published(session: Session, memo: Memo) -> str:
    publication = session.exec(select(Publication).where(Publication.memo_id == memo.id)).first()
    if publication is None:
        return f"บันทึกที่ {memo.register_number} เรื่อง {memo.subject} ยังไม่ได้เผยแพร่"
    final = session.exec(
        select(Decision)
        .where(Decision.memo_id == memo.id, Decision.round == memo.round)
        .order_by(col(Decision.step_index).desc())
    ).first()
    signer = decision_signatory(session, final).full_name  # as printed when they signed
    position = decision_step_title(session, final)
    acting = f" ({final.capacity.value})" if final.capacity != Capacity.SELF else ""
    return (
        f"ประกาศเรื่อง {memo.subject} (ที่ {memo.register_number}) ลงนามโดย {signer} {position}{acting} "
        f"และเผยแพร่เมื่อวันที่ {thai_date_full(publication.announcement_date)}"
    )


def _returns(session: Session, memo: Memo) -> str:
    returns = session.exec(
        select(Decision).where(Decision.memo_id == memo.id, Decision.kind == DecisionKind.RETURN).order_by(Decision.at)
    ).all()
    if not returns:
        return "ระหว่างการพิจารณาไม่มีการส่งคืนแก้ไข"
    reasons = "; ".join(f"{decision_step_title(session, d)} ส่งคืนเพราะ {d.minute}" for d in returns)
    return f"ระหว่างการพิจารณามีการส่งคืนแก้ไข {to_thai_digits(len(returns))} ครั้ง ได้แก่ {reasons}"


def _late(session: Session, org: Organisation, memo: Memo) -> str:
    late = late_steps(session, org, memo)
    if not late:
        return "ทุกขั้นตอนแล้วเสร็จภายในกำหนด"
    listed = "; ".join(
        f"{s.what} (กำหนด {to_thai_digits(s.working_days_allowed)} วันทำการ แล้วเสร็จวันที่ {thai_date_full(s.done_on)})"
        for s in late
    )
    return f"ขั้นตอนที่เกินกำหนด ได้แก่ {listed}"


def late_steps(session: Session, org: Organisation, memo: Memo) -> list[LateStep]:
    """Every stage and sign-off done after its due moment: each wait began when the one
    before it ended, and was given the organisation's working days."""
    events = sorted(
        [
            (r.at, f"ขั้นตอน {r.stage.value}")
            for r in session.exec(select(StageRecord).where(StageRecord.memo_id == memo.id))
        ]
        + [
            (d.at, f"ขั้นที่ {to_thai_digits(d.step_index + 1)} {session.get(Position, d.position_id).title}")
            for d in session.exec(select(Decision).where(Decision.memo_id == memo.id))
        ]
    )
    late = []
    for (began, _), (ended, what) in itertools.pairwise(events):
        if ended > add_working_days(began, org.step_working_days, calendar_of(org)):
            late.append(LateStep(what, org.step_working_days, office_date(ended)))
    return late
