"""Asking the staff to acknowledge a published announcement: by the memo's drafter or an
administrator of its organisation, or by a circular's own publication (`ask_at_publication`).

The recipients are frozen when asked (everyone active, or the holders of chosen units' or
positions' posts): who has not acknowledged is measured against that list, which the request
row holds, insert-only and audited, so nobody can be taken off it unseen.
"""

import json
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models import AcknowledgementRequest, Holding, Memo, Organisation, Person, Position, Publication, Unit, audit
from models.clock import utcnow
from models.digits import thai_digits
from models.rules import Refused
from services.errors import BadInput

EVERYONE, UNITS, POSITIONS = "everyone", "units", "positions"
NOT_ALLOWED = Refused(
    "not-drafter-or-admin",
    "เฉพาะผู้ร่างบันทึกหรือผู้ดูแลระบบเท่านั้นที่ขอให้เจ้าหน้าที่รับทราบได้ "
    "(only the memo's drafter or an administrator may ask the staff to acknowledge it)",
)


@dataclass(frozen=True)
class Recipients:
    """Who must acknowledge: the holders of these units' and positions' posts (codes), or
    everyone active in the organisation when both are empty."""

    units: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()

    @property
    def scope(self) -> str:
        return UNITS if self.units and not self.positions else POSITIONS if self.positions else EVERYONE


def request_of(session: Session, memo_id: int) -> AcknowledgementRequest | None:
    return session.exec(select(AcknowledgementRequest).where(AcknowledgementRequest.memo_id == memo_id)).first()


def recipient_ids(request: AcknowledgementRequest) -> list[int]:
    return [int(i) for i in json.loads(request.recipient_ids_json)]


def ask_staff_to_acknowledge(
    session: Session, *, memo_id: int, username: str, recipients: Recipients = Recipients(), via: str = "web"
) -> AcknowledgementRequest:
    """`username` (the drafter, or an administrator of the memo's organisation) asks the
    recipients to acknowledge the memo's published announcement. Once per memo: asked again,
    the request already made is returned unchanged."""
    memo = session.get(Memo, memo_id)
    person = session.exec(select(Person).where(Person.username == username)).first()
    if memo is None or person is None or not person.active or person.organisation_id != memo.organisation_id:
        raise BadInput(f"ไม่พบบันทึกเลขที่ {thai_digits(memo_id)} (no memo {memo_id})")
    if person.id != memo.drafter_id and not person.is_admin:
        raise NOT_ALLOWED
    return request_of(session, memo_id) or _ask(session, memo, person, recipients, via=via)


def ask_at_publication(
    session: Session, publication: Publication, recipients: Recipients = Recipients()
) -> AcknowledgementRequest:
    """On behalf of its drafter, for a document every recipient acknowledges: a circular, by its
    publication in the same transaction; an ITA item's document whose item has a circular, by the
    memo's flow run once it is published (tasks.publish). Once per memo."""
    memo = session.get(Memo, publication.memo_id)
    existing = request_of(session, memo.id)
    if existing is not None:
        return existing
    return _ask(session, memo, session.get(Person, memo.drafter_id), recipients, via="publication")


def _ask(session: Session, memo: Memo, asker: Person, recipients: Recipients, *, via: str) -> AcknowledgementRequest:
    publication = session.exec(select(Publication).where(Publication.memo_id == memo.id)).first()
    if publication is None:
        raise Refused(
            "not-published",
            "บันทึกนี้ยังไม่ได้เผยแพร่ จึงยังขอให้รับทราบไม่ได้ (not published yet: nothing to acknowledge)",
        )
    org = session.get(Organisation, memo.organisation_id)
    people = chosen_people(session, org, recipients)
    if not people:
        raise BadInput("ไม่มีผู้ใดอยู่ในส่วนราชการหรือตำแหน่งที่เลือก (nobody holds a post in what you chose)", field="units")
    request = AcknowledgementRequest(
        organisation_id=org.id,
        memo_id=memo.id,
        publication_id=publication.id,
        revision_sha256=publication.revision_sha256,
        announcement_sha256=publication.announcement_sha256,
        asked_by_id=asker.id,
        scope=recipients.scope,
        scope_codes=",".join((*recipients.units, *recipients.positions)),
        recipient_ids_json=json.dumps(sorted(p.id for p in people)),
        remind_after_working_days=org.step_working_days,
        at=utcnow(),
    )
    session.add(request)
    session.flush()
    audit.append(
        session,
        actor=asker.username,
        action="acknowledgement.asked",
        subject=f"memo:{memo.id}",
        data={
            "publication_id": publication.id,
            "announcement_sha256": publication.announcement_sha256,
            "units": list(recipients.units),
            "positions": list(recipients.positions),
            "people": [p.username for p in people],
            "via": via,
        },
    )
    return request


def chosen_people(session: Session, org: Organisation, recipients: Recipients) -> list[Person]:
    """The active people of `org` the choice names, by id; an unknown code is refused by name."""
    active = select(Person).where(Person.organisation_id == org.id, Person.active).order_by(Person.id)
    if recipients.scope == EVERYONE:
        return list(session.exec(active))
    units = _by_codes(session, Unit, org, recipients.units, "units", "ส่วนราชการ")
    positions = _by_codes(session, Position, org, recipients.positions, "positions", "ตำแหน่ง")
    unit_ids = [u.id for u in units]
    position_ids = {p.id for p in positions} | set(
        session.exec(select(Position.id).where(col(Position.unit_id).in_(unit_ids))) if unit_ids else ()
    )
    holders = set(session.exec(select(Holding.person_id).where(col(Holding.position_id).in_(position_ids))))
    return [p for p in session.exec(active) if p.id in holders]


def _by_codes(session: Session, table, org: Organisation, codes: tuple[str, ...], field: str, word: str) -> list:  # noqa: ANN001
    rows = list(session.exec(select(table).where(table.organisation_id == org.id, col(table.code).in_(codes))))
    unknown = sorted(set(codes) - {r.code for r in rows})
    if unknown:
        raise BadInput(f"ไม่พบ{word} {', '.join(unknown)} (no such {field}: {', '.join(unknown)})", field=field)
    return rows


def choices(session: Session, org: Organisation) -> tuple[list[Unit], list[Position]]:
    """What the asking form offers: the organisation's units and positions."""
    units = list(session.exec(select(Unit).where(Unit.organisation_id == org.id).order_by(Unit.id)))
    positions = list(session.exec(select(Position).where(Position.organisation_id == org.id).order_by(Position.id)))
    return units, positions
