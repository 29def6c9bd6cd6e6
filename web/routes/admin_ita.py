"""ITA: the catalogue the organisation adopted for a fiscal year (`saraban ita load`), item by
item, each with the position that answers for it; an administrator changes it here (audited),
and a later load of the catalogue keeps that choice (services.ita.positions)."""

from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models import Organisation
from models.db import read_scope, session_scope
from models.fiscal import current_fiscal_year, fiscal_year_label
from services.errors import BadInput
from services.ita.catalogue_view import (
    CADENCE_WORDS,
    SHAPE_WORDS,
    SOURCE_WORDS,
    adopted_years,
    catalogue_of,
    item_lines,
)
from services.ita.positions import positions_of, set_item_position
from web.deps import CurrentUser, FormUser
from web.refill import Draft, Forms, refused
from web.routes.admin_common import REFUSED, flash_of, render, require_admin
from web.sessions import SignedIn

router = APIRouter(include_in_schema=False)
PAGE = "/admin/ita"
YEARS = range(2400, 2800)  # BE; anything else is no fiscal year this page shows


@router.get("/ita", response_class=HTMLResponse)
def ita_page(request: Request, user: CurrentUser, fiscal_year: int = 0, msg: str = "", error: str = "") -> Response:
    return _page(request, user, fiscal_year, flash=flash_of(msg, error))


def _page(
    request: Request,
    user: SignedIn,
    fiscal_year: int,
    *,
    flash: dict | None = None,
    forms: Forms | None = None,
) -> Response:
    require_admin(user)
    with read_scope() as session:
        org = session.get(Organisation, user.person.organisation_id)
        years = adopted_years(session, org)
        year = fiscal_year if fiscal_year in YEARS else (years[0] if years else current_fiscal_year())
        catalogue = catalogue_of(session, org, year)
        lines = item_lines(session, org, year)
        positions = positions_of(session, org)
    return render(
        request,
        user,
        "admin/ita.html",
        {
            "org": org,
            "year": year,
            "year_label": fiscal_year_label(year),
            "years": years,
            "catalogue": catalogue,
            "lines": lines,
            "positions": positions,
            "shape_words": SHAPE_WORDS,
            "cadence_words": CADENCE_WORDS,
            "source_words": SOURCE_WORDS,
            "forms": forms or Forms(),
        },
        here=PAGE,
        flash=flash,
        status_code=REFUSED if forms is not None or flash and flash["kind"] == "error" else 200,
    )


@router.post("/ita/position")
def item_position(
    request: Request,
    user: FormUser,
    item: int = Form(..., ge=1, le=2**62),
    position: str = Form("", max_length=200),
    note: str = Form("", max_length=500),
    fiscal_year: int = Form(0, ge=0, le=9999),
) -> Response:
    def again(draft: Draft) -> Response:
        # Not one of this organisation's items: there is no form of it on the page to refill.
        if draft.focus == "item":
            return _page(request, user, fiscal_year, flash={"kind": "error", "text": draft.error})
        return _page(request, user, fiscal_year, forms=Forms({f"item-{item}": draft}))

    require_admin(user)
    try:
        with session_scope() as session:
            org = session.get(Organisation, user.person.organisation_id)
            set_item_position(session, org, actor=user.person.username, item_id=item, position=position, note=note)
    except BadInput as error:
        return again(refused({"position": position, "note": note}, error, fields=("position", "note", "item")))
    shown = {"fiscal_year": str(fiscal_year)} if fiscal_year in YEARS else {}
    return RedirectResponse(f"{PAGE}?{urlencode(shown | {'msg': 'บันทึกผู้รับผิดชอบรายการ ITA แล้ว'})}", status_code=303)
