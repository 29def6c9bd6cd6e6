"""Administrators manage their organisation: one page per concern (overview and setup
checklist, settings, positions and holders, delegations, stage recorders); people, chains and
the audit log have modules of their own, included here."""

from collections.abc import Callable

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, select

from documents.thai_format import thai_date_full, thai_date_short
from models import Delegation, Organisation, Person, Position, StagePermission, Unit
from models.be_dates import PLACEHOLDER as BE_PLACEHOLDER
from models.be_dates import BadDate, parse_be_date
from models.clock import office_date
from models.db import read_scope, session_scope
from models.enums import Capacity, Stage
from models.settings import get_settings
from services.accounts import admin
from services.accounts.admin_overview import setup_checklist
from services.errors import BadInput
from web.deps import CurrentUser, FormUser, RowId
from web.refill import Draft, Forms, refused
from web.routes import admin_audit, admin_chains, admin_ita, admin_notify, admin_people
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

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def overview(request: Request, user: CurrentUser, msg: str = "", error: str = "") -> Response:
    require_admin(user)
    with read_scope() as session:
        org = session.get(Organisation, user.person.organisation_id)
        checklist = setup_checklist(session, org, office_date())
    return render(
        request,
        user,
        "admin/overview.html",
        {"org": org, "checklist": checklist},
        here="/admin",
        flash=flash_of(msg, error),
    )


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, user: CurrentUser, msg: str = "", error: str = "") -> Response:
    return _settings_page(request, user, flash=flash_of(msg, error))


def _settings_page(
    request: Request, user: SignedIn, *, flash: dict | None = None, forms: Forms | None = None
) -> Response:
    require_admin(user)
    with read_scope() as session:
        org = session.get(Organisation, user.person.organisation_id)
        units = session.exec(select(Unit).where(Unit.organisation_id == org.id).order_by(Unit.id)).all()
    return render(
        request,
        user,
        "admin/settings.html",
        {"org": org, "units": units, "forms": forms or Forms()},
        here="/admin/settings",
        flash=flash,
        status_code=REFUSED if forms else 200,
    )


def _settings_again(request: Request, user: SignedIn, form: str) -> Callable[[Draft], Response]:
    return lambda draft: _settings_page(request, user, forms=Forms({form: draft}))


@router.post("/settings")
def settings(
    request: Request,
    user: FormUser,
    register_prefix: str = Form(""),
    public_minutes: bool = Form(False),
    prefect_ui_signing: bool = Form(False),
    printed_garuda_paper: bool = Form(False),
) -> Response:
    return apply_or_refill(
        user,
        lambda s, org: admin.update_settings(
            s,
            actor=user.person.username,
            org=org,
            register_prefix=register_prefix,
            public_minutes=public_minutes,
            prefect_ui_signing=prefect_ui_signing,
            printed_garuda_paper=printed_garuda_paper,
        ),
        "บันทึกการตั้งค่าแล้ว",
        "/admin/settings",
        again=_settings_again(request, user, "settings"),
        sent={
            "register_prefix": register_prefix,
            "public_minutes": public_minutes,
            "prefect_ui_signing": prefect_ui_signing,
            "printed_garuda_paper": printed_garuda_paper,
        },
        fields=("register_prefix", "public_minutes", "printed_garuda_paper", "prefect_ui_signing"),
    )


@router.post("/garuda")
async def garuda(request: Request, user: FormUser, image: UploadFile = File(...)) -> Response:
    content = await image.read(admin.MAX_IMAGE_BYTES + 1)
    folder = get_settings().home / "organisations"
    return apply_or_refill(
        user,
        lambda s, org: admin.store_garuda(
            s, actor=user.person.username, org=org, image=content, folder=folder / org.code
        ),
        "บันทึกตราครุฑแล้ว",
        "/admin/settings",
        again=_settings_again(request, user, "garuda"),  # a browser never refills a file field
        sent={},
        fields=("image",),
    )


@router.post("/units")
def add_unit(
    request: Request,
    user: FormUser,
    code: str = Form(""),
    name: str = Form(""),
    letterhead_name: str = Form(""),
    phone: str = Form(""),
    fax: str = Form(""),
) -> Response:
    return apply_or_refill(
        user,
        lambda s, org: admin.add_unit(
            s,
            actor=user.person.username,
            org=org,
            code=code,
            name=name,
            letterhead_name=letterhead_name,
            phone=phone,
            fax=fax,
        ),
        "เพิ่มส่วนราชการแล้ว",
        "/admin/settings",
        again=_settings_again(request, user, "unit"),
        sent={"code": code, "name": name, "letterhead_name": letterhead_name, "phone": phone, "fax": fax},
        fields=("code", "name", "letterhead_name", "phone", "fax"),
    )


@router.get("/positions", response_class=HTMLResponse)
def positions_page(request: Request, user: CurrentUser, msg: str = "", error: str = "") -> Response:
    return _positions_page(request, user, flash=flash_of(msg, error))


def _positions_page(
    request: Request, user: SignedIn, *, flash: dict | None = None, forms: Forms | None = None
) -> Response:
    require_admin(user)
    with read_scope() as session:
        org_id = user.person.organisation_id
        positions = positions_of(session, org_id)
        holders = {p.id: admin.current_holder(session, p) for p in positions}
        units = {u.id: u for u in session.exec(select(Unit).where(Unit.organisation_id == org_id))}
        people = people_of(session, org_id)
    return render(
        request,
        user,
        "admin/positions.html",
        {
            "positions": positions,
            "by_id": {p.id: p for p in positions},
            "holders": holders,
            "units": units,
            "people": people,
            "forms": forms or Forms(),
        },
        here="/admin/positions",
        flash=flash,
        status_code=REFUSED if forms else 200,
    )


@router.post("/positions")
def add_position(
    request: Request,
    user: FormUser,
    code: str = Form(""),
    title: str = Form(""),
    short_title: str = Form(""),
    unit: str = Form(""),
    reports_to: str = Form(""),
) -> Response:
    """A position by its Thai title (the code is made from it unless typed), with the position
    it reports to (where its overdue steps go)."""
    return apply_or_refill(
        user,
        lambda s, org: admin.add_position(
            s,
            actor=user.person.username,
            org=org,
            code=code,
            title=title,
            short_title=short_title,
            unit_code=unit,
            reports_to=reports_to,
        ),
        "เพิ่มตำแหน่งแล้ว",
        "/admin/positions",
        again=lambda draft: _positions_page(request, user, forms=Forms(position=draft)),
        sent={"code": code, "title": title, "short_title": short_title, "unit": unit, "reports_to": reports_to},
        fields=("title", "short_title", "unit", "reports_to", "code"),
        renamed={"unit_code": "unit"},
    )


@router.post("/positions/reports-to")
def set_reports_to(request: Request, user: FormUser, position: str = Form(""), reports_to: str = Form("")) -> Response:
    """Change which position a position reports to (ผู้บังคับบัญชาตามสายงาน)."""
    return apply_or_refill(
        user,
        lambda s, org: admin.set_reports_to(
            s, actor=user.person.username, org=org, position=position, reports_to=reports_to
        ),
        "บันทึกผู้บังคับบัญชาตามสายงานแล้ว",
        "/admin/positions",
        again=lambda draft: _positions_page(request, user, forms=Forms(reports_to=draft)),
        sent={"position": position, "reports_to": reports_to},
        fields=("position", "reports_to"),
    )


@router.post("/appoint", response_class=HTMLResponse)
def appoint(
    request: Request,
    user: FormUser,
    position: str = Form(""),
    username: str = Form(""),
    replaces: str = Form(""),
    back: str = Form("/admin/positions"),
) -> Response:
    """Appoint a holder; over a current holder only after a page that names who is replaced."""
    require_admin(user)
    page = back if back.startswith("/admin/") else "/admin/positions"
    try:
        with session_scope() as session:
            org = session.get(Organisation, user.person.organisation_id)
            newcomer = session.exec(
                select(Person.full_name).where(Person.username == username, Person.organisation_id == org.id)
            ).first()
            admin.appoint(
                session,
                actor=user.person.username,
                org=org,
                position_code=position,
                username=username,
                replaces=replaces,
            )
    except admin.NeedsConfirmation as ask:
        instead = f"ให้ {newcomer} ดำรงตำแหน่งแทน" if username else "ให้ตำแหน่งนี้ว่าง"
        return confirm_page(
            request,
            user,
            here="/admin/positions",
            title="ยืนยันการเปลี่ยนผู้ดำรงตำแหน่ง",
            lines=[
                f"ตำแหน่ง {ask.position_title} มีผู้ดำรงตำแหน่งอยู่แล้ว: {ask.replaced_name}",
                f"ถ้ายืนยัน {ask.replaced_name} จะพ้นจากตำแหน่งนี้ และ{instead}",
                f"({ask.replaced_name} will no longer hold this position)",
            ],
            action="/admin/appoint",
            button=f"ยืนยัน: แทนที่ {ask.replaced_name}",
            cancel=page,
            fields={"position": position, "username": username, "replaces": ask.replaced_username, "back": page},
        )
    except BadInput as error:
        # Back to the page the appointment was made on, its choice kept (a person's page or the positions).
        draft = refused({"position": position, "username": username}, error, fields=("position", "username"))
        if page.startswith("/admin/people/"):
            return admin_people.person_page_again(request, user, page.removeprefix("/admin/people/"), draft)
        return _positions_page(request, user, forms=Forms(appoint=draft))
    return back_to(page, msg="บันทึกผู้ดำรงตำแหน่งแล้ว")


@router.get("/stages", response_class=HTMLResponse)
def stages_page(request: Request, user: CurrentUser, msg: str = "", error: str = "") -> Response:
    return _stages_page(request, user, flash=flash_of(msg, error))


def _stages_page(
    request: Request, user: SignedIn, *, flash: dict | None = None, forms: Forms | None = None
) -> Response:
    require_admin(user)
    with read_scope() as session:
        org_id = user.person.organisation_id
        positions = positions_of(session, org_id)
        permissions = session.exec(select(StagePermission).where(StagePermission.organisation_id == org_id)).all()
    chosen = {stage: {p.position_id for p in permissions if p.stage == stage} for stage in admin.PREPARATION_STAGES}
    return render(
        request,
        user,
        "admin/stages.html",
        {"positions": positions, "chosen": chosen, "forms": forms or Forms()},
        here="/admin/stages",
        flash=flash,
        status_code=REFUSED if forms else 200,
    )


@router.post("/stages")
def set_stage_positions(
    request: Request, user: FormUser, stage: str = Form(""), positions: list[str] = Form([])
) -> Response:
    """Which positions may record one preparation stage (none ticked: the memo's unit's positions)."""
    if stage not in {s.value for s in admin.PREPARATION_STAGES}:
        return back_to("/admin/stages", error="ไม่รู้จักขั้นตอนนี้ (unknown stage: พิมพ์, ทาน or ตรวจ)")
    return apply_or_refill(
        user,
        lambda s, org: admin.set_stage_positions(
            s, actor=user.person.username, org=org, stage=Stage(stage), position_codes=positions
        ),
        f"บันทึกผู้บันทึกขั้นตอน {stage} แล้ว",
        "/admin/stages",
        # Each stage has a form of its own: the one sent comes back with the boxes as ticked.
        again=lambda draft: _stages_page(request, user, forms=Forms({f"stage-{stage}": draft})),
        sent={"positions": positions},
        fields=("positions",),
    )


@router.get("/delegations", response_class=HTMLResponse)
def delegations_page(request: Request, user: CurrentUser, msg: str = "", error: str = "") -> Response:
    return _delegations_page(request, user, flash=flash_of(msg, error))


def _delegations_page(
    request: Request, user: SignedIn, *, flash: dict | None = None, forms: Forms | None = None
) -> Response:
    require_admin(user)
    with read_scope() as session:
        org_id = user.person.organisation_id
        positions = positions_of(session, org_id)
        people = people_of(session, org_id)
        delegations = session.exec(
            select(Delegation)
            .where(Delegation.position_id.in_([p.id for p in positions]))
            .order_by(Delegation.valid_to.desc())
        ).all()
    return render(
        request,
        user,
        "admin/delegations.html",
        {
            "delegations": delegations,
            "people": people,
            "positions": positions,
            "names": {p.id: p.full_name for p in people},
            "titles": {p.id: p.title for p in positions},
            "capacities": [c for c in Capacity if c != Capacity.SELF],
            "today": office_date(),
            "be_placeholder": BE_PLACEHOLDER,
            "forms": forms or Forms(),
        },
        here="/admin/delegations",
        flash=flash,
        status_code=REFUSED if forms else 200,
    )


DELEGATION_FIELDS = ("username", "position", "capacity", "order_number", "valid_from", "valid_to")


@router.post("/delegations")
def add_delegation(
    request: Request,
    user: FormUser,
    username: str = Form(""),
    position: str = Form(""),
    capacity: str = Form(""),
    order_number: str = Form(""),
    valid_from: str = Form(""),
    valid_to: str = Form(""),
) -> Response:
    sent = {
        "username": username,
        "position": position,
        "capacity": capacity,
        "order_number": order_number,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }

    def again(draft: Draft) -> Response:
        return _delegations_page(request, user, forms=Forms(delegation=draft))

    try:  # day/month/BE year, Thai or Arabic digits (models.be_dates); never the Western year
        start = parse_be_date(valid_from, label="วันเริ่มต้น")
    except BadDate as error:
        return again(refused(sent, error, fields=DELEGATION_FIELDS, focus="valid_from"))
    try:
        end = parse_be_date(valid_to, label="วันสิ้นสุด")
    except BadDate as error:
        return again(refused(sent, error, fields=DELEGATION_FIELDS, focus="valid_to"))
    if capacity not in {c.value for c in Capacity}:
        return again(refused(sent, "กรุณาเลือกฐานะ (choose a capacity)", fields=DELEGATION_FIELDS, focus="capacity"))
    done = f"เพิ่มคำสั่งมอบหมายแล้ว มีผล {thai_date_full(start)} ถึง {thai_date_full(end)}"
    return apply_or_refill(
        user,
        lambda s, org: admin.add_delegation(
            s,
            actor=user.person.username,
            org=org,
            username=username,
            position_code=position,
            capacity=Capacity(capacity),
            order_number=order_number,
            valid_from=start,
            valid_to=end,
        ),
        done,
        "/admin/delegations",
        again=again,
        sent=sent,
        fields=DELEGATION_FIELDS,
        renamed={"position_code": "position"},
    )


@router.post("/delegations/{delegation_id}/end", response_class=HTMLResponse)
def end_delegation(request: Request, delegation_id: RowId, user: FormUser, confirm: str = Form("")) -> Response:
    """End a delegation from today, after a page that says which order ends for whom."""
    require_admin(user)
    if confirm != "yes":
        with read_scope() as session:
            described = _delegation_described(session, user.person.organisation_id, delegation_id)
        if described is None:
            return back_to("/admin/delegations", error="ไม่พบคำสั่งมอบหมายนี้ (no such delegation)")
        return confirm_page(
            request,
            user,
            here="/admin/delegations",
            title="ยืนยันการยุติคำสั่งมอบหมาย",
            lines=[
                described,
                "ถ้ายืนยัน คำสั่งนี้จะสิ้นผลตั้งแต่วันนี้ ผู้ปฏิบัติแทนจะลงนามแทนตำแหน่งนี้ไม่ได้อีก "
                "(the order ends today: its delegate can no longer sign for this position)",
            ],
            action=f"/admin/delegations/{delegation_id}/end",
            fields={"confirm": "yes"},
            button="ยืนยัน: ยุติคำสั่งนี้",
            cancel="/admin/delegations",
        )
    return apply_change(
        user,
        lambda s, org: admin.end_delegation(
            s, actor=user.person.username, org=org, delegation_id=delegation_id, on=office_date()
        ),
        "ยุติคำสั่งมอบหมายแล้ว",
        "/admin/delegations",
    )


def _delegation_described(session: Session, org_id: int, delegation_id: int) -> str | None:
    delegation = session.get(Delegation, delegation_id)
    position = session.get(Position, delegation.position_id) if delegation else None
    if position is None or position.organisation_id != org_id:
        return None
    person = session.get(Person, delegation.person_id)
    return (
        f"{person.full_name} {delegation.capacity.value} {position.title} "
        f"({delegation.order_number}; {thai_date_short(delegation.valid_from)} – {thai_date_short(delegation.valid_to)})"
    )


for _module in (admin_people, admin_chains, admin_notify, admin_ita, admin_audit):
    router.include_router(_module.router)
