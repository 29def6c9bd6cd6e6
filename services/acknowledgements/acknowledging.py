"""Each person's รับทราบ, and who has and has not.

Only the person acknowledges for themselves (the web passes the signed-in person's own name,
never one from the form), only a request of their own organisation that names them, and once:
a second acknowledgement records nothing and says when the first was made. An announcement
cancelled since it was asked is no longer acknowledged (nor reminded of).
"""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from models import (
    Acknowledgement,
    AcknowledgementRequest,
    Holding,
    Memo,
    Person,
    Position,
    Publication,
    PublicationCancellation,
    audit,
)
from models.clock import utcnow
from models.digits import thai_digits
from models.rules import Refused
from services.acknowledgements.asking import recipient_ids, request_of
from services.errors import BadInput

VIA = ("web", "cli", "api")
NOT_YOURS = Refused(
    "not-a-recipient",
    "ท่านไม่อยู่ในรายชื่อผู้ต้องรับทราบประกาศนี้ (you are not among those asked to acknowledge this announcement)",
)
MAY_NOT_SEE = Refused(
    "not-drafter-or-admin",
    "เฉพาะผู้ร่างบันทึกหรือผู้ดูแลระบบเท่านั้นที่ดูรายชื่อผู้รับทราบได้ "
    "(only the memo's drafter or an administrator sees who has acknowledged)",
)


@dataclass(frozen=True)
class Acknowledged:
    acknowledgement: Acknowledgement
    already: bool  # made before: nothing was recorded now


@dataclass(frozen=True)
class RecipientRow:
    """One recipient and whether (and when, and how) they acknowledged."""

    person_id: int
    username: str
    full_name: str
    positions: str  # the titles of the posts they hold now, "" when none
    active: bool
    at: dt.datetime | None
    via: str = ""


@dataclass(frozen=True)
class AcknowledgementList:
    request: AcknowledgementRequest
    memo: Memo
    title: str  # the announcement's title as on paper (the memo's subject for rows before 0013)
    cancelled: bool
    rows: list[RecipientRow]  # acknowledged first (by time), then those who have not (by name)

    @property
    def done(self) -> list[RecipientRow]:
        return [r for r in self.rows if r.at is not None]

    @property
    def not_yet(self) -> list[RecipientRow]:
        return [r for r in self.rows if r.at is None]


def acknowledge(session: Session, *, memo_id: int, username: str, via: str = "web") -> Acknowledged:
    """`username` acknowledges the announcement of `memo_id`; audited. Once."""
    if via not in VIA:
        raise BadInput(f"via ต้องเป็น {', '.join(VIA)} (via is one of {', '.join(VIA)})")
    person = session.exec(select(Person).where(Person.username == username)).first()
    request = request_of(session, memo_id)
    if person is None or not person.active or request is None or request.organisation_id != person.organisation_id:
        raise BadInput(
            f"ไม่พบประกาศที่ต้องรับทราบของบันทึกเลขที่ {thai_digits(memo_id)} (nothing to acknowledge for memo {memo_id})"
        )
    if person.id not in recipient_ids(request):
        raise NOT_YOURS
    earlier = _acknowledgement_of(session, request.id, person.id)
    if earlier is not None:
        return Acknowledged(earlier, already=True)
    if _cancelled(session, request.publication_id):
        raise Refused(
            "cancelled", "ประกาศนี้ถูกยกเลิกแล้ว ไม่ต้องรับทราบ (this announcement was cancelled: nothing to acknowledge)"
        )
    row = Acknowledgement(
        request_id=request.id,
        memo_id=memo_id,
        person_id=person.id,
        revision_sha256=request.revision_sha256,
        announcement_sha256=request.announcement_sha256,
        via=via,
        at=utcnow(),
    )
    try:
        with session.begin_nested():  # the same person in two tabs at once: the first one stands
            session.add(row)
    except IntegrityError:
        return Acknowledged(_acknowledgement_of(session, request.id, person.id), already=True)
    audit.append(
        session,
        actor=username,
        action="acknowledgement.made",
        subject=f"memo:{memo_id}",
        data={
            "announcement_sha256": request.announcement_sha256,
            "revision_sha256": request.revision_sha256,
            "via": via,
        },
    )
    return Acknowledged(row, already=False)


def _acknowledgement_of(session: Session, request_id: int, person_id: int) -> Acknowledgement | None:
    return session.exec(
        select(Acknowledgement).where(Acknowledgement.request_id == request_id, Acknowledgement.person_id == person_id)
    ).first()


def _cancelled(session: Session, publication_id: int) -> bool:
    found = select(PublicationCancellation.id).where(PublicationCancellation.publication_id == publication_id)
    return session.exec(found).first() is not None


def may_see_list(person: Person, memo: Memo) -> bool:
    return person.organisation_id == memo.organisation_id and (person.id == memo.drafter_id or person.is_admin)


def who_has_and_has_not(session: Session, memo_id: int) -> AcknowledgementList | None:
    """Every recipient of the memo's request and their acknowledgement; None when nobody was
    asked. No check of who reads it: `acknowledgement_list` is the one for people."""
    request = request_of(session, memo_id)
    if request is None:
        return None
    memo = session.get(Memo, memo_id)
    publication = session.get(Publication, request.publication_id)
    ids = recipient_ids(request)
    people = {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(ids)))}
    made = {
        a.person_id: a for a in session.exec(select(Acknowledgement).where(Acknowledgement.request_id == request.id))
    }
    titles = _titles(session, ids)
    rows = [
        RecipientRow(
            person_id=i,
            username=people[i].username,
            full_name=people[i].full_name,
            positions=titles.get(i, ""),
            active=people[i].active,
            at=made[i].at if i in made else None,
            via=made[i].via if i in made else "",
        )
        for i in ids
    ]
    rows.sort(key=lambda r: (r.at is None, r.at or dt.datetime.min.replace(tzinfo=dt.UTC), r.full_name))
    return AcknowledgementList(
        request,
        memo,
        publication.announcement_title or memo.subject,
        _cancelled(session, request.publication_id),
        rows,
    )


def acknowledgement_list(session: Session, memo_id: int, username: str) -> AcknowledgementList | None:
    """The list for the drafter or an administrator of the memo's organisation; refused to others."""
    person = session.exec(select(Person).where(Person.username == username)).first()
    memo = session.get(Memo, memo_id)
    if person is None or memo is None or person.organisation_id != memo.organisation_id:
        raise BadInput(f"ไม่พบบันทึกเลขที่ {thai_digits(memo_id)} (no memo {memo_id})")
    if not may_see_list(person, memo):
        raise MAY_NOT_SEE
    return who_has_and_has_not(session, memo_id)


def acknowledgement_rows(session: Session, memo_id: int) -> list[tuple[str, str, dt.datetime]]:
    """(full name, position titles, when) of each acknowledgement, in order: what a public item
    page shows beside a circular (ITA). Empty when nobody was asked or nobody acknowledged."""
    found = who_has_and_has_not(session, memo_id)
    return [(r.full_name, r.positions, r.at) for r in found.done if r.at is not None] if found else []


def _titles(session: Session, person_ids: list[int]) -> dict[int, str]:
    held = session.exec(
        select(Holding.person_id, Position.title)
        .join(Position, col(Position.id) == Holding.position_id)
        .where(col(Holding.person_id).in_(person_ids))
        .order_by(Position.id)
    )
    titles: dict[int, list[str]] = {}
    for person_id, title in held:
        titles.setdefault(person_id, []).append(title)
    return {k: ", ".join(v) for k, v in titles.items()}


@dataclass(frozen=True)
class MyItem:
    """A request naming the person, for their list "หนังสือเวียนที่ต้องรับทราบ"."""

    memo_id: int
    title: str
    register_number: str
    asked_at: dt.datetime
    acknowledged_at: dt.datetime | None
    cancelled: bool


def my_items(session: Session, person: Person) -> list[MyItem]:
    """Every request of the person's organisation naming them: not yet acknowledged first."""
    items = []
    requests = session.exec(
        select(AcknowledgementRequest, Memo, Publication)
        .join(Memo, col(Memo.id) == AcknowledgementRequest.memo_id)
        .join(Publication, col(Publication.id) == AcknowledgementRequest.publication_id)
        .where(AcknowledgementRequest.organisation_id == person.organisation_id)
        .order_by(col(AcknowledgementRequest.at).desc())
    ).all()
    # A Result has keys(): dict() would read it as a mapping, so the rows are listed first.
    made = dict(
        session.exec(
            select(Acknowledgement.request_id, Acknowledgement.at).where(Acknowledgement.person_id == person.id)
        ).all()
    )
    cancelled = set(session.exec(select(PublicationCancellation.publication_id)))
    for request, memo, publication in requests:
        if person.id in recipient_ids(request):
            title = publication.announcement_title or memo.subject
            items.append(
                MyItem(
                    memo.id, title, memo.register_number, request.at, made.get(request.id), publication.id in cancelled
                )
            )
    items.sort(key=lambda i: i.acknowledged_at is not None or i.cancelled)
    return items


def pending_count(session: Session, username: str) -> int:
    """How many the person has still to acknowledge: the menu shows it on every page."""
    person = session.exec(select(Person).where(Person.username == username)).first()
    if person is None:
        return 0
    asked = session.exec(
        select(func.count())
        .select_from(AcknowledgementRequest)
        .where(AcknowledgementRequest.organisation_id == person.organisation_id)
    ).one()
    if not asked:
        return 0  # most pages of most offices: one count, nothing more
    return sum(1 for item in my_items(session, person) if item.acknowledged_at is None and not item.cancelled)
