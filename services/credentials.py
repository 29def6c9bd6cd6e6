"""A person's own password and PIN, an administrator's reset of them, and deactivation.

Each function works in the caller's transaction and writes its audit entry there; a refusal
(a wrong old password or PIN) raises Refused, which `run_action` logs in a transaction of its
own, so wrong old PINs count towards the signing-PIN lock (services.people.pin_locked) like
any other wrong PIN. No audit entry ever holds a password, a PIN or a one-time code.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlmodel import Session, delete, func, select

from models import AuditEntry, ChainStep, Holding, Memo, Organisation, Person, WebSession, audit
from models.clock import utcnow
from models.enums import MemoStatus
from models.pin_policy import BadPin, check_new_pin
from models.rules import Refused
from models.secrets import hash_pin, hash_secret, pin_matches, secret_matches
from services.errors import BadInput
from services.escalation import escalate_step
from services.people import BAD_CREDENTIALS, PIN_LOCKED, PIN_WINDOW, member_of, pin_locked, wrong_pin

MIN_PASSWORD_CHARS = 10
WRONG_PASSWORD = Refused("bad-password", "รหัสผ่านเดิมไม่ถูกต้อง (the current password is wrong)")
PASSWORD_LOCKED = Refused("password-locked", "ใส่รหัสผ่านเดิมผิดหลายครั้งเกินไป กรุณารอ ๑๕ นาทีแล้วลองใหม่ "
                          "(too many wrong current passwords: wait 15 minutes)")
PASSWORD_ATTEMPTS = 5
ONE_TIME_PIN_DIGITS = 8


def check_new_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise BadInput(f"รหัสผ่านต้องยาวอย่างน้อย ๑๐ ตัวอักษร (the password needs at least {MIN_PASSWORD_CHARS} characters)")
    return password


def new_pin_or_bad_input(pin: str) -> str:
    try:
        return check_new_pin(pin)
    except BadPin as problem:
        raise BadInput(str(problem)) from problem


# --- the person themself --------------------------------------------------------------------------


def change_own_password(session: Session, *, username: str, old: str, new: str,
                        keep_session_id: int | None = None) -> None:
    """Replace the password, knowing the current one (or the one-time code). Every other
    session of the person ends: whoever else was signed in with the old one is out."""
    person = _active(session, username)
    if _recent_refusals(session, username, WRONG_PASSWORD.code) >= PASSWORD_ATTEMPTS:
        raise PASSWORD_LOCKED
    if not secret_matches(person.password_hash, old):
        raise WRONG_PASSWORD
    if new == old:
        raise BadInput("รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสเดิม (the new password must differ from the current one)")
    person.password_hash, person.password_must_change = hash_secret(check_new_password(new)), False
    session.add(person)
    end_sessions(session, person.id, keep_session_id=keep_session_id)
    _log(session, person, actor=username, action="account.password.changed")


def change_own_pin(session: Session, *, username: str, old: str, new: str) -> None:
    """Replace the signing PIN, knowing the current one (or the one-time code)."""
    if pin_locked(session, username):
        raise PIN_LOCKED
    person = _active(session, username)
    if not pin_matches(person.pin_hash, old):
        raise wrong_pin(session, username)
    pin = new_pin_or_bad_input(new)
    if pin_matches(person.pin_hash, pin):
        raise BadInput("รหัส PIN ใหม่ต้องไม่ซ้ำกับรหัสเดิม (the new PIN must differ from the current one)")
    person.pin_hash, person.pin_must_change = hash_pin(pin), False
    session.add(person)
    _log(session, person, actor=username, action="account.pin.changed")


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
    person.password_hash, person.password_must_change = hash_secret(code), True
    session.add(person)
    end_sessions(session, person.id)
    _log(session, person, actor=actor, action="account.password.reset")
    return OneTimeCode(username, "password", code)


def reset_pin(session: Session, *, actor: str, org: Organisation, username: str) -> OneTimeCode:
    person = member_of(session, org, username)
    code = _one_time_pin()
    person.pin_hash, person.pin_must_change = hash_pin(code), True
    session.add(person)
    _log(session, person, actor=actor, action="account.pin.reset")
    return OneTimeCode(username, "pin", code)


def deactivate(session: Session, *, actor: str, org: Organisation, username: str, now: dt.datetime | None = None) -> list[int]:
    """The person can no longer log in or sign; their sessions end, the positions they held
    fall vacant, and every memo waiting at one of their steps goes to the position above
    (as an overdue step would). Returns those memos' ids."""
    person = member_of(session, org, username)
    if person.username == actor:
        raise BadInput("ผู้ดูแลระบบปิดบัญชีของตนเองไม่ได้ (an administrator cannot deactivate themself)")
    if not person.active:
        raise BadInput(f"บัญชี {username} ถูกปิดแล้ว ({username} is already deactivated)")
    held = list(session.exec(select(Holding).where(Holding.person_id == person.id)))
    escalated = _escalate_waiting(session, org, [h.position_id for h in held], now or utcnow())
    for holding in held:
        session.delete(holding)
    person.active = False
    session.add(person)
    end_sessions(session, person.id)
    _log(session, person, actor=actor, action="account.deactivated",
         data={"vacated_position_ids": [h.position_id for h in held], "escalated_memo_ids": escalated})
    return escalated


def end_sessions(session: Session, person_id: int, *, keep_session_id: int | None = None) -> None:
    query = delete(WebSession).where(WebSession.person_id == person_id)
    if keep_session_id is not None:
        query = query.where(WebSession.id != keep_session_id)
    session.exec(query)


def _escalate_waiting(session: Session, org: Organisation, position_ids: list[int], now: dt.datetime) -> list[int]:
    memos = session.exec(select(Memo).where(Memo.organisation_id == org.id, Memo.status == MemoStatus.IN_REVIEW)).all()
    escalated = []
    for memo in memos:
        step = session.exec(select(ChainStep).where(ChainStep.chain_id == memo.chain_id,
                                                    ChainStep.step_index == memo.step)).one()
        if step.position_id in position_ids and escalate_step(session, memo, now, reason="signer-deactivated"):
            escalated.append(memo.id)
    return escalated


def _one_time_pin() -> str:
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
    return session.exec(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.actor == username, AuditEntry.at >= utcnow() - PIN_WINDOW, AuditEntry.action.like("%.refused"),
        AuditEntry.data_json.like(f'%"code":"{code}"%'))).one()


def _log(session: Session, person: Person, *, actor: str, action: str, data: dict | None = None) -> None:
    org = session.get(Organisation, person.organisation_id)
    audit.append(session, actor=actor, action=action, subject=f"person:{person.id}",
                 data={"username": person.username, "organisation": org.code, **(data or {})})
