"""Where a memo stands for lists and counts: still on its way, published and in force, published
then cancelled or superseded, or ended unpublished (withdrawn, disapproved, cancelled).

A memo's status says PUBLISHED for good once it is published; a later cancellation of the
announcement (services.publication.cancellation) is a row of its own, not a new status. Lists,
searches, the evidence pack and the yearly review read both here, so none of them counts an
ended memo as in flight or a cancelled announcement as published.
"""

from collections import Counter
from collections.abc import Iterable

from sqlmodel import Session, select

from models import Memo, Publication, PublicationCancellation
from models.enums import ENDED, MemoStatus

PUBLICATION_CANCELLED = "publication_cancelled"  # ยกเลิกประกาศ after it was published
SUPERSEDED = "superseded"  # แทนที่ by a later announcement of the same office
IN_FLIGHT = (MemoStatus.PREPARING, MemoStatus.IN_REVIEW, MemoStatus.RETURNED, MemoStatus.APPROVED)
ENDED_UNPUBLISHED = tuple(s.value for s in MemoStatus if s in ENDED)  # withdrawn, disapproved, cancelled
PUBLISHED_NO_LONGER = (PUBLICATION_CANCELLED, SUPERSEDED)

LABELS = {
    "preparing": "อยู่ระหว่างเตรียมเอกสาร",
    "in_review": "รอลงนาม",
    "returned": "ส่งคืนแก้ไข",
    "approved": "อนุมัติแล้ว รอเผยแพร่",
    "published": "เผยแพร่แล้ว",
    PUBLICATION_CANCELLED: "เผยแพร่แล้ว ต่อมายกเลิกประกาศ",
    SUPERSEDED: "เผยแพร่แล้ว ถูกแทนที่ด้วยประกาศใหม่",
    "withdrawn": "ถอนเรื่องแล้ว",
    "disapproved": "ไม่อนุมัติ",
    "cancelled": "ยกเลิกเรื่องแล้ว",
}
# The groups a count keeps apart, in the order they are reported.
GROUPS = {
    "in_flight": "กำลังดำเนินการ",
    "published": "เผยแพร่แล้ว (มีผล)",
    PUBLICATION_CANCELLED: "ยกเลิกประกาศ",
    SUPERSEDED: "ถูกแทนที่",
    "withdrawn": "ถอนเรื่อง",
    "disapproved": "ไม่อนุมัติ",
    "cancelled": "ยกเลิกเรื่อง",
}


def standing(session: Session, memo: Memo) -> str:
    """A key of LABELS: the memo's status, or for a published memo whether its announcement was
    later cancelled or superseded."""
    if memo.status != MemoStatus.PUBLISHED:
        return memo.status.value
    cancellation = session.exec(
        select(PublicationCancellation)
        .join(Publication, Publication.id == PublicationCancellation.publication_id)
        .where(Publication.memo_id == memo.id)
    ).first()
    if cancellation is None:
        return MemoStatus.PUBLISHED.value
    return SUPERSEDED if cancellation.superseded_by_id is not None else PUBLICATION_CANCELLED


def group_of(key: str) -> str:
    """The GROUPS key a standing is counted under."""
    return "in_flight" if key in {s.value for s in IN_FLIGHT} else key


def counted_apart(standings: Iterable[str]) -> dict[str, int]:
    """How many of each GROUPS key (every group present, zero when none)."""
    counts = Counter(group_of(key) for key in standings)
    return {group: counts.get(group, 0) for group in GROUPS}


def is_ended(key: str) -> bool:
    return key in ENDED_UNPUBLISHED
