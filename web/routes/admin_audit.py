"""The organisation's audit log, readable and filtered, and the chain verification."""

import datetime as dt
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import select

from documents.thai_format import to_thai_digits
from models import Memo
from models.be_dates import BadDate, parse_be_date
from models.db import read_scope
from models.digits import arabic_digits
from services.audit.audit_verify import AuditReport, verify_audit
from services.audit.audit_view import AuditFilter, actions_of, audit_page, own_entries
from web.deps import CurrentUser, FormUser
from web.routes.admin_common import people_of, render, require_admin
from web.sessions import SignedIn

router = APIRouter(include_in_schema=False)
MAX_ID_DIGITS = 9  # a longer number is no memo or page here (and would overflow the database's integer)


@router.get("/audit", response_class=HTMLResponse)
def audit_log(request: Request, user: CurrentUser) -> Response:
    """Filtered by the query: action, person (username), memo (its id, or its register number
    as typed), date_from/date_to (day/month/BE year), page."""
    require_admin(user)
    return _audit_page(request, user, report=None)


@router.post("/audit/verify", response_class=HTMLResponse)
def verify(request: Request, user: FormUser) -> Response:
    require_admin(user)
    return _audit_page(request, user, report=verify_audit())


def typed_date(text: str) -> dt.date | None:
    """A filter date typed as day/month/BE year (models.be_dates); None when empty."""
    return parse_be_date(text) if text.strip() else None


def _filter(session, org_id: int, params) -> tuple[AuditFilter, str | None]:  # noqa: ANN001
    """The filter the query asks for, and what in it could not be read."""
    problem = None
    try:
        date_from, date_to = typed_date(params.get("date_from", "")), typed_date(params.get("date_to", ""))
    except BadDate as error:
        date_from = date_to = None
        problem = str(error)
    memo_id, memo_text = None, arabic_digits(params.get("memo", "").strip())
    if memo_text:  # a memo of another organisation, or none: no entry (-1 matches nothing)
        query = select(Memo.id).where(Memo.organisation_id == org_id)
        memo_id = (
            session.exec(
                query.where(Memo.id == int(memo_text))
                if memo_text.isdigit() and len(memo_text) <= MAX_ID_DIGITS
                else query.where(Memo.register_number == to_thai_digits(memo_text))
            ).first()
            or -1
        )
    page = arabic_digits(params.get("page", "1"))
    return AuditFilter(
        action=params.get("action", ""),
        actor=params.get("person", ""),
        memo_id=memo_id,
        date_from=date_from,
        date_to=date_to,
        page=int(page) if page.isdigit() and len(page) <= MAX_ID_DIGITS else 1,
    ), problem


def _audit_page(request: Request, user: SignedIn, report: AuditReport | None) -> Response:
    # An organisation's administrators see its entries only, and of a verification only the
    # problems that concern it (the others are counted: the instance's operator has the CLI).
    org_id = user.person.organisation_id
    params = request.query_params
    with read_scope() as session:
        wanted, problem = _filter(session, org_id, params)
        result = audit_page(session, org_id, wanted)
        actions, people = actions_of(session, org_id), people_of(session, org_id)
        own_count = own_entries(session, org_id)  # the chain counts every organisation's; the page its own
    own = [p for p in report.problems if p.org_id == org_id] if report else []
    elsewhere = len(report.problems) - len(own) if report else 0
    kept = {k: v for k, v in params.items() if k != "page" and v}
    return render(
        request,
        user,
        "audit.html",
        {
            "result": result,
            "report": report,
            "own_problems": own,
            "own_count": own_count,
            "other_problems": elsewhere,
            "actions": actions,
            "people": people,
            "params": params,
            "page_link": lambda n: "/admin/audit?" + urlencode({**kept, "page": n}),
        },
        here="/admin/audit",
        flash={"kind": "error", "text": problem} if problem else None,
    )
