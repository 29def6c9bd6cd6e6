"""The office's ITA year (/ita/<year>): every catalogue item grouped by where it stands, who
holds it, when it is due in working days, the year's coverage, the public link per item to give
ITAS; the link checker ("ตรวจลิงก์") over everything published; and a disclosure item's form to
give or confirm its address. Only the signed-in person's own organisation is ever shown."""

from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import select

from models import Holding, ItaItem, Organisation, Person
from models.clock import utcnow
from models.db import read_scope, session_scope
from models.fiscal import current_fiscal_year, fiscal_year_label
from models.rules import Refused
from models.settings import get_settings
from services.errors import BadInput
from services.ita.catalogue_view import SHAPE_WORDS
from services.ita.disclosure import NoSuchItem, give_address
from services.ita.year_links import ItemCheck, check_year, year_links
from services.ita.year_view import year_view
from services.yearly.ita_opening import last_years_address
from web.deps import CurrentUser, FormUser
from web.refill import Forms, refused
from web.routes.public_ita import fiscal_year_in_path
from web.sessions import SignedIn
from web.templating import templates

router = APIRouter(include_in_schema=False)
SAVED = "บันทึกที่อยู่ของรายการแล้ว"


def public_base(request: Request) -> str:
    """The site's public address (SARABAN_PUBLIC_BASE_URL), else the address this page was asked at."""
    return get_settings().public_base_url.rstrip("/") or str(request.base_url).rstrip("/")


@router.get("/ita")
def this_year() -> Response:
    return RedirectResponse(f"/ita/{current_fiscal_year()}", status_code=303)


@router.get("/ita/{fiscal_year}", response_class=HTMLResponse)
def year_page(request: Request, user: CurrentUser, fiscal_year: str, msg: str = "") -> Response:
    flash = {"kind": "ok", "text": SAVED} if msg == "saved" else None
    return _page(request, user, fiscal_year_in_path(fiscal_year), flash=flash)


@router.post("/ita/{fiscal_year}/check-links", response_class=HTMLResponse)
def check_links_now(request: Request, user: FormUser, fiscal_year: str) -> Response:
    year = fiscal_year_in_path(fiscal_year)
    base = public_base(request)
    with read_scope() as session:
        org = session.get(Organisation, user.person.organisation_id)
        items = year_links(session, org, year, utcnow(), base)
    checks = check_year(items)
    broken = sum(len(c.problems) for c in checks)
    flash = (
        {"kind": "error", "text": f"พบลิงก์ที่มีปัญหา {broken} ลิงก์ แก้ตามที่บอกไว้ในแต่ละรายการ (broken links: {broken})"}
        if broken
        else {"kind": "ok", "text": "ลิงก์ทุกลิงก์เปิดได้และไฟล์ตรงกับที่เผยแพร่"}
    )
    return _page(request, user, year, flash=flash, checks=checks)


@router.post("/ita/{fiscal_year}/disclosure", response_class=HTMLResponse)
def disclosure_address(
    request: Request,
    user: FormUser,
    fiscal_year: str,
    item: int = Form(..., ge=1, le=2**62),
    url: str = Form("", max_length=4000),
) -> Response:
    year = fiscal_year_in_path(fiscal_year)
    try:
        with session_scope() as session:
            org = session.get(Organisation, user.person.organisation_id)
            give_address(session, org, session.get(Person, user.person.id), item_id=item, url=url)
    except NoSuchItem as error:  # another organisation's item, or none: nothing to say of it
        raise HTTPException(status_code=404, detail=str(error)) from error
    except BadInput as error:
        draft = refused({"url": url}, error, fields=("url",))
        return _page(request, user, year, forms=Forms({f"url-{item}": draft}), status_code=400)
    except Refused as error:  # not theirs: the page has no form of the item to bring back
        return _page(request, user, year, flash={"kind": "error", "text": error.message}, status_code=403)
    return RedirectResponse(f"/ita/{year}?{urlencode({'msg': 'saved'})}#ita-item-{item}", status_code=303)


def _page(
    request: Request,
    user: SignedIn,
    year: int,
    *,
    flash: dict | None = None,
    forms: Forms | None = None,
    checks: list[ItemCheck] | None = None,
    status_code: int = 200,
) -> Response:
    with read_scope() as session:
        org = session.get(Organisation, user.person.organisation_id)
        view = year_view(session, org, year, utcnow(), public_base(request))
        held = set(session.exec(select(Holding.position_id).where(Holding.person_id == user.person.id)))
        # A disclosure address not given yet this year: last year's, offered to be confirmed.
        offered = {
            row.item_id: last_years_address(session, session.get(ItaItem, row.item_id))
            for row in view.rows
            if row.shape == "disclosure" and row.opened and not row.disclosure_url
        }
    return templates.TemplateResponse(
        request,
        "ita_year.html",
        {
            "user": user,
            "flash": flash,
            "view": view,
            "year": year,
            "year_label": fiscal_year_label(year),
            "may_give": lambda row: user.person.is_admin or row.position_id in held,
            "shape_words": SHAPE_WORDS,
            "offered": offered,
            "forms": forms or Forms(),
            "checks": checks,
        },
        status_code=status_code,
    )
