"""Administrators manage their organisation and read the audit trail."""

from collections.abc import Callable
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, select

from documents.thai_format import thai_date_full
from models import (AuditEntry, Chain, ChainStep, Delegation, Holding, Organisation, Person, Position,
                    StagePermission, Unit, audit)
from models.be_dates import PLACEHOLDER as BE_PLACEHOLDER, BadDate, parse_be_date
from models.clock import office_date
from models.db import read_scope, session_scope
from models.enums import Capacity, Stage
from models.settings import get_settings
from services import admin, credentials
from services.audit_verify import AuditReport, verify_audit
from services.errors import BadInput
from web.deps import CurrentUser, FormUser, RowId
from web.sessions import SignedIn
from web.templating import templates

router = APIRouter(prefix="/admin", include_in_schema=False)
AUDIT_PAGE = 200


def _admin(user: SignedIn) -> None:
    if not user.person.is_admin:
        raise HTTPException(status_code=403, detail="เฉพาะผู้ดูแลระบบ (administrators only)")


@router.get("", response_class=HTMLResponse)
def admin_page(request: Request, user: CurrentUser, msg: str = "", error: str = "") -> Response:
    _admin(user)
    flash = {"kind": "error", "text": error} if error else ({"kind": "ok", "text": msg} if msg else None)
    with read_scope() as session:
        context = {"user": user, "flash": flash, **_organisation_view(session, user.person.organisation_id),
                   "capacities": [c for c in Capacity if c != Capacity.SELF], "today": office_date(),
                   "be_placeholder": BE_PLACEHOLDER}
    return templates.TemplateResponse(request, "admin.html", context, status_code=400 if error else 200)


def _organisation_view(session: Session, org_id: int) -> dict:
    org = session.get(Organisation, org_id)
    positions = session.exec(select(Position).where(Position.organisation_id == org_id).order_by(Position.id)).all()
    people = session.exec(select(Person).where(Person.organisation_id == org_id).order_by(Person.id)).all()
    names = {p.id: p.username for p in people}
    holders = {h.position_id: names.get(h.person_id, "") for h in session.exec(select(Holding)).all()}
    codes = {p.id: p.code for p in positions}
    chains = [(c, [codes[s.position_id] for s in session.exec(select(ChainStep).where(ChainStep.chain_id == c.id)
                                                              .order_by(ChainStep.step_index))])
              for c in session.exec(select(Chain).where(Chain.organisation_id == org_id))]
    delegations = session.exec(select(Delegation).where(Delegation.position_id.in_(list(codes)))).all()
    permissions = session.exec(select(StagePermission).where(StagePermission.organisation_id == org_id)).all()
    stage_positions = {stage: [codes[p.position_id] for p in permissions if p.stage == stage]
                       for stage in admin.PREPARATION_STAGES}
    return {"org": org, "units": session.exec(select(Unit).where(Unit.organisation_id == org_id)).all(),
            "positions": positions, "holders": holders, "people": people, "chains": chains,
            "stage_positions": stage_positions,
            "delegations": [(d, names.get(d.person_id, ""), codes[d.position_id]) for d in delegations]}


def _apply(user: SignedIn, change: Callable[[Session, Organisation], object], done: str) -> Response:
    """Run one admin change; back to the admin page with its outcome."""
    _admin(user)
    try:
        with session_scope() as session:
            change(session, session.get(Organisation, user.person.organisation_id))
    except BadInput as error:
        return RedirectResponse(f"/admin?error={error}", status_code=303)
    return RedirectResponse(f"/admin?msg={done}", status_code=303)


@router.post("/settings")
def settings(user: FormUser, register_prefix: str = Form(""), public_minutes: bool = Form(False),
             prefect_ui_signing: bool = Form(False)) -> Response:
    return _apply(user, lambda s, org: admin.update_settings(
        s, actor=user.person.username, org=org, register_prefix=register_prefix, public_minutes=public_minutes,
        prefect_ui_signing=prefect_ui_signing),
        "บันทึกการตั้งค่าแล้ว")


@router.post("/garuda")
async def garuda(user: FormUser, image: UploadFile = File(...)) -> Response:
    content = await image.read(admin.MAX_IMAGE_BYTES + 1)
    folder = get_settings().home / "organisations"
    return _apply(user, lambda s, org: admin.store_garuda(s, actor=user.person.username, org=org, image=content,
                                                          folder=folder / org.code), "บันทึกตราครุฑแล้ว")


@router.post("/units")
def add_unit(user: FormUser, code: str = Form(""), name: str = Form(""), letterhead_name: str = Form(""),
             phone: str = Form(""), fax: str = Form("")) -> Response:
    return _apply(user, lambda s, org: admin.add_unit(s, actor=user.person.username, org=org, code=code, name=name,
                                                      letterhead_name=letterhead_name, phone=phone, fax=fax),
                  "เพิ่มส่วนราชการแล้ว")


@router.post("/positions")
def add_position(user: FormUser, code: str = Form(""), title: str = Form(""), short_title: str = Form(""),
                 unit: str = Form("")) -> Response:
    return _apply(user, lambda s, org: admin.add_position(s, actor=user.person.username, org=org, code=code,
                                                          title=title, short_title=short_title, unit_code=unit),
                  "เพิ่มตำแหน่งแล้ว")


@router.post("/people")
def add_person(user: FormUser, username: str = Form(""), full_name: str = Form(""), rank: str = Form(""),
               initials: str = Form(""), password: str = Form(""), pin: str = Form(""),
               is_admin: bool = Form(False)) -> Response:
    return _apply(user, lambda s, org: admin.add_person(
        s, actor=user.person.username, org=org, username=username, full_name=full_name, rank=rank,
        initials=initials, password=password, pin=pin, is_admin=is_admin), "เพิ่มผู้ใช้แล้ว")


@router.post("/people/{username}/reset", response_class=HTMLResponse)
def reset_secret(request: Request, username: str, user: FormUser, what: str = Form("")) -> Response:
    """A one-time password or PIN, shown on this page once (never in a URL, never stored in
    clear); the person must replace it."""
    _admin(user)
    resets = {"password": credentials.reset_password, "pin": credentials.reset_pin}
    if what not in resets:
        return RedirectResponse("/admin?error=เลือกรหัสผ่านหรือรหัส PIN (choose password or PIN)", status_code=303)
    try:
        with session_scope() as session:
            code = resets[what](session, actor=user.person.username,
                                org=session.get(Organisation, user.person.organisation_id), username=username)
    except BadInput as error:
        return RedirectResponse(f"/admin?error={error}", status_code=303)
    label = "รหัสผ่าน" if what == "password" else "รหัส PIN"
    text = (f"{label}ใช้ครั้งเดียวของ {username}: {code.code} แจ้งเจ้าตัวโดยตรง เจ้าตัวต้องเปลี่ยนก่อนใช้งาน "
            f"(one-time {what} for {username}: hand it over in person; it must be replaced at first use)")
    response = admin_page(request, user, msg=text)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/people/{username}/deactivate")
def deactivate(username: str, user: FormUser) -> Response:
    return _apply(user, lambda s, org: credentials.deactivate(s, actor=user.person.username, org=org, username=username),
                  f"ปิดบัญชี {username} แล้ว งานที่รอท่านส่งไปยังตำแหน่งที่สูงขึ้น (deactivated; waiting steps went up)")


@router.post("/appoint")
def appoint(user: FormUser, position: str = Form(""), username: str = Form("")) -> Response:
    return _apply(user, lambda s, org: admin.appoint(s, actor=user.person.username, org=org, position_code=position,
                                                     username=username), "บันทึกผู้ดำรงตำแหน่งแล้ว")


@router.post("/chains")
def set_chain(user: FormUser, document_kind: str = Form("announcement"), steps: str = Form(""),
              drafter_may_sign: bool = Form(False), same_signer_consecutive_steps: bool = Form(False)) -> Response:
    codes = [line.strip() for line in steps.replace(",", "\n").splitlines() if line.strip()]
    return _apply(user, lambda s, org: admin.set_chain(s, actor=user.person.username, org=org,
                                                       document_kind=document_kind, position_codes=codes,
                                                       drafter_may_sign=drafter_may_sign,
                                                       same_signer_consecutive_steps=same_signer_consecutive_steps),
                  "บันทึกสายการลงนามแล้ว")


@router.post("/stages")
def set_stage_positions(user: FormUser, stage: str = Form(""), positions: list[str] = Form([])) -> Response:
    """Which positions may record one preparation stage (none ticked: the memo's unit's positions)."""
    if stage not in {s.value for s in admin.PREPARATION_STAGES}:
        return RedirectResponse("/admin?error=ไม่รู้จักขั้นตอนนี้ (unknown stage: พิมพ์, ทาน or ตรวจ)", status_code=303)
    return _apply(user, lambda s, org: admin.set_stage_positions(s, actor=user.person.username, org=org,
                                                                 stage=Stage(stage), position_codes=positions),
                  f"บันทึกผู้บันทึกขั้นตอน {stage} แล้ว")


@router.post("/delegations")
def add_delegation(user: FormUser, username: str = Form(""), position: str = Form(""), capacity: str = Form(""),
                   order_number: str = Form(""), valid_from: str = Form(""), valid_to: str = Form("")) -> Response:
    try:  # day/month/BE year, Thai or Arabic digits (models.be_dates); never the Western year
        start, end = parse_be_date(valid_from, label="วันเริ่มต้น"), parse_be_date(valid_to, label="วันสิ้นสุด")
    except BadDate as error:
        return RedirectResponse(f"/admin?error={quote(str(error))}", status_code=303)
    if capacity not in {c.value for c in Capacity}:
        return RedirectResponse("/admin?error=กรุณาเลือกฐานะ (choose a capacity)", status_code=303)
    done = f"เพิ่มคำสั่งมอบหมายแล้ว มีผล {thai_date_full(start)} ถึง {thai_date_full(end)}"
    return _apply(user, lambda s, org: admin.add_delegation(
        s, actor=user.person.username, org=org, username=username, position_code=position, capacity=Capacity(capacity),
        order_number=order_number, valid_from=start, valid_to=end), done)


@router.post("/delegations/{delegation_id}/end")
def end_delegation(delegation_id: RowId, user: FormUser) -> Response:
    return _apply(user, lambda s, org: admin.end_delegation(s, actor=user.person.username, org=org,
                                                            delegation_id=delegation_id, on=office_date()),
                  "ยุติคำสั่งมอบหมายแล้ว")


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, user: CurrentUser) -> Response:
    _admin(user)
    return _audit_page(request, user, report=None)


@router.post("/audit/verify", response_class=HTMLResponse)
def verify(request: Request, user: FormUser) -> Response:
    _admin(user)
    return _audit_page(request, user, report=verify_audit())


def _audit_page(request: Request, user: SignedIn, report: AuditReport | None) -> Response:
    # An organisation's administrators see its entries only, and of a verification only the
    # problems that concern it (the others are counted: the instance's operator has the CLI).
    org_id = user.person.organisation_id
    with read_scope() as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.org_id == org_id)
                               .order_by(AuditEntry.seq.desc()).limit(AUDIT_PAGE)).all()
    own = [p for p in report.problems if p.org_id == org_id] if report else []
    elsewhere = len(report.problems) - len(own) if report else 0
    return templates.TemplateResponse(request, "audit.html", {"user": user, "flash": None, "entries": entries,
                                                              "report": report, "own_problems": own,
                                                              "other_problems": elsewhere})
