"""What a memo's flow run has to do next, read from the database at every wake.

The run never replays its history: each time it starts or is resumed it asks `next_work`, does
that, and asks again, until the answer is to wait for people (it then suspends) or that the
memo is done. Each kind of work is idempotent in the database, so a replacement run after a
crash does nothing twice.
"""

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from models import Memo, ProofreadReport, Publication, PublicationChannel
from models.clock import utcnow
from models.enums import ENDED, MemoStatus
from services.ita.memo_items import evidence_owed
from services.outbox.flow_signals import undone_signal_ids
from services.publication.channel_posting import webhook_in_flight
from services.publication.publication_channels import PENDING, RESERVED_NAMES


class Work(StrEnum):
    PREPARE = "prepare"  # typeset the current revision and proofread it automatically
    PUBLISH = "publish"  # the last step approved: freeze the files, record the publication
    POST = "post"  # send the publication to its social channels
    EVIDENCE = "evidence"  # what its ITA item asks beside it: the publication request, the staff's acknowledgements
    WAIT = "wait"  # nothing to do until people act: suspend
    DONE = "done"  # published and posted: the run ends


@dataclass(frozen=True)
class NextWork:
    work: Work
    round: int
    status: MemoStatus
    signal_ids: list[int]  # the signals this work answers, marked done when it is done


def next_work(session: Session, memo_id: int) -> NextWork:
    """Also notes that the run is alive (the reconciler tells a busy run from a dead one)."""
    memo = note_alive(session, memo_id)
    return NextWork(_work(session, memo), memo.round, memo.status, undone_signal_ids(session, memo_id))


def note_alive(session: Session, memo_id: int) -> Memo:
    memo = session.get_one(Memo, memo_id)
    memo.flow_seen_at = utcnow()
    return memo


def _work(session: Session, memo: Memo) -> Work:
    if memo.status in ENDED:  # withdrawn, disapproved or cancelled: nothing more to do
        return Work.DONE
    if memo.status == MemoStatus.PUBLISHED:
        if _unposted_channels(session, memo.id):
            return Work.POST
        return Work.EVIDENCE if evidence_owed(session, memo.id) else Work.DONE
    if memo.status == MemoStatus.APPROVED:
        return Work.PUBLISH
    if memo.status != MemoStatus.RETURNED and not has_report(session, memo.id, memo.round):
        return Work.PREPARE
    return Work.WAIT


def has_report(session: Session, memo_id: int, round_: int) -> bool:
    return (
        session.exec(
            select(ProofreadReport.id).where(ProofreadReport.memo_id == memo_id, ProofreadReport.round == round_)
        ).first()
        is not None
    )


def _unposted_channels(session: Session, memo_id: int) -> bool:
    # Only the social channels are the flow's to send: the notice board waits for a person
    # (services.publication.notice_board), and the run must not wake for it again and again. A webhook post a
    # dead run left "sending" is work too: it is sent again under the same key.
    return session.exec(
        select(PublicationChannel.id)
        .join(Publication)
        .where(
            Publication.memo_id == memo_id,
            PublicationChannel.status == PENDING,
            col(PublicationChannel.channel).not_in(RESERVED_NAMES),
        )
    ).first() is not None or webhook_in_flight(session, memo_id)
