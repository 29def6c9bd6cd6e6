"""Finding and authenticating people, and what they hold on a given day."""

import datetime as dt

from sqlmodel import Session, select

from models import Delegation, Holding, Person
from models.rules import DelegationGrant, Refused
from models.secrets import secret_matches

BAD_CREDENTIALS = Refused("bad-credentials", "ชื่อผู้ใช้หรือรหัส PIN ไม่ถูกต้อง (wrong username or signing PIN)")


def authenticate_by_pin(session: Session, username: str, pin: str) -> Person:
    """The active person with this username and signing PIN; the same refusal for any mismatch."""
    person = session.exec(select(Person).where(Person.username == username)).first()
    if person is None or not person.active or not secret_matches(person.pin_hash, pin):
        raise BAD_CREDENTIALS
    return person


def held_position_ids(session: Session, person_id: int) -> list[int]:
    return list(session.exec(select(Holding.position_id).where(Holding.person_id == person_id)))


def delegation_grants(session: Session, person_id: int) -> list[DelegationGrant]:
    rows = session.exec(select(Delegation).where(Delegation.person_id == person_id))
    return [_grant(d) for d in rows]


def grants_for_position(session: Session, position_id: int, on: dt.date) -> list[DelegationGrant]:
    rows = session.exec(select(Delegation).where(Delegation.position_id == position_id))
    return [g for g in map(_grant, rows) if g.valid_on(on)]


def _grant(d: Delegation) -> DelegationGrant:
    return DelegationGrant(d.id, d.person_id, d.position_id, d.capacity, d.order_number, d.valid_from, d.valid_to)
