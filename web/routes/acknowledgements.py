"""Staff acknowledgements (รับทราบ) in the web app: each person's list of what they must
acknowledge (the menu counts it), one announcement's page with the รับทราบ button, and for the
drafter or an administrator who has and has not, with times, as a page and as CSV; and the
form that asks the staff. Every action is the signed-in person's own, through
services.acknowledgements, under the session's CSRF token."""

import csv
import io

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, select

from documents.thai_format import to_thai_digits
from models import Memo, Organisation, Person, Publication
from models.db import read_scope, session_scope
from models.rules import Refused
from services.acknowledgements.acknowledging import (
    acknowledge,
    acknowledgement_list,
    may_see_list,
    my_items,
    who_has_and_has_not,
)
from services.acknowledgements.asking import EVERYONE, POSITIONS, UNITS, Recipients, ask_staff_to_acknowledge, choices
from services.errors import BadInput
from web.deps import CurrentUser, FormUser, RowId
from web.sessions import SignedIn
from web.templating import templates, thai_time

router = APIRouter(include_in_schema=False)
NOT_FOUND = "ไม่พบประกาศที่ต้องรับทราบนี้ (no such announcement to acknowledge)"
MESSAGES = {
    "done": "บันทึกการรับทราบของท่านแล้ว",
    "asked": "ส่งคำขอให้เจ้าหน้าที่รับทราบแล้ว",
}
VIA_WORDS = {"web": "เว็บ", "cli": "คำสั่ง saraban", "api": "API"}


def _memo_of(session: Session, user: SignedIn, memo_id: int) -> Memo:
    """The published memo of the user's organisation; 404 otherwise (no hint it exists)."""
    memo = session.get(Memo, memo_id)
    published = session.exec(select(Publication.id).where(Publication.memo_id == memo_id)).first()
    if memo is None or memo.organisation_id != user.person.organisation_id or published is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return memo


@router.get("/acknowledgements", response_class=HTMLResponse)
def my_list(request: Request, user: CurrentUser) -> Response:
    with read_scope() as session:
        items = my_items(session, session.get(Person, user.person.id))
    return templates.TemplateResponse(request, "acknowledgements.html", {"user": user, "flash": None, "items": items})


@router.get("/acknowledgements/{memo_id}", response_class=HTMLResponse)
def item_page(request: Request, memo_id: RowId, user: CurrentUser, msg: str = "") -> Response:
    flash = {"kind": "ok", "text": MESSAGES[msg]} if msg in MESSAGES else None
    return _item_page(request, memo_id, user, flash=flash)


def _item_page(request: Request, memo_id: int, user: SignedIn, *, flash: dict | None, status: int = 200) -> Response:
    with read_scope() as session:
        memo = _memo_of(session, user, memo_id)
        person = session.get(Person, user.person.id)
        publication = session.exec(select(Publication).where(Publication.memo_id == memo_id)).one()
        found = who_has_and_has_not(session, memo_id)
        mine = next((r for r in found.rows if r.person_id == person.id), None) if found else None
        context = {
            "user": user,
            "flash": flash,
            "memo": memo,
            "org": session.get(Organisation, memo.organisation_id),
            "publication": publication,
            "title": publication.announcement_title or memo.subject,
            "found": found,
            "mine": mine,
            "may_see_list": may_see_list(person, memo),
        }
    return templates.TemplateResponse(request, "acknowledgement_item.html", context, status_code=status)


@router.post("/acknowledgements/{memo_id}", response_class=HTMLResponse)
def acknowledge_it(request: Request, memo_id: RowId, user: FormUser) -> Response:
    """The signed-in person acknowledges for themselves: no name is taken from the form."""
    try:
        with session_scope() as session:
            _memo_of(session, user, memo_id)
            made = acknowledge(session, memo_id=memo_id, username=user.person.username, via="web")
            at = made.acknowledgement.at
    except BadInput as error:
        raise HTTPException(status_code=404, detail=NOT_FOUND) from error
    except Refused as refusal:
        flash = {"kind": "error", "text": f"ไม่สามารถดำเนินการได้: {refusal.message}"}
        return _item_page(request, memo_id, user, flash=flash, status=403)
    if made.already:  # a second press (or a resent form): nothing recorded, and said so
        flash = {"kind": "ok", "text": f"ท่านรับทราบไว้แล้วเมื่อ {thai_time(at)} ไม่มีการบันทึกซ้ำ"}
        return _item_page(request, memo_id, user, flash=flash)
    return RedirectResponse(f"/acknowledgements/{memo_id}?msg=done", status_code=303)


@router.get("/acknowledgements/{memo_id}/who", response_class=HTMLResponse)
def who_page(request: Request, memo_id: RowId, user: CurrentUser, msg: str = "") -> Response:
    flash = {"kind": "ok", "text": MESSAGES[msg]} if msg in MESSAGES else None
    return _who_page(request, memo_id, user, flash=flash)


def _who_page(
    request: Request,
    memo_id: int,
    user: SignedIn,
    *,
    flash: dict | None,
    status: int = 200,
    draft: dict | None = None,
) -> Response:
    with read_scope() as session:
        memo = _memo_of(session, user, memo_id)
        found = _list_or_403(session, memo_id, user)
        org = session.get(Organisation, memo.organisation_id)
        units, positions = choices(session, org)
        publication = session.exec(select(Publication).where(Publication.memo_id == memo_id)).one()
        context = {
            "user": user,
            "flash": flash,
            "memo": memo,
            "title": publication.announcement_title or memo.subject,
            "found": found,
            "units": units,
            "positions": positions,
            "draft": draft or {"scope": EVERYONE, "units": [], "positions": [], "error": ""},
            "via_words": VIA_WORDS,
        }
    return templates.TemplateResponse(request, "acknowledgement_who.html", context, status_code=status)


def _list_or_403(session: Session, memo_id: int, user: SignedIn):  # noqa: ANN202
    try:
        return acknowledgement_list(session, memo_id, user.person.username)
    except BadInput as error:
        raise HTTPException(status_code=404, detail=NOT_FOUND) from error
    except Refused as refusal:
        raise HTTPException(status_code=403, detail=refusal.message) from refusal


@router.post("/acknowledgements/{memo_id}/ask", response_class=HTMLResponse)
def ask(
    request: Request,
    memo_id: RowId,
    user: FormUser,
    scope: str = Form(EVERYONE, max_length=20),
    units: list[str] = Form([]),
    positions: list[str] = Form([]),
) -> Response:
    """The drafter or an administrator asks: everyone, or the holders of the chosen units' or positions' posts."""
    chosen = Recipients(
        units=tuple(units) if scope == UNITS else (),
        positions=tuple(positions) if scope == POSITIONS else (),
    )
    draft = {"scope": scope, "units": units, "positions": positions, "error": ""}
    if scope in (UNITS, POSITIONS) and not (chosen.units or chosen.positions):
        draft["error"] = "เลือกอย่างน้อยหนึ่งรายการ (choose at least one unit or position, or everyone)"
        return _who_page(request, memo_id, user, flash=None, status=422, draft=draft)
    try:
        with session_scope() as session:
            _memo_of(session, user, memo_id)
            ask_staff_to_acknowledge(session, memo_id=memo_id, username=user.person.username, recipients=chosen)
    except BadInput as error:
        draft["error"] = str(error)
        return _who_page(request, memo_id, user, flash=None, status=422, draft=draft)
    except Refused as refusal:
        raise HTTPException(status_code=403, detail=refusal.message) from refusal
    return RedirectResponse(f"/acknowledgements/{memo_id}/who?msg=asked", status_code=303)


@router.get("/acknowledgements/{memo_id}/who.csv")
def who_csv(memo_id: RowId, user: CurrentUser) -> Response:
    """The same list for a spreadsheet: Thai dates and times, UTF-8 with a BOM (Excel reads Thai then)."""
    with read_scope() as session:
        memo = _memo_of(session, user, memo_id)
        found = _list_or_403(session, memo_id, user)
    if found is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ลำดับ", "ชื่อ-นามสกุล", "ตำแหน่ง", "รับทราบ", "เมื่อ", "ช่องทาง"])
    for number, row in enumerate(found.rows, start=1):
        writer.writerow(
            [
                to_thai_digits(number),
                row.full_name,
                row.positions,
                "รับทราบแล้ว" if row.at else "ยังไม่รับทราบ",
                thai_time(row.at) if row.at else "",
                VIA_WORDS.get(row.via, row.via),
            ]
        )
    name = f"acknowledgements-memo-{memo.id}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def acknowledgement_card(session: Session, person: Person, memo: Memo) -> dict | None:
    """What the memo page shows of its staff acknowledgements: the person's รับทราบ button while
    they have not, the count, and the list for the drafter or an administrator; None when there
    is nothing to show (not published, or nobody asked and the person may not ask)."""
    if session.exec(select(Publication.id).where(Publication.memo_id == memo.id)).first() is None:
        return None
    found = who_has_and_has_not(session, memo.id)
    allowed = may_see_list(person, memo)
    if found is None and not allowed:
        return None
    mine = next((r for r in found.rows if r.person_id == person.id), None) if found else None
    return {"found": found, "mine": mine, "may_see_list": allowed}
