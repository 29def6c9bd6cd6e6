"""The people of an organisation: the list, adding someone, and one person's page (details,
positions held, one-time password or PIN, deactivating after a confirmation, reactivating)."""

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import select

from models import Holding, Organisation, Position
from models.db import read_scope, session_scope
from services.accounts import admin, credentials
from services.accounts.people import member_of
from services.errors import BadInput
from services.memo_life import deactivation
from services.notices import pin_delivery
from web.deps import CurrentUser, FormUser
from web.refill import Draft, Forms
from web.routes.admin_common import (
    REFUSED,
    apply_change,
    apply_or_refill,
    back_to,
    confirm_page,
    flash_of,
    people_of,
    positions_of,
    render,
    require_admin,
)
from web.sessions import SignedIn

router = APIRouter(include_in_schema=False)


@router.get("/people", response_class=HTMLResponse)
def people_page(request: Request, user: CurrentUser, msg: str = "", error: str = "") -> Response:
    return _people_page(request, user, flash=flash_of(msg, error))


def _people_page(
    request: Request, user: SignedIn, *, flash: dict | None = None, forms: Forms | None = None
) -> Response:
    require_admin(user)
    with read_scope() as session:
        org_id = user.person.organisation_id
        people = people_of(session, org_id)
        titles = {p.id: p.title for p in positions_of(session, org_id)}
        held = {}
        for holding in session.exec(select(Holding).where(Holding.position_id.in_(list(titles)))):
            held.setdefault(holding.person_id, []).append(titles[holding.position_id])
    return render(
        request,
        user,
        "admin/people.html",
        {"people": people, "held": held, "forms": forms or Forms()},
        here="/admin/people",
        flash=flash,
        status_code=REFUSED if forms else 200,
    )


@router.post("/people")
def add_person(
    request: Request,
    user: FormUser,
    username: str = Form(""),
    full_name: str = Form(""),
    rank: str = Form(""),
    initials: str = Form(""),
    password: str = Form(""),
    pin: str = Form(""),
    is_admin: bool = Form(False),
) -> Response:
    return apply_or_refill(
        user,
        lambda s, org: admin.add_person(
            s,
            actor=user.person.username,
            org=org,
            username=username,
            full_name=full_name,
            rank=rank,
            initials=initials,
            password=password,
            pin=pin,
            is_admin=is_admin,
        ),
        "เพิ่มผู้ใช้แล้ว",
        "/admin/people",
        again=lambda draft: _people_page(request, user, forms=Forms(person=draft)),
        # The password and PIN are never written back (web.refill): both come back empty.
        sent={"username": username, "full_name": full_name, "rank": rank, "initials": initials, "is_admin": is_admin},
        fields=("username", "full_name", "rank", "initials", "password", "pin", "is_admin"),
    )


@router.get("/people/{username}", response_class=HTMLResponse)
def person_page(request: Request, username: str, user: CurrentUser, msg: str = "", error: str = "") -> Response:
    return _person_page(request, user, username, flash_of(msg, error))


def person_page_again(request: Request, user: SignedIn, username: str, appoint: Draft) -> Response:
    """A person's page with its appointment form refused (web.routes.admin's appoint)."""
    return _person_page(request, user, username, None, Forms(appoint=appoint))


def _person_page(
    request: Request, user: SignedIn, username: str, flash: dict | None, forms: Forms | None = None
) -> Response:
    require_admin(user)
    with read_scope() as session:
        org = session.get(Organisation, user.person.organisation_id)
        try:
            person = member_of(session, org, username)  # another organisation's people are not found
        except BadInput as error:
            return back_to("/admin/people", error=str(error))
        held = session.exec(
            select(Position).join(Holding, Holding.position_id == Position.id).where(Holding.person_id == person.id)
        ).all()
        positions = positions_of(session, org.id)
    return render(
        request,
        user,
        "admin/person.html",
        {"person": person, "held": held, "positions": positions, "forms": forms or Forms()},
        here="/admin/people",
        flash=flash,
        status_code=REFUSED if forms else 200,
    )


@router.post("/people/{username}")
def update_person(
    request: Request,
    username: str,
    user: FormUser,
    full_name: str = Form(""),
    rank: str = Form(""),
    initials: str = Form(""),
    email: str = Form(""),
    phone: str = Form(""),
    is_admin: bool = Form(False),
) -> Response:
    page = f"/admin/people/{username}"
    return apply_or_refill(
        user,
        lambda s, org: admin.update_person(
            s,
            actor=user.person.username,
            org=org,
            username=username,
            full_name=full_name,
            rank=rank,
            initials=initials,
            email=email,
            phone=phone,
            is_admin=is_admin,
        ),
        "บันทึกข้อมูลผู้ใช้แล้ว",
        page,
        again=lambda draft: _person_page(request, user, username, None, Forms(person=draft)),
        sent={
            "full_name": full_name,
            "rank": rank,
            "initials": initials,
            "email": email,
            "phone": phone,
            "is_admin": is_admin,
        },
        fields=("full_name", "rank", "initials", "email", "phone", "is_admin"),
    )


@router.post("/people/{username}/reset", response_class=HTMLResponse)
def reset_secret(request: Request, username: str, user: FormUser, what: str = Form("")) -> Response:
    """A one-time password, shown on this page once (never in a URL, never stored in clear); a
    one-time PIN, sent to the person's own channels only (services.notices.pin_delivery). The
    person and the other administrators are told of either."""
    require_admin(user)
    page = f"/admin/people/{username}"
    if what == "pin":
        try:
            reached = pin_delivery.reset_pin_to_own_channels(
                actor=user.person.username, org_id=user.person.organisation_id, username=username
            )
        except BadInput as error:
            return back_to(page, error=str(error))
        return back_to(
            page,
            msg=f"ส่งรหัส PIN ใช้ครั้งเดียวถึง {username} ทาง {', '.join(reached)} แล้ว "
            f"(the one-time PIN was sent to {username} only; it is not shown here)",
        )
    if what != "password":
        return back_to(page, error="เลือกรหัสผ่านหรือรหัส PIN (choose password or PIN)")
    try:
        with session_scope() as session:
            code = credentials.reset_password(
                session,
                actor=user.person.username,
                org=session.get(Organisation, user.person.organisation_id),
                username=username,
            )
    except BadInput as error:
        return back_to(page, error=str(error))
    text = (
        f"รหัสผ่านใช้ครั้งเดียวของ {username}: {code.code} แจ้งเจ้าตัวโดยตรง เจ้าตัวต้องเปลี่ยนก่อนใช้งาน "
        f"(one-time password for {username}: hand it over in person; it must be replaced at first use)"
    )
    response = _person_page(request, user, username, {"kind": "ok", "text": text})
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/people/{username}/deactivate", response_class=HTMLResponse)
def deactivate(request: Request, username: str, user: FormUser, confirm: str = Form("")) -> Response:
    """Deactivate after a page that says what follows: sessions end, positions fall vacant,
    waiting steps go to the position above."""
    require_admin(user)
    page = f"/admin/people/{username}"
    if confirm != "yes":
        with read_scope() as session:
            try:
                person = member_of(session, session.get(Organisation, user.person.organisation_id), username)
            except BadInput as error:
                return back_to("/admin/people", error=str(error))
        return confirm_page(
            request,
            user,
            here="/admin/people",
            title="ยืนยันการปิดบัญชี",
            lines=[
                f"ปิดบัญชีของ {person.full_name}: เข้าสู่ระบบและลงนามไม่ได้อีก ตำแหน่งที่ดำรงอยู่จะว่างลง "
                "งานที่รอท่านจะส่งไปยังตำแหน่งที่สูงขึ้น",
                "(they can no longer log in or sign; their positions fall vacant; waiting steps go up)",
            ],
            action=f"/admin/people/{username}/deactivate",
            fields={"confirm": "yes"},
            button=f"ยืนยัน: ปิดบัญชี {person.full_name}",
            cancel=page,
        )
    return apply_change(
        user,
        lambda s, org: deactivation.deactivate(s, actor=user.person.username, org=org, username=username),
        f"ปิดบัญชี {username} แล้ว งานที่รอท่านส่งไปยังตำแหน่งที่สูงขึ้น (deactivated; waiting steps went up)",
        page,
    )


@router.post("/people/{username}/reactivate")
def reactivate(username: str, user: FormUser) -> Response:
    return apply_change(
        user,
        lambda s, org: admin.reactivate(s, actor=user.person.username, org=org, username=username),
        "เปิดบัญชีแล้ว ตำแหน่งเดิมยังว่างอยู่ แต่งตั้งใหม่ได้ที่หน้านี้ (reactivated; appoint again)",
        f"/admin/people/{username}",
    )
