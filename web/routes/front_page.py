"""The front page: what waits for me, what I sent (and the archive of what was published), what I
signed; each searched, filtered and sorted by a plain GET form (services.memo_life.memo_search)."""

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import col, select

from models import Organisation, SavedDraft
from models.db import read_scope
from services.memo_life.memo_search import (
    SORTS,
    STATUS_LABELS,
    MemoFilter,
    apply,
    counts,
    drafted_rows,
    ended_unpublished,
    in_progress,
    kinds_of,
    signed_rows,
    waiting_rows,
)
from services.memo_life.standing import GROUPS as COUNT_LABELS
from services.printing.announcement_kinds import kind_title
from web.deps import CurrentUser
from web.templating import templates

router = APIRouter(include_in_schema=False)
VIEWS = {"queue": "รอพิจารณา", "mine": "เรื่องที่ท่านเสนอ (รวมที่เผยแพร่แล้ว)", "signed": "ลงนามแล้ว"}


@router.get("/", response_class=HTMLResponse)
def front_page(
    request: Request,
    user: CurrentUser,
    view: str = "queue",
    q: str = "",
    status: str = "",
    fy: str = "",
    kind: str = "",
    overdue: str = "",
    sort: str = "",
) -> Response:
    view = view if view in VIEWS else "queue"
    wanted = MemoFilter.from_form(q=q[:200], status=status, fy=fy[:8], kind=kind[:100], overdue=overdue, sort=sort)
    with read_scope() as session:
        org = session.get(Organisation, user.person.organisation_id)
        lists = _lists(session, user, view)
        drafts = _drafts(session, user.person.id) if view == "queue" else []
    every_row = [row for rows in lists.values() for row in rows]
    context = {
        "user": user,
        "flash": None,
        "view": view,
        "views": VIEWS,
        "filter": wanted,
        "form": {"q": q, "status": status, "fy": fy, "kind": kind, "overdue": wanted.overdue, "sort": wanted.sort},
        "statuses": STATUS_LABELS,
        "sorts": SORTS,
        "kinds": [(name, kind_title(org, name)) for name in kinds_of(every_row)],
        "years": sorted({row.fiscal_year for row in every_row}, reverse=True),
        "lists": {name: apply(rows, wanted) for name, rows in lists.items()},
        # Each list's rows counted where they stand: the ended and the cancelled apart from the rest.
        "counts": {name: counts(apply(rows, wanted)) for name, rows in lists.items()},
        "count_labels": COUNT_LABELS,
        "drafts": drafts,
    }
    return templates.TemplateResponse(request, "queue.html", context)


def _lists(session, user, view: str) -> dict:  # noqa: ANN001
    if view == "mine":
        return {"mine": drafted_rows(session, user.person.id)}
    if view == "signed":
        return {"signed": signed_rows(session, user.person.id)}
    drafted = drafted_rows(session, user.person.id)
    return {
        "items": waiting_rows(session, user.person.username),
        "sent": in_progress(drafted),
        "ended": ended_unpublished(drafted),  # not in flight: listed apart, below
    }


def _drafts(session, person_id: int) -> list[dict]:  # noqa: ANN001
    drafts = session.exec(
        select(SavedDraft)
        .where(SavedDraft.person_id == person_id, col(SavedDraft.sent_memo_id).is_(None))  # sent: a memo now
        .order_by(col(SavedDraft.updated_at).desc())
    ).all()
    return [
        {
            "id": d.id,
            "subject": json.loads(d.content_json).get("subject", ""),
            "updated_at": d.updated_at,
            "due_at": d.due_at,
            "origin": d.origin,
        }
        for d in drafts
    ]
