"""What every admin page shares: the administrators-only check, the page frame with its nav,
one change applied and reported back on the page it came from (or, refused, its form shown
again as it was sent), and the confirmation step."""

from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, select

from models import Organisation, Person, Position
from models.db import session_scope
from services.errors import BadInput
from web.refill import Draft, refused
from web.sessions import SignedIn
from web.templating import templates

# The admin area's pages, in the nav's order: (path, Thai label).
NAV = (
    ("/admin", "ภาพรวม"),
    ("/admin/people", "ผู้ใช้"),
    ("/admin/positions", "ตำแหน่ง"),
    ("/admin/chains", "สายการลงนาม"),
    ("/admin/delegations", "คำสั่งมอบหมาย"),
    ("/admin/stages", "ผู้บันทึกขั้นตอน"),
    ("/admin/settings", "ตั้งค่าหน่วยงาน"),
    ("/admin/notifications", "การแจ้งเตือน"),
    ("/admin/ita", "รายการ ITA"),
    ("/admin/audit", "บันทึกการตรวจสอบ"),
)


def require_admin(user: SignedIn) -> None:
    if not user.person.is_admin:
        raise HTTPException(status_code=403, detail="เฉพาะผู้ดูแลระบบ (administrators only)")


def flash_of(msg: str, error: str) -> dict | None:
    return {"kind": "error", "text": error} if error else ({"kind": "ok", "text": msg} if msg else None)


def render(
    request: Request,
    user: SignedIn,
    template: str,
    context: dict,
    *,
    here: str,
    flash: dict | None = None,
    status_code: int = 200,
) -> Response:
    """An admin page: the nav with `here` marked, the flash, the page's own context."""
    page = {"user": user, "flash": flash, "nav": NAV, "here": here, **context}
    status = 400 if flash and flash["kind"] == "error" and status_code == 200 else status_code
    return templates.TemplateResponse(request, template, page, status_code=status)


def back_to(page: str, **message: str) -> Response:
    return RedirectResponse(f"{page}?{urlencode(message)}" if message else page, status_code=303)


def apply_change(user: SignedIn, change: Callable[[Session, Organisation], object], done: str, page: str) -> Response:
    """Run one admin change in one transaction; back to `page` with its outcome."""
    require_admin(user)
    try:
        with session_scope() as session:
            change(session, session.get(Organisation, user.person.organisation_id))
    except BadInput as error:
        return back_to(page, error=str(error))
    return back_to(page, msg=done)


def apply_or_refill(
    user: SignedIn,
    change: Callable[[Session, Organisation], object],
    done: str,
    page: str,
    *,
    again: Callable[[Draft], Response],
    sent: Mapping[str, str | bool | list[str]],
    fields: Iterable[str],
    renamed: Mapping[str, str] | None = None,
) -> Response:
    """Run one admin change in one transaction: done, back to `page` with its outcome; refused,
    the page again (`again`) with the form as it was sent, the reason beside it, the cursor in
    the field to fix (a redirect would drop what was typed)."""
    require_admin(user)
    try:
        with session_scope() as session:
            change(session, session.get(Organisation, user.person.organisation_id))
    except BadInput as error:
        return again(refused(sent, error, fields=fields, renamed=renamed))
    return back_to(page, msg=done)


REFUSED = 400  # a refused form, shown again (as the chains page and the account page answer)


def confirm_page(
    request: Request,
    user: SignedIn,
    *,
    here: str,
    title: str,
    lines: list[str],
    action: str,
    fields: dict[str, str],
    button: str,
    cancel: str,
    danger: bool = True,
) -> Response:
    """A page that asks before a change that cannot simply be undone; its form sends the same
    fields again with the answer. Nothing has changed yet (works without JavaScript)."""
    return render(
        request,
        user,
        "admin/confirm.html",
        {
            "title": title,
            "lines": lines,
            "action": action,
            "fields": fields,
            "button": button,
            "cancel": cancel,
            "danger": danger,
        },
        here=here,
    )


def positions_of(session: Session, org_id: int) -> list[Position]:
    return list(session.exec(select(Position).where(Position.organisation_id == org_id).order_by(Position.id)))


def people_of(session: Session, org_id: int) -> list[Person]:
    return list(session.exec(select(Person).where(Person.organisation_id == org_id).order_by(Person.id)))
