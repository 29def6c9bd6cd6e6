"""Writing memos: the queue, a new memo from a template (saved as a draft until sent),
revising a returned memo, and the history of revisions with their differences."""

import json
import re
import secrets

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, select

from models import Organisation, SavedDraft, Unit
from models.clock import utcnow
from models.db import read_scope, session_scope
from models.enums import MemoStatus
from models.rules import Refused
from services.document_context import revision_draft
from services.errors import BadInput
from services.memos import current_revision, revise_memo, submit_once
from services.queue import queue_for, sent_by
from services.unit_of_work import run_action
from web.deps import CurrentUser, FormUser, RowId
from web.forms import FIELDS, MemoForm, templates_for
from web.history_view import memo_history
from web.routes.memos import memo_of_user, return_reason
from web.sessions import SignedIn
from web.templating import templates

router = APIRouter(include_in_schema=False)
SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@router.get("/", response_class=HTMLResponse)
def queue(request: Request, user: CurrentUser) -> Response:
    with read_scope() as session:
        drafts = session.exec(select(SavedDraft).where(SavedDraft.person_id == user.person.id)
                              .order_by(SavedDraft.updated_at.desc())).all()
        context = {"user": user, "flash": None, "items": queue_for(session, user.person.username),
                   "sent": sent_by(session, user.person.id),
                   "drafts": [{"id": d.id, "subject": json.loads(d.content_json).get("subject", ""),
                               "updated_at": d.updated_at, "due_at": d.due_at, "origin": d.origin}
                              for d in drafts]}
    return templates.TemplateResponse(request, "queue.html", context)


@router.get("/memos/new", response_class=HTMLResponse)
def new_memo(request: Request, user: CurrentUser, draft: int | None = None, msg: str = "") -> Response:
    with read_scope() as session:
        form = _saved_form(session, user, draft) if draft else MemoForm.empty(closing="จึงเรียนมาเพื่อโปรดพิจารณา")
        note = session.get(SavedDraft, draft).note if draft else ""
    flash = {"kind": "ok", "text": "บันทึกร่างแล้ว"} if msg == "saved" else None
    return _form_page(request, user, form, draft_id=draft, flash=flash, draft_note=note)


@router.post("/memos/new", response_class=HTMLResponse)
async def post_new_memo(request: Request, user: FormUser) -> Response:
    posted = await request.form()
    form = MemoForm({name: str(posted.get(name, "")) for name in FIELDS})
    draft_id = int(posted["draft_id"]) if str(posted.get("draft_id", "")).isdigit() else None
    key = str(posted.get("submission_key", ""))
    key = key if SUBMISSION_KEY.fullmatch(key) else None  # each rendering of the form has its own
    if posted.get("action") == "save":
        draft_id = _save_draft(user, form, draft_id)
        return RedirectResponse(f"/memos/new?draft={draft_id}&msg=saved", status_code=303)
    draft = _valid_draft(user, form)
    if draft is None:
        return _form_page(request, user, form, draft_id=draft_id, status=422, submission_key=key)
    try:
        # A double click or a resent form carries the same key: it finds the memo sent first.
        memo = submit_once(username=user.person.username, pin=str(posted.get("pin", "")), draft=draft,
                           submission_key=key, via="web")
    except (Refused, BadInput) as refusal:
        return _form_page(request, user, form, draft_id=draft_id, status=403 if isinstance(refusal, Refused) else 422,
                          flash={"kind": "error", "text": f"ส่งไม่ได้: {getattr(refusal, 'message', refusal)}"},
                          submission_key=None if isinstance(refusal, BadInput) else key)
    _forget_draft(user, draft_id)
    return RedirectResponse(f"/memos/{memo.id}?msg=submitted", status_code=303)


@router.get("/memos/{memo_id}/revise", response_class=HTMLResponse)
def revise_form(request: Request, memo_id: RowId, user: CurrentUser) -> Response:
    with read_scope() as session:
        memo = memo_of_user(session, user, memo_id)
        form = MemoForm.from_draft(revision_draft(current_revision(session, memo)))
        form.values["note"] = ""
    return _revise_page(request, user, memo_id, form)


@router.post("/memos/{memo_id}/revise", response_class=HTMLResponse)
async def post_revise(request: Request, memo_id: RowId, user: FormUser) -> Response:
    posted = await request.form()
    form = MemoForm({name: str(posted.get(name, "")) for name in (*FIELDS, "note")})
    draft = _valid_draft(user, form)
    if not form.values["note"].strip():
        form.errors["note"] = "กรุณาระบุสิ่งที่แก้ไข"
    if draft is None or form.errors:
        return _revise_page(request, user, memo_id, form, status=422)
    try:
        run_action(lambda s: revise_memo(s, memo_id=memo_id, username=user.person.username, pin=str(posted.get("pin", "")),
                                         draft=draft, note=form.values["note"]),
                   engine=None, actor=user.person.username, name="memo.revise", subject=f"memo:{memo_id}", via="web")
    except Refused as refusal:
        return _revise_page(request, user, memo_id, form, status=403,
                            flash={"kind": "error", "text": f"ส่งไม่ได้: {refusal.message}"})
    return RedirectResponse(f"/memos/{memo_id}?msg=revised", status_code=303)


@router.get("/memos/{memo_id}/history", response_class=HTMLResponse)
def history(request: Request, memo_id: RowId, user: CurrentUser) -> Response:
    """Each revision: who wrote it and when, what changed in the form's own words, and what
    happened to it (web.history_view)."""
    with read_scope() as session:
        memo = memo_of_user(session, user, memo_id)
        revisions = memo_history(session, memo)
    return templates.TemplateResponse(request, "history.html", {
        "user": user, "flash": None, "memo_id": memo.id, "subject": memo.subject,
        "register_number": memo.register_number, "revisions": revisions})


def _valid_draft(user: SignedIn, form: MemoForm):  # noqa: ANN202
    draft = form.to_draft()
    with read_scope() as session:
        kind = session.get(Organisation, user.person.organisation_id).kind
    if form.values["template"] not in templates_for(kind):
        form.errors["template"] = "กรุณาเลือกแบบประกาศจากรายการ"
        return None
    return draft


def _form_page(request: Request, user: SignedIn, form: MemoForm, *, draft_id: int | None,
               status: int = 200, flash: dict | None = None, draft_note: str = "",
               submission_key: str | None = None) -> Response:
    """The memo form, with a one-time submission key (the one it was sent with, when it comes
    back refused: sending it again must still make one memo only)."""
    return _render_form(request, user, form, status=status, flash=flash, heading="เขียนบันทึกข้อความ",
                        action="/memos/new", draft_id=draft_id, save_draft=True, submit_label="ส่งบันทึก",
                        draft_note=draft_note, submission_key=submission_key or secrets.token_urlsafe(24))


def _revise_page(request: Request, user: SignedIn, memo_id: RowId, form: MemoForm, *, status: int = 200,
                 flash: dict | None = None) -> Response:
    with read_scope() as session:
        memo = memo_of_user(session, user, memo_id)
        if memo.status != MemoStatus.RETURNED or memo.drafter_id != user.person.id:
            raise HTTPException(status_code=403, detail="แก้ไขได้เฉพาะผู้ร่าง เมื่อบันทึกถูกส่งคืน (only the drafter revises a returned memo)")
        reason = return_reason(session, memo)
    return _render_form(request, user, form, status=status, flash=flash, heading="แก้ไขบันทึกที่ถูกส่งคืน",
                        action=f"/memos/{memo_id}/revise", draft_id=None, save_draft=False,
                        submit_label="ส่งฉบับแก้ไข", return_reason=reason, note_field=True)


def _render_form(request: Request, user: SignedIn, form: MemoForm, *, status: int, **extra) -> Response:
    with read_scope() as session:
        org = session.get(Organisation, user.person.organisation_id)
        units = session.exec(select(Unit).where(Unit.organisation_id == org.id)).all()
        template_names = templates_for(org.kind)
    form.values.setdefault("note", "")
    if not form.values["template"] and template_names:
        form.values["template"] = template_names[0]
    context = {"user": user, "form": form, "units": units, "template_names": template_names,
               "return_reason": "", "note_field": False, "draft_note": "", "submission_key": "", **extra}
    context.setdefault("flash", None)
    return templates.TemplateResponse(request, "memo_form.html", context, status_code=status)


def _saved_form(session: Session, user: SignedIn, draft_id: int) -> MemoForm:
    saved = session.get(SavedDraft, draft_id)
    if saved is None or saved.person_id != user.person.id:
        raise HTTPException(status_code=404, detail="ไม่พบร่างนี้ (no such draft)")
    values = json.loads(saved.content_json)
    return MemoForm({name: values.get(name, "") for name in FIELDS})


def _save_draft(user: SignedIn, form: MemoForm, draft_id: int | None) -> int:
    with session_scope() as session:
        saved = session.get(SavedDraft, draft_id) if draft_id else None
        if saved is None or saved.person_id != user.person.id:
            saved = SavedDraft(person_id=user.person.id, content_json="{}")
        saved.content_json = json.dumps(form.values, ensure_ascii=False)
        saved.updated_at = utcnow()
        session.add(saved)
        session.flush()
        return saved.id


def _forget_draft(user: SignedIn, draft_id: int | None) -> None:
    with session_scope() as session:
        saved = session.get(SavedDraft, draft_id) if draft_id else None
        if saved is not None and saved.person_id == user.person.id:
            session.delete(saved)
