"""Signing several memos with one PIN (issue 21): the queue's selection, a page that walks through
each memo's print in turn, and one confirmation (services.memo_life.bulk_signoff).

Each memo's form value carries what its signer was shown (step, revision, announcement text), so
a memo that changed after the page was made is left out, with the reason, and the others signed.
"""

import re

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from models import Memo, Person
from models.db import read_scope, session_scope
from models.rules import Refused
from services.errors import BadInput
from services.memo_life.bulk_signoff import MAX_MEMOS, Outcome, Shown, sign_many
from services.memo_life.queue import acting_for, signing_capacity
from services.memo_life.readings import note_seen
from services.printing.document_context import current_revision, memo_context
from services.printing.rendering import memo_folder
from services.publication.memo_view import announcement_sha256_now
from services.publication.print_preview import print_pages
from web.deps import CurrentUser, FormUser
from web.previews import announcement_paper
from web.routes.memos import COMMON_MINUTES, changes_since_seen
from web.sessions import SignedIn, client_of
from web.templating import templates

router = APIRouter(include_in_schema=False)
# What one checkbox carries: memo id, step, revision hash, announcement hash (may be empty).
SHOWN = re.compile(r"^([0-9]{1,18}):([0-9]{1,4}):([0-9a-f]{64}):([0-9a-f]{64})?$")
NOT_YOURS = "ไม่ได้รอท่านลงนามในขณะนี้ (not waiting for your sign-off now)"
NOT_FOUND = "ไม่พบบันทึกนี้ (no such memo)"


@router.get("/sign-many", response_class=HTMLResponse)
def review(request: Request, user: CurrentUser, memo: list[int] = Query([])) -> Response:
    """The selected memos' prints one after another, then one confirmation."""
    return _review(request, user, memo)


@router.post("/sign-many", response_class=HTMLResponse)
def confirm(
    request: Request,
    user: FormUser,
    shown: list[str] = Form([]),
    minute: str = Form("", max_length=2000),
    pin: str = Form(""),
) -> Response:
    try:
        items = [_parse(value) for value in shown]
        outcomes = sign_many(user.person.username, pin, items, minute=minute, via="web-bulk", client=client_of(request))
    except (Refused, BadInput) as refusal:  # a wrong PIN (nothing signed) or nothing chosen
        memo_ids = [int(value.split(":", 1)[0]) for value in shown if value.split(":", 1)[0].isdigit()]
        message = refusal.message if isinstance(refusal, Refused) else str(refusal)
        return _review(request, user, memo_ids, error=f"ไม่ได้ลงนามเรื่องใด: {message}", minute=minute, status=403)
    with read_scope() as session:
        rows = [_outcome_row(session, user, outcome) for outcome in outcomes]
    context = {"user": user, "flash": None, "signed": [r for r in rows if r["signed"]]}
    context["left_out"] = [r for r in rows if not r["signed"]]
    return templates.TemplateResponse(request, "sign_many_done.html", context)


def _parse(value: str) -> Shown:
    match = SHOWN.match(value)
    if match is None:
        raise BadInput("แบบฟอร์มไม่ครบ กรุณาเปิดหน้าลงนามหลายเรื่องใหม่ (the form was altered: open it again)")
    memo_id, step, revision, announcement = match.groups()
    return Shown(int(memo_id), int(step), revision, announcement or None)


def _review(
    request: Request, user: SignedIn, memo_ids: list[int], *, error: str = "", minute: str = "", status: int = 200
) -> Response:
    wanted = list(dict.fromkeys(memo_ids))  # in the order chosen, each once
    too_many = len(wanted) > MAX_MEMOS
    for memo_id in wanted[:MAX_MEMOS]:
        _note_seen(user, memo_id)
    with read_scope() as session:
        person = session.get(Person, user.person.id)
        items, left_out = [], []
        for memo_id in wanted[:MAX_MEMOS]:
            memo = session.get(Memo, memo_id)
            if memo is None or memo.organisation_id != person.organisation_id:
                left_out.append({"memo_id": memo_id, "subject": "", "reason": NOT_FOUND})
            elif signing_capacity(session, person, memo) is None:
                left_out.append({"memo_id": memo_id, "subject": memo.subject, "reason": NOT_YOURS})
            else:
                items.append(_item(session, person, memo))
    context = {
        "user": user,
        "flash": None,
        "items": items,
        "left_out": left_out,
        "too_many": too_many,
        "max_memos": MAX_MEMOS,
        "error": error,
        "minute": minute,
        "common_minutes": COMMON_MINUTES,
    }
    return templates.TemplateResponse(request, "sign_many.html", context, status_code=status)


def _item(session: Session, person: Person, memo: Memo) -> dict:
    revision = current_revision(session, memo)
    memo_ctx, announcement_ctx = memo_context(session, memo, revision), announcement_paper(session, memo, revision)
    announcement = announcement_sha256_now(session, memo) or ""
    return {
        "memo": memo,
        "revision": revision,
        "acting": acting_for(session, person, memo),
        "capacity": signing_capacity(session, person, memo),
        "print": print_pages(memo_folder(session, memo), memo_ctx, announcement_ctx),
        "changes": changes_since_seen(session, memo, person.id, revision.number),
        "announcement_sha256": announcement,
        "shown": f"{memo.id}:{memo.step}:{revision.sha256}:{announcement}",
    }


def _note_seen(user: SignedIn, memo_id: int) -> None:
    """Shown here is seen: the memo page compares a later revision with this one."""
    with session_scope() as session:
        memo = session.get(Memo, memo_id)
        if memo is not None and memo.organisation_id == user.person.organisation_id:
            note_seen(session, memo_id=memo.id, person_id=user.person.id, revision_number=memo.round)


def _outcome_row(session: Session, user: SignedIn, outcome: Outcome) -> dict:
    memo = session.get(Memo, outcome.memo_id)
    visible = memo is not None and memo.organisation_id == user.person.organisation_id
    return {
        "memo_id": outcome.memo_id,
        "register_number": memo.register_number if visible else "",
        "subject": memo.subject if visible else "",
        "visible": visible,
        "signed": outcome.signed,
        "again": outcome.signed and outcome.result.already_recorded,
        "reason": outcome.reason,
    }
