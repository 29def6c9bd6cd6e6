"""Signing through the Prefect UI's resume form.

Prefect OSS has no users: whoever reaches its UI or API may resume any run with anything that
fits the form. So this path is off unless the organisation's administrator turns it on, and
when it is on the signer gives their login password as well as the PIN; a wrong password is
refused before the PIN is even looked at (the form is no oracle for PINs) and counts towards
the same signing lock as a wrong PIN (services.accounts.people.pin_locked).
"""

from sqlmodel import select

from models import Memo, Organisation, Person, audit
from models.db import read_scope, session_scope
from models.rules import Refused
from models.secrets import secret_matches
from services.accounts.people import PIN_LOCKED, pin_locked
from services.memo_life.signoff import SignOffRequest, SignOffResult, sign_off
from services.unit_of_work import known_actor

VIA = "prefect-ui"
SIGNING_OFF = Refused(
    "prefect-ui-signing-off",
    "การลงนามผ่านหน้า Prefect ถูกปิด กรุณาลงนามใน Saraban "
    "(signing through the Prefect UI is off for this organisation: sign in Saraban)",
)
BAD_PASSWORD = Refused("bad-credentials", "ชื่อผู้ใช้ รหัสผ่าน หรือรหัส PIN ไม่ถูกต้อง (wrong username, password or signing PIN)")


def signing_enabled(memo_id: int) -> bool:
    with read_scope() as session:
        memo = session.get(Memo, memo_id)
        return memo is not None and session.get(Organisation, memo.organisation_id).prefect_ui_signing


def sign_from_prefect_ui(request: SignOffRequest, password: str) -> SignOffResult:
    """The sign-off typed into the Prefect UI, once this path is on and the password matches."""
    try:
        _check_password_path(request.memo_id, request.username, password)
    except Refused as refusal:
        with session_scope() as session:
            audit.append(
                session,
                actor=known_actor(session, request.username),  # what was typed may be a password
                action="signoff.refused",
                subject=f"memo:{request.memo_id}",
                data={"code": refusal.code, "reason": refusal.message, "via": VIA},
            )
        raise
    return sign_off(request)


def _check_password_path(memo_id: int, username: str, password: str) -> None:
    if not signing_enabled(memo_id):
        raise SIGNING_OFF
    with read_scope() as session:
        if pin_locked(session, username):
            raise PIN_LOCKED
        person = session.exec(select(Person).where(Person.username == username)).first()
    if (
        person is None
        or not person.active
        or not secret_matches(person.password_hash, password, username=person.username)
    ):
        raise BAD_PASSWORD
