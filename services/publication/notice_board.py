"""The physical notice board (ปิดประกาศ): posted by a person, recorded by that person with the day.

Publication opens the notice-board row as pending: nothing is on the board until someone pins
the printed announcement there. The officer who does so records it (the day it went up, which
may be earlier than the day it is recorded), and the record names them, not "the system".
"""

import datetime as dt

from sqlmodel import Session, select

from models import Memo, Person, Publication, PublicationChannel, audit
from models.clock import office_date, utcnow
from models.digits import thai_digits
from services.errors import BadInput
from services.publication.publication import NOTICE_BOARD_DAYS  # how long an announcement stays on the board
from services.publication.publication_channels import NOTICE_BOARD, PENDING, POSTED


def record_notice_board_posting(
    session: Session, *, memo_id: int, username: str, posted_on: dt.date
) -> PublicationChannel:
    """`username` posted the announcement of `memo_id` on the board on `posted_on`; audited."""
    memo = session.get(Memo, memo_id)
    person = session.exec(select(Person).where(Person.username == username)).first()
    if memo is None or person is None or not person.active or person.organisation_id != memo.organisation_id:
        raise BadInput(f"ไม่พบบันทึกเลขที่ {thai_digits(memo_id)} (no memo {memo_id})")
    publication = session.exec(select(Publication).where(Publication.memo_id == memo_id)).first()
    if publication is None:
        raise BadInput("บันทึกนี้ยังไม่ได้เผยแพร่ จึงยังปิดประกาศไม่ได้ (not published yet: nothing to post on the board)")
    row = session.exec(
        select(PublicationChannel).where(
            PublicationChannel.publication_id == publication.id, PublicationChannel.channel == NOTICE_BOARD
        )
    ).one()
    if row.status != PENDING:
        raise BadInput("บันทึกการปิดประกาศไว้แล้ว (the notice-board posting is already recorded)")
    if not publication.announcement_date <= posted_on <= office_date():
        raise BadInput(
            "วันที่ปิดประกาศต้องไม่ก่อนวันที่ประกาศและไม่เลยวันนี้ "
            "(the posting day must be between the announcement's date and today)"
        )
    row.status, row.posted_at, row.posted_by_id, row.posted_on = POSTED, utcnow(), person.id, posted_on
    session.add(row)
    audit.append(
        session,
        actor=username,
        action="publication.notice_board.posted",
        subject=f"memo:{memo_id}",
        data={
            "publication_id": publication.id,
            "posted_on": posted_on.isoformat(),
            "remove_on": remove_on(posted_on).isoformat(),
        },
    )
    return row


def board_dates(session: Session, publication_id: int) -> tuple[dt.date | None, dt.date | None]:
    """(posted on, to be removed on) as the person who pinned it up recorded them; (None, None)
    while nobody has."""
    row = session.exec(
        select(PublicationChannel).where(
            PublicationChannel.publication_id == publication_id, PublicationChannel.channel == NOTICE_BOARD
        )
    ).first()
    if row is None or row.status != POSTED or row.posted_on is None:
        return None, None
    return row.posted_on, remove_on(row.posted_on)


def remove_on(posted_on: dt.date) -> dt.date:
    return posted_on + dt.timedelta(days=NOTICE_BOARD_DAYS)
