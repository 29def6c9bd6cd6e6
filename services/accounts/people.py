"""Finding and authenticating people, and what they hold on a given day."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from models import AuditEntry, Delegation, Holding, Organisation, Person
from models.clock import utcnow
from models.db import read_scope
from models.digits import thai_digits
from models.pin_policy import BadPin, check_new_pin
from models.rules import DelegationGrant, Refused
from models.secrets import hash_pin, needs_rehash, pin_matches
from services.errors import BadInput

BAD_CREDENTIALS = Refused("bad-credentials", "ชื่อผู้ใช้หรือรหัส PIN ไม่ถูกต้อง (wrong username or signing PIN)")
PIN_LOCKED = Refused(
    "pin-locked",
    "ใส่รหัส PIN ผิดครบ ๕ ครั้ง ระบบระงับการลงนามไว้ ๑๕ นาที กรุณารอแล้วลองใหม่ "
    "หากจำรหัสไม่ได้ ให้ผู้ดูแลระบบออกรหัสใช้ครั้งเดียวให้ "
    "(too many wrong PINs: signing is locked, wait 15 minutes; an administrator can reset a forgotten PIN)",
)
PIN_MUST_CHANGE = Refused(
    "pin-must-change",
    'กรุณาตั้งรหัส PIN ใหม่ก่อนลงนาม ที่หน้า "บัญชีของฉัน" หรือ '
    "saraban account pin (replace your PIN before signing: the one-time code from a reset, "
    "or a PIN shorter or weaker than the rules now allow)",
)
PIN_ATTEMPTS = 5
PIN_WINDOW = dt.timedelta(minutes=15)


def pin_locked(session: Session, username: str) -> bool:
    """Five wrong PINs in 15 minutes lock signing for that username. The count comes from the
    audit log, so every process and every path (CLI, web, Prefect UI) shares it."""
    return pin_failures(session, username) >= PIN_ATTEMPTS


def pin_failures(session: Session, username: str) -> int:
    """Wrong PINs recorded for `username` in the last 15 minutes (refusals are audited)."""
    since = utcnow() - PIN_WINDOW
    return session.exec(
        select(func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.actor == username,
            AuditEntry.at >= since,
            col(AuditEntry.action).like("%.refused"),
            col(AuditEntry.data_json).like('%"code":"bad-credentials"%'),
        )
    ).one()


def wrong_pin(session: Session, username: str) -> Refused:
    """The refusal of a wrong PIN. To a person who exists (the web's signed-in user, the CLI's
    --as) it says how many tries are left and what the lock does, without naming the username;
    for a name nobody has, the neutral BAD_CREDENTIALS. The refusal is audited after this, so
    this try is counted here by hand."""
    person = session.exec(select(Person).where(Person.username == username)).first()
    if person is None or not person.active:
        return BAD_CREDENTIALS
    left = max(0, PIN_ATTEMPTS - pin_failures(session, username) - 1)
    if left == 0:
        return Refused(
            "bad-credentials",
            f"รหัส PIN ไม่ถูกต้อง ผิดครบ {thai_digits(PIN_ATTEMPTS)} ครั้งแล้ว ระบบระงับการลงนามของท่าน "
            f"๑๕ นาที หากจำรหัสไม่ได้ ให้ผู้ดูแลระบบออกรหัสใช้ครั้งเดียวให้ (wrong signing PIN, the "
            f"{PIN_ATTEMPTS}th: signing is now locked for 15 minutes; an administrator can reset a forgotten PIN)",
        )
    return Refused(
        "bad-credentials",
        f"รหัส PIN ไม่ถูกต้อง ลองได้อีก {thai_digits(left)} ครั้ง ถ้าผิดครบ {thai_digits(PIN_ATTEMPTS)} ครั้ง "
        f"ระบบจะระงับการลงนามของท่าน ๑๕ นาที (wrong signing PIN: {left} "
        f"{'try' if left == 1 else 'tries'} left, then signing is locked for 15 minutes)",
    )


@dataclass(frozen=True)
class VerifiedPin:
    """A PIN checked before the write transaction: Argon2 is slow on purpose and must not run
    while the transaction holds the lock. The transaction then confirms the hash it matched."""

    person_id: int
    pin_hash: str
    outdated: bool = False  # the PIN typed is right but no longer allowed (pin_outdated)
    new_hash: str | None = None  # a peppered hash to store in place of a legacy one


def verify_pin(username: str, pin: str, *, engine: Engine | None = None) -> VerifiedPin | None:
    with read_scope(engine) as session:
        person = session.exec(select(Person).where(Person.username == username)).first()
    if person is None or not person.active or not pin_matches(person.pin_hash, pin, username=person.username):
        return None
    new_hash = hash_pin(pin, username=username) if needs_rehash(person.pin_hash, username=username) else None
    return VerifiedPin(person.id, person.pin_hash, pin_outdated(pin), new_hash)


def confirm_verified(session: Session, username: str, verified: VerifiedPin | None) -> Person:
    """The person whose PIN was verified, unless signing is locked for them or their PIN or
    status changed since."""
    if pin_locked(session, username):
        raise PIN_LOCKED
    person = session.get(Person, verified.person_id) if verified else None
    if person is None or not person.active or person.pin_hash != verified.pin_hash:
        raise wrong_pin(session, username)
    if person.pin_must_change or verified.outdated:
        raise PIN_MUST_CHANGE
    if verified.new_hash:
        person.pin_hash = verified.new_hash
    return person


def authenticate_by_pin(session: Session, username: str, pin: str) -> Person:
    """The active person with this username and signing PIN; the same refusal for any mismatch."""
    if pin_locked(session, username):
        raise PIN_LOCKED
    person = session.exec(select(Person).where(Person.username == username)).first()
    if person is None or not person.active or not pin_matches(person.pin_hash, pin, username=person.username):
        raise wrong_pin(session, username)
    if person.pin_must_change or pin_outdated(pin):
        raise PIN_MUST_CHANGE
    upgrade_pin_hash(person, pin)
    return person


def pin_outdated(pin: str) -> bool:
    """A right PIN set before today's rules (shorter, or weak): it must be replaced before the
    person signs again. Checked on the PIN as typed, so nothing about it needs storing."""
    try:
        check_new_pin(pin)
    except BadPin:
        return True
    return False


def upgrade_pin_hash(person: Person, pin: str) -> None:
    """Replace a hash made before the pepper (or with weaker parameters) once the PIN is known
    right, in the caller's transaction."""
    if needs_rehash(person.pin_hash, username=person.username):
        person.pin_hash = hash_pin(pin, username=person.username)


def member_of(session: Session, org: Organisation, username: str) -> Person:
    """The organisation's person with this username, for an administrator's action on them."""
    person = session.exec(select(Person).where(Person.username == username, Person.organisation_id == org.id)).first()
    if person is None:
        raise BadInput(f"ไม่พบผู้ใช้ {username} (unknown user {username})")
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
