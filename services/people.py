"""Finding and authenticating people, and what they hold on a given day."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, func, select

from models import AuditEntry, Delegation, Holding, Person
from models.clock import utcnow
from models.db import read_scope
from models.rules import DelegationGrant, Refused
from models.secrets import secret_matches

BAD_CREDENTIALS = Refused("bad-credentials", "ชื่อผู้ใช้หรือรหัส PIN ไม่ถูกต้อง (wrong username or signing PIN)")
PIN_LOCKED = Refused("pin-locked", "ใส่รหัส PIN ผิดหลายครั้งเกินไป กรุณารอ ๑๕ นาทีแล้วลองใหม่ "
                     "(too many wrong PINs: wait 15 minutes)")
PIN_ATTEMPTS = 5
PIN_WINDOW = dt.timedelta(minutes=15)


def pin_locked(session: Session, username: str) -> bool:
    """Five wrong PINs in 15 minutes lock signing for that username. The count comes from the
    audit log, so every process and every path (CLI, web, Prefect UI) shares it."""
    since = utcnow() - PIN_WINDOW
    failures = session.exec(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.actor == username, AuditEntry.at >= since, AuditEntry.action.like("%.refused"),
        AuditEntry.data_json.like('%"code":"bad-credentials"%'))).one()
    return failures >= PIN_ATTEMPTS


@dataclass(frozen=True)
class VerifiedPin:
    """A PIN checked before the write transaction: Argon2 is slow on purpose and must not run
    while the transaction holds the lock. The transaction then confirms the hash it matched."""

    person_id: int
    pin_hash: str


def verify_pin(username: str, pin: str, *, engine: Engine | None = None) -> VerifiedPin | None:
    with read_scope(engine) as session:
        person = session.exec(select(Person).where(Person.username == username)).first()
    if person is None or not person.active or not secret_matches(person.pin_hash, pin):
        return None
    return VerifiedPin(person.id, person.pin_hash)


def confirm_verified(session: Session, username: str, verified: VerifiedPin | None) -> Person:
    """The person whose PIN was verified, unless signing is locked for them or their PIN or
    status changed since."""
    if pin_locked(session, username):
        raise PIN_LOCKED
    person = session.get(Person, verified.person_id) if verified else None
    if person is None or not person.active or person.pin_hash != verified.pin_hash:
        raise BAD_CREDENTIALS
    return person


def authenticate_by_pin(session: Session, username: str, pin: str) -> Person:
    """The active person with this username and signing PIN; the same refusal for any mismatch."""
    if pin_locked(session, username):
        raise PIN_LOCKED
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
