"""A person's own password and PIN, an administrator's reset of them, and deactivation.

Each function works in the caller's transaction and writes its audit entry there; a refusal
(a wrong old password or PIN) raises Refused, which `run_action` logs in a transaction of its
own, so wrong old PINs count towards the signing-PIN lock (services.accounts.people.pin_locked) like
any other wrong PIN. No audit entry ever holds a password, a PIN or a one-time code.
"""

import secrets
from dataclasses import dataclass

from sqlmodel import Session, col, delete, func, select

from models import AuditEntry, Organisation, Person, WebSession, audit
from models.clock import utcnow
from models.pin_policy import BadPin, check_new_pin
from models.rules import Refused
from models.secrets import (
    bound_to,
    hash_pin,
    hash_secret,
    made_before_binding,
    made_without_pepper,
    pin_matches,
    secret_matches,
)
from services.accounts.people import BAD_CREDENTIALS, PIN_LOCKED, PIN_WINDOW, member_of, pin_locked, wrong_pin
from services.accounts.security_notices import tell_other_administrators, tell_person
from services.errors import BadInput

MIN_PASSWORD_CHARS = 10
WRONG_PASSWORD = Refused("bad-password", "รหัสผ่านเดิมไม่ถูกต้อง (the current password is wrong)")
PASSWORD_LOCKED = Refused(
    "password-locked",
    "ใส่รหัสผ่านเดิมผิดหลายครั้งเกินไป กรุณารอ ๑๕ นาทีแล้วลองใหม่ (too many wrong current passwords: wait 15 minutes)",
)
PASSWORD_ATTEMPTS = 5
ONE_TIME_PIN_DIGITS = 8


def check_new_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise BadInput(
            f"รหัสผ่านต้องยาวอย่างน้อย ๑๐ ตัวอักษร (the password needs at least {MIN_PASSWORD_CHARS} characters)",
            field="password",
        )
    return password


def new_pin_or_bad_input(pin: str) -> str:
    try:
        return check_new_pin(pin)
    except BadPin as problem:
        raise BadInput(str(problem), field="pin") from problem


# --- the person themself --------------------------------------------------------------------------


def change_own_password(
    session: Session, *, username: str, old: str, new: str, keep_session_id: int | None = None
) -> None:
    """Replace the password, knowing the current one (or the one-time code). Every other
    session of the person ends: whoever else was signed in with the old one is out."""
    person = _active(session, username)
    if _recent_refusals(session, username, WRONG_PASSWORD.code) >= PASSWORD_ATTEMPTS:
        raise PASSWORD_LOCKED
    if not secret_matches(person.password_hash, old, username=person.username):
        raise WRONG_PASSWORD
    if new == old:
        raise BadInput("รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสเดิม (the new password must differ from the current one)", field="new")
    person.password_hash, person.password_must_change = (
        hash_secret(check_new_password(new), username=person.username),
        False,
    )
    session.add(person)
    end_sessions(session, person.id, keep_session_id=keep_session_id)
    audit_account_change(session, person, actor=username, action="account.password.changed")


def change_own_pin(session: Session, *, username: str, old: str, new: str) -> None:
    """Replace the signing PIN, knowing the current one (or the one-time code)."""
    if pin_locked(session, username):
        raise PIN_LOCKED
    person = _active(session, username)
    if not pin_matches(person.pin_hash, old, username=person.username):
        raise wrong_pin(session, username)
    pin = new_pin_or_bad_input(new)
    if pin_matches(person.pin_hash, pin, username=person.username):
        raise BadInput("รหัส PIN ใหม่ต้องไม่ซ้ำกับรหัสเดิม (the new PIN must differ from the current one)", field="new")
    person.pin_hash, person.pin_must_change = hash_pin(pin, username=person.username), False
    session.add(person)
    audit_account_change(session, person, actor=username, action="account.pin.changed")


# --- an administrator -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OneTimeCode:
    """Shown once to the administrator, to hand to the person; only its hash is kept."""

    username: str
    what: str  # "password" or "pin"
    code: str


def reset_password(session: Session, *, actor: str, org: Organisation, username: str) -> OneTimeCode:
    person = member_of(session, org, username)
    code = secrets.token_urlsafe(9)  # 12 characters, 72 bits
    person.password_hash, person.password_must_change = hash_secret(code, username=person.username), True
    session.add(person)
    end_sessions(session, person.id)
    audit_account_change(session, person, actor=actor, action="account.password.reset")
    _reset_told(session, org, person, actor, "รหัสผ่าน")
    return OneTimeCode(username, "password", code)


def reset_pin(
    session: Session, *, actor: str, org: Organisation, username: str, code: str | None = None
) -> OneTimeCode:
    """A one-time PIN for `username` (`code`: one drawn by one_time_pin and already delivered)."""
    person = member_of(session, org, username)
    code = code or one_time_pin()
    person.pin_hash, person.pin_must_change = hash_pin(code, username=person.username), True
    session.add(person)
    audit_account_change(session, person, actor=actor, action="account.pin.reset")
    _reset_told(session, org, person, actor, "รหัส PIN สำหรับลงนาม")
    return OneTimeCode(username, "pin", code)


def _reset_told(session: Session, org: Organisation, person: Person, actor: str, what: str) -> None:
    """The person and the other administrators hear of every reset at once: a reset is how an
    administrator could sign as someone else."""
    when = utcnow().strftime("%Y-%m-%d %H:%M UTC")
    tell_person(
        session,
        person,
        f"มีการตั้ง{what}ของท่านใหม่",
        [
            f"ผู้ดูแลระบบ ({actor}) ตั้ง{what}ของท่านใหม่เมื่อ {when}",
            "หากท่านไม่ได้ขอ กรุณาแจ้งผู้บังคับบัญชาและผู้ดูแลระบบคนอื่นทันที การลงนามของท่านในระยะนี้จะมีหมายเหตุว่าเกิดขึ้นหลังการตั้งรหัสใหม่",
        ],
    )
    tell_other_administrators(
        session,
        org,
        actor,
        f"ผู้ดูแลระบบ {actor}: ตั้ง{what}ของ {person.username} ใหม่",
        [f"{actor} ตั้ง{what}ของ {person.full_name} ({person.username}) ใหม่เมื่อ {when}"],
    )


def end_sessions(session: Session, person_id: int, *, keep_session_id: int | None = None) -> None:
    query = delete(WebSession).where(WebSession.person_id == person_id)
    if keep_session_id is not None:
        query = query.where(WebSession.id != keep_session_id)
    session.exec(query)


def one_time_pin() -> str:
    while True:  # a random 8-digit code is weak (a date, a run) about 1 time in 60: draw again
        code = "".join(secrets.choice("0123456789") for _ in range(ONE_TIME_PIN_DIGITS))
        try:
            return check_new_pin(code)
        except BadPin:
            continue


def _active(session: Session, username: str) -> Person:
    person = session.exec(select(Person).where(Person.username == username)).first()
    if person is None or not person.active:
        raise BAD_CREDENTIALS
    return person


def _recent_refusals(session: Session, username: str, code: str) -> int:
    return session.exec(
        select(func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.actor == username,
            AuditEntry.at >= utcnow() - PIN_WINDOW,
            col(AuditEntry.action).like("%.refused"),
            col(AuditEntry.data_json).like(f'%"code":"{code}"%'),
        )
    ).one()


def audit_account_change(
    session: Session, person: Person, *, actor: str, action: str, data: dict | None = None
) -> None:
    org = session.get(Organisation, person.organisation_id)
    audit.append(
        session,
        actor=actor,
        action=action,
        subject=f"person:{person.id}",
        data={"username": person.username, "organisation": org.code, **(data or {})},
    )


def credentials_without_pepper(session: Session) -> list[tuple[str, list[str]]]:
    """(username, ["password", "pin"]) for every account holding a hash made without the pepper:
    refused at every check (models.secrets) until `saraban account reset` replaces it."""
    found = []
    for person in session.exec(select(Person).order_by(Person.username)):
        what = [
            name
            for name, stored in (("password", person.password_hash), ("pin", person.pin_hash))
            if made_without_pepper(stored)
        ]
        if what:
            found.append((person.username, what))
    return found


def bind_hashes_made_before_binding(session: Session) -> list[str]:
    """Bind each peppered hash made before the binding (models.secrets.bind) to the person whose
    row holds it now: trust on first use at the upgrade, as for the rows' first audit entry, and
    on the record. The usernames bound."""
    bound = []
    for person in session.exec(select(Person).order_by(Person.username)):
        if made_before_binding(person.password_hash) or made_before_binding(person.pin_hash):
            person.password_hash = bound_to(person.username, person.password_hash)
            person.pin_hash = bound_to(person.username, person.pin_hash)
            session.add(person)
            bound.append(person.username)
    if bound:
        session.flush()
        audit.append(session, actor="system", action="account.hashes.bound", subject="audit", data={"people": bound})
    return bound
