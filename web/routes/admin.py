"""Administrators manage their organisation and read the audit trail."""

import datetime as dt
from collections.abc import Callable

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, select

from models import (AuditEntry, Chain, ChainStep, Delegation, Holding, Organisation, Person, Position, Unit,
                    audit)
from models.clock import office_date
from models.db import read_scope, session_scope
from models.enums import Capacity
from models.settings import get_settings
from services import admin
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
                   "capacities": [c for c in Capacity if c != Capacity.SELF], "today": office_date()}
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
    return {"org": org, "units": session.exec(select(Unit).where(Unit.organisation_id == org_id)).all(),
            "positions": positions, "holders": holders, "people": people, "chains": chains,
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


@router.post("/appoint")
def appoint(user: FormUser, position: str = Form(""), username: str = Form("")) -> Response:
    return _apply(user, lambda s, org: admin.appoint(s, actor=user.person.username, org=org, position_code=position,
                                                     username=username), "บันทึกผู้ดำรงตำแหน่งแล้ว")


@router.post("/chains")
def set_chain(user: FormUser, document_kind: str = Form("announcement"), steps: str = Form("")) -> Response:
    codes = [line.strip() for line in steps.replace(",", "\n").splitlines() if line.strip()]
    return _apply(user, lambda s, org: admin.set_chain(s, actor=user.person.username, org=org,
                                                       document_kind=document_kind, position_codes=codes),
                  "บันทึกสายการลงนามแล้ว")


@router.post("/delegations")
def add_delegation(user: FormUser, username: str = Form(""), position: str = Form(""), capacity: str = Form(""),
                   order_number: str = Form(""), valid_from: str = Form(""), valid_to: str = Form("")) -> Response:
    try:
        start, end, acting = dt.date.fromisoformat(valid_from), dt.date.fromisoformat(valid_to), Capacity(capacity)
    except ValueError:
        return RedirectResponse("/admin?error=กรุณาระบุวันที่และฐานะให้ถูกต้อง (give valid dates and a capacity)",
                                status_code=303)
    return _apply(user, lambda s, org: admin.add_delegation(
        s, actor=user.person.username, org=org, username=username, position_code=position, capacity=acting,
        order_number=order_number, valid_from=start, valid_to=end), "เพิ่มคำสั่งมอบหมายแล้ว")


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
    with session_scope() as session:
        report = audit.verify(session)
    return _audit_page(request, user, report=report)


def _audit_page(request: Request, user: SignedIn, report: audit.ChainReport | None) -> Response:
    with read_scope() as session:
        entries = session.exec(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(AUDIT_PAGE)).all()
    return templates.TemplateResponse(request, "audit.html", {"user": user, "flash": None, "entries": entries,
                                                              "report": report})
