"""บัญชีของฉัน: a person changes their own password and signing PIN, giving the current one, and
chooses how to hear of work (their own channels: web.routes.account_channels)."""

from collections.abc import Callable
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from models import Person
from models.db import read_scope, session_scope
from models.pin_policy import normalised_pin
from models.rules import Refused
from models.settings import get_settings
from services.accounts.credentials import change_own_password, change_own_pin
from services.accounts.security_notices import recent_notices
from services.errors import BadInput
from services.notices.line_link import LinkCode
from services.notices.line_push import line_account_row
from services.notices.own_channels import own_channels
from services.notices.work_notices import MODE_LABELS, choose_notify_mode, notify_mode
from services.unit_of_work import run_action
from web.deps import AnyFormUser, AnyUser
from web.refill import Forms, refused
from web.sessions import SignedIn
from web.templating import templates

router = APIRouter(prefix="/account", include_in_schema=False)
MESSAGES = {
    "password": "เปลี่ยนรหัสผ่านแล้ว (password changed)",
    "pin": "เปลี่ยนรหัส PIN แล้ว (PIN changed)",
    "notify": "บันทึกวิธีแจ้งเตือนแล้ว (notification choice saved)",
    "channel-added": "ส่งข้อความทดสอบพร้อมรหัสยืนยันแล้ว พิมพ์รหัสที่ได้รับในช่องด้านล่างเพื่อเริ่มใช้ช่องทางนี้ "
    "(a test message with a code was sent: type the code below to start using the channel)",
    "channel-confirmed": "ยืนยันช่องทางแล้ว เริ่มรับแจ้งเตือนทางนี้ (channel confirmed: notices now go there)",
    "channel-tested": "ส่งข้อความทดสอบแล้ว (test message sent)",
    "channel-code-sent": "ส่งรหัสยืนยันใหม่แล้ว (a new code was sent)",
    "channel-removed": "ลบช่องทางแล้ว (channel removed)",
}
SECRET_FORM = ("current", "new", "again")  # every field of the password and PIN forms: none is written back
# The field a refusal asks the person to fix: the current secret when it was wrong; else the new one.
FOCUS = {"bad-password": "current", "password-locked": "current", "bad-credentials": "current", "pin-locked": "current"}
RENAMED = {"password": "new", "pin": "new"}
MUST_CHANGE = (
    "กรุณาตั้งรหัสผ่านใหม่แทนรหัสใช้ครั้งเดียวก่อนใช้งานต่อ (replace the one-time password from your administrator before going on)"
)


@router.get("", response_class=HTMLResponse)
def account_page(request: Request, user: AnyUser, msg: str = "") -> Response:
    flash = {"kind": "ok", "text": MESSAGES[msg]} if msg in MESSAGES else None
    if user.person.password_must_change:
        flash = {"kind": "error", "text": MUST_CHANGE}
    return account_response(request, user, flash)


@router.post("/password", response_class=HTMLResponse)
def password(
    request: Request,
    user: AnyFormUser,
    current: str = Form("", max_length=1024),
    new: str = Form("", max_length=1024),
    again: str = Form("", max_length=1024),
) -> Response:
    # The other sessions of this person end (services.accounts.credentials); this one goes on.
    return _change(
        request,
        user,
        "password",
        new,
        again,
        lambda s: change_own_password(
            s, username=user.person.username, old=current, new=new, keep_session_id=user.session.id
        ),
    )


@router.post("/pin", response_class=HTMLResponse)
def pin(
    request: Request,
    user: AnyFormUser,
    current: str = Form("", max_length=64),
    new: str = Form("", max_length=64),
    again: str = Form("", max_length=64),
) -> Response:
    # ๔๘๒๙๑๕ typed once and 482915 the second time is the same PIN (models.digits)
    return _change(
        request,
        user,
        "pin",
        normalised_pin(new),
        normalised_pin(again),
        lambda s: change_own_pin(s, username=user.person.username, old=current, new=new),
    )


@router.post("/notify", response_class=HTMLResponse)
def notify(request: Request, user: AnyFormUser, mode: str = Form("", max_length=16)) -> Response:
    """Immediate notices when work arrives, the daily digest, or both (services.notices.work_notices)."""
    try:
        with session_scope() as session:
            choose_notify_mode(session, session.get(Person, user.person.id), mode, via="web")
    except BadInput as problem:
        return account_response(
            request, user, None, 400, Forms(notify=refused({"mode": mode}, problem, fields=("mode",)))
        )
    return RedirectResponse("/account?msg=notify", status_code=303)


def _notify_settings(person_id: int, line_code: LinkCode | None = None) -> dict:
    with read_scope() as session:
        person = session.get(Person, person_id)
        told = [(n.created_at, n.title, n.state) for n in recent_notices(session, person)]
        line = line_account_row(session, person.organisation_id)
        return {
            "mode": notify_mode(session, person_id),
            "labels": MODE_LABELS,
            "channels": own_channels(session, person),
            "security": told,
            "mail_ready": bool(get_settings().mail_url.strip()),
            "line_ready": line is not None and bool(line.access_token_sealed),
            "line_code": line_code,
            "line_chat": _line_chat(line.basic_id if line else "", line_code),
            "email": person.email,
        }


def _line_chat(basic_id: str, line_code: LinkCode | None) -> str:
    """LINE's URL scheme: on a phone it opens the chat with the office's account, the code typed."""
    if not basic_id or line_code is None:
        return ""
    return f"https://line.me/R/oaMessage/{quote(basic_id)}/?{quote(line_code.code)}"


def _change(
    request: Request, user: SignedIn, what: str, new: str, again: str, action: Callable[[Session], None]
) -> Response:
    # Said beside the form, the cursor in the field to fix; the form comes back empty (all secrets).
    if new != again:
        differ = "ค่าใหม่ทั้งสองช่องไม่ตรงกัน (the two new values differ)"
        return account_response(
            request, user, None, 400, Forms({what: refused({}, differ, fields=SECRET_FORM, focus="again")})
        )
    try:
        run_action(
            action,
            engine=None,
            actor=user.person.username,
            name=f"account.{what}",
            subject=f"person:{user.person.id}",
            via="web",
        )
    except (Refused, BadInput) as problem:
        focus = FOCUS.get(getattr(problem, "code", ""), "")
        draft = refused({}, problem, fields=SECRET_FORM, focus=focus, renamed=RENAMED)
        return account_response(request, user, None, 400, Forms({what: draft}))
    return RedirectResponse(f"/account?msg={what}", status_code=303)


def account_response(
    request: Request,
    user: SignedIn,
    flash: dict | None,
    status: int = 200,
    forms: Forms | None = None,
    line_code: LinkCode | None = None,
) -> Response:
    return templates.TemplateResponse(
        request,
        "account.html",
        {
            "user": user,
            "flash": flash,
            "pin_min_digits": get_settings().pin_min_digits,
            "notify": _notify_settings(user.person.id, line_code),
            "forms": forms or Forms(),
        },
        status_code=status,
    )
