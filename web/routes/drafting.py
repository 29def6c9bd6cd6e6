"""Writing memos: a new memo from a template (saved as a draft until sent),
revising a returned memo, and the history of revisions with their differences."""

import json
import re
import secrets

import jinja2
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, select

from documents.attachment_check import MAX_BYTES, MAX_FILES
from documents.thai_format import signature_lines
from models import Organisation, Person, SavedDraft, Unit
from models.clock import utcnow
from models.db import read_scope, session_scope
from models.document_kinds import TITLES
from models.draft import GENERAL, AttachmentRef
from models.enums import MemoStatus
from models.rules import Refused
from services.errors import BadInput
from services.memo_life.announcement_starts import published_starts, start_text, template_starts
from services.memo_life.attachments import forget_staged
from services.memo_life.draft_preview import draft_announcement_context, draft_announcement_text, draft_memo_context
from services.memo_life.memos import DUPLICATE, earlier_same_memo, revise_memo, submit_once
from services.memo_life.proofreading import OpenFindings, typed_findings
from services.memo_life.replacement import replaceable
from services.printing.announcement_kinds import choices_for
from services.printing.document_context import current_revision, revision_draft
from services.unit_of_work import run_action
from web.attachment_form import attachments_message, posted_attachments, preview_attachments
from web.deps import CurrentUser, FormUser, RowId
from web.forms import MemoForm
from web.history_view import memo_history
from web.proofread_marks import by_field, by_place
from web.routes.memos import memo_of_user, return_reason
from web.sessions import SignedIn
from web.templating import templates

router = APIRouter(include_in_schema=False)
SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
PREVIEW, MORE_ITEMS = "preview", "more-items"  # form buttons that show the form again, sending nothing
SAVED_ATTACHMENTS = "attachments"  # a saved draft's files, by hash, beside its fields


@router.get("/memos/new", response_class=HTMLResponse)
def new_memo(
    request: Request, user: CurrentUser, draft: int | None = None, msg: str = "", start: str = Query("", max_length=120)
) -> Response:
    with read_scope() as session:
        sent = _sent_as(session, user, draft) if draft else None
        if sent is not None:  # Back to the form of a draft already sent: to the memo it became
            return RedirectResponse(f"/memos/{sent}?msg=already-sent", status_code=303)
        form = _saved_form(session, user, draft) if draft else MemoForm.empty(closing="จึงเรียนมาเพื่อโปรดพิจารณา")
        note = session.get(SavedDraft, draft).note if draft else ""
        flash = {"kind": "ok", "text": "บันทึกร่างแล้ว"} if msg == "saved" else None
        if start:
            flash = _start_from(session, user, form, start)
    return _form_page(
        request,
        user,
        form,
        draft_id=draft,
        flash=flash,
        draft_note=note,
        preview=_preview(user, form) if start else None,
    )


def _start_from(session: Session, user: SignedIn, form: MemoForm, start: str) -> dict:
    """Fill the general announcement's fields from a published announcement or a template."""
    org = session.get(Organisation, user.person.organisation_id)
    try:
        form.start_from(start_text(session, org, start))
    except BadInput as missing:
        return {"kind": "error", "text": str(missing)}
    return {"kind": "ok", "text": "นำข้อความมาใส่ในประกาศทั่วไปแล้ว แก้ไขได้ตามต้องการ (the text is in the form: edit it)"}


@router.post("/memos/new", response_class=HTMLResponse)
async def post_new_memo(request: Request, user: FormUser) -> Response:
    posted = await request.form()
    form = MemoForm.from_values(posted)
    attached = await posted_attachments(posted, user, memo_id=None)
    form.attachments = attached.refs
    if attached.errors:  # the files that passed stay in the form; the others are named
        form.errors["attachments"] = attachments_message(attached.errors)
    draft_id = int(posted["draft_id"]) if str(posted.get("draft_id", "")).isdigit() else None
    key = str(posted.get("submission_key", ""))
    key = key if SUBMISSION_KEY.fullmatch(key) else None  # each rendering of the form has its own
    action = posted.get("action")
    if action == "save":
        draft_id = _save_draft(user, form, draft_id)
        return RedirectResponse(f"/memos/new?draft={draft_id}&msg=saved", status_code=303)
    if action in (PREVIEW, MORE_ITEMS):  # without JavaScript: the same form again, nothing sent
        return _form_page(
            request,
            user,
            form,
            draft_id=draft_id,
            submission_key=key,
            more_items=action == MORE_ITEMS,
            preview=_preview(user, form),
        )
    draft = _valid_draft(user, form)
    if draft is None:
        return _form_page(request, user, form, draft_id=draft_id, status=422, submission_key=key)
    try:
        # A double click or a resent form carries the same key: it finds the memo sent first.
        memo = submit_once(
            username=user.person.username,
            pin=str(posted.get("pin", "")),
            draft=draft,
            submission_key=key,
            via="web",
            again=posted.get("again") == "yes",
            proofread_confirmed=posted.get("proofread_confirmed") == "yes",
            from_draft=draft_id,
        )
    except OpenFindings as refusal:  # asked once: the findings listed, marked and under their fields
        return _form_page(
            request,
            user,
            form,
            draft_id=draft_id,
            status=409,
            submission_key=key,
            proofread_open=refusal.findings,
            again_confirmed=posted.get("again") == "yes",
            preview=_preview(user, form),
        )
    except Refused as refusal:
        if refusal.code == DUPLICATE:  # Back and send again, most likely: the memo sent, and a box to send another
            with read_scope() as session:
                earlier = earlier_same_memo(session, user.person.id, draft)
            return _form_page(
                request, user, form, draft_id=draft_id, status=409, submission_key=key, duplicate_of=earlier
            )
        return _refused_form(request, user, form, draft_id, refusal, key)
    except BadInput as refusal:
        return _refused_form(request, user, form, draft_id, refusal, key)
    _forget_staged(user, draft)
    return RedirectResponse(f"/memos/{memo.id}?msg=submitted", status_code=303)


def _refused_form(
    request: Request, user: SignedIn, form: MemoForm, draft_id: int | None, refusal: Exception, key: str | None
) -> Response:
    return _form_page(
        request,
        user,
        form,
        draft_id=draft_id,
        status=403 if isinstance(refusal, Refused) else 422,
        flash={"kind": "error", "text": f"ส่งไม่ได้: {getattr(refusal, 'message', refusal)}"},
        submission_key=None if isinstance(refusal, BadInput) else key,
    )


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
    form = MemoForm.from_values(posted, "note")
    attached = await posted_attachments(posted, user, memo_id=memo_id)
    form.attachments = attached.refs
    if attached.errors:  # the files that passed stay in the form; the others are named
        form.errors["attachments"] = attachments_message(attached.errors)
    if posted.get("action") in (PREVIEW, MORE_ITEMS):
        return _revise_page(
            request,
            user,
            memo_id,
            form,
            more_items=posted.get("action") == MORE_ITEMS,
            preview=_preview(user, form, memo_id=memo_id),
        )
    draft = _valid_draft(user, form)
    if not form.values["note"].strip():
        form.errors["note"] = "กรุณาระบุสิ่งที่แก้ไข"
    if draft is None or form.errors:
        return _revise_page(request, user, memo_id, form, status=422)
    try:
        run_action(
            lambda s: revise_memo(
                s,
                memo_id=memo_id,
                username=user.person.username,
                pin=str(posted.get("pin", "")),
                draft=draft,
                note=form.values["note"],
            ),
            engine=None,
            actor=user.person.username,
            name="memo.revise",
            subject=f"memo:{memo_id}",
            via="web",
        )
    except Refused as refusal:
        return _revise_page(
            request, user, memo_id, form, status=403, flash={"kind": "error", "text": f"ส่งไม่ได้: {refusal.message}"}
        )
    except BadInput as refusal:
        return _revise_page(
            request, user, memo_id, form, status=422, flash={"kind": "error", "text": f"ส่งไม่ได้: {refusal}"}
        )
    _forget_staged(user, draft)
    return RedirectResponse(f"/memos/{memo_id}?msg=revised", status_code=303)


@router.get("/memos/{memo_id}/history", response_class=HTMLResponse)
def history(request: Request, memo_id: RowId, user: CurrentUser) -> Response:
    """Each revision: who wrote it and when, what changed in the form's own words, and what
    happened to it (web.history_view)."""
    with read_scope() as session:
        memo = memo_of_user(session, user, memo_id)
        revisions = memo_history(session, memo)
    return templates.TemplateResponse(
        request,
        "history.html",
        {
            "user": user,
            "flash": None,
            "memo_id": memo.id,
            "subject": memo.subject,
            "register_number": memo.register_number,
            "revisions": revisions,
        },
    )


def _valid_draft(user: SignedIn, form: MemoForm):  # noqa: ANN202
    draft = form.to_draft()
    with read_scope() as session:
        org = session.get(Organisation, user.person.organisation_id)
    if form.values["template"] not in {c.name for c in choices_for(org)}:
        form.errors["template"] = "กรุณาเลือกแบบประกาศจากรายการ (choose an announcement kind from the list)"
        return None
    if "attachments" in form.errors:
        return None
    return draft


def _forget_staged(user: SignedIn, draft) -> None:  # noqa: ANN001
    """The staged copies of files now kept with the memo."""
    with read_scope() as session:
        forget_staged(session, session.get(Person, user.person.id), draft.attached())


@router.post("/memos/preview", response_class=HTMLResponse)
async def preview(request: Request, user: FormUser, memo: int | None = Query(None, ge=1, le=2**62)) -> Response:
    """The preview fragment the form's script asks for while the officer types (nothing is kept);
    `memo` when revising it, for its register number."""
    posted = await request.form()
    form = MemoForm.from_values(posted)
    form.attachments = preview_attachments(posted)
    return templates.TemplateResponse(request, "_draft_preview.html", {"preview": _preview(user, form, memo_id=memo)})


def _preview(user: SignedIn, form: MemoForm, *, memo_id: int | None = None) -> dict:
    """The memo and the announcement as they will print, from the draft as typed so far, with
    what still has to be fixed before it can be sent."""
    checked = MemoForm(dict(form.values))  # the form's own fields stay unmarked: this is no attempt to send
    checked.to_draft()
    draft = form.preview_draft()
    with read_scope() as session:
        person = session.get(Person, user.person.id)
        numbered = {"register_number": memo_of_user(session, user, memo_id).register_number} if memo_id else {}
        memo = draft_memo_context(session, person, draft, **numbered)
        try:
            words = draft_announcement_text(session, person, draft)
            announcement, problem = draft_announcement_context(session, person, draft, words), ""
        except (jinja2.TemplateError, ValueError):  # an unknown or broken template: the memo still shows
            words, announcement, problem = (
                None,
                None,
                "ยังแสดงประกาศไม่ได้: เลือกแบบประกาศหรือเขียนเรื่องของประกาศก่อน (choose a kind or write the subject first)",
            )
    findings = typed_findings(memo, words)  # what sending will ask about, marked where it stands
    return {
        "memo": memo,
        "announcement": announcement,
        "problem": problem,
        "errors": checked.errors,
        "signature_lines": signature_lines,
        "findings": findings,
        "marks": by_place(findings),
    }


def _form_findings(user: SignedIn, form: MemoForm) -> list[dict]:
    """The proofreading findings of the form as typed, for the fields they were typed in."""
    draft = form.preview_draft()
    with read_scope() as session:
        person = session.get(Person, user.person.id)
        memo = draft_memo_context(session, person, draft)
        try:
            words = draft_announcement_text(session, person, draft)
        except (jinja2.TemplateError, ValueError):  # the announcement cannot be rendered yet: the memo's only
            words = None
    return typed_findings(memo, words)


def _form_page(
    request: Request,
    user: SignedIn,
    form: MemoForm,
    *,
    draft_id: int | None,
    status: int = 200,
    flash: dict | None = None,
    draft_note: str = "",
    submission_key: str | None = None,
    **extra,
) -> Response:
    """The memo form, with a one-time submission key (the one it was sent with, when it comes
    back refused: sending it again must still make one memo only)."""
    return _render_form(
        request,
        user,
        form,
        status=status,
        flash=flash,
        heading="เขียนบันทึกข้อความ",
        action="/memos/new",
        draft_id=draft_id,
        save_draft=True,
        submit_label="ส่งบันทึก",
        draft_note=draft_note,
        submission_key=submission_key or secrets.token_urlsafe(24),
        starts=True,
        **extra,
    )


def _revise_page(
    request: Request,
    user: SignedIn,
    memo_id: RowId,
    form: MemoForm,
    *,
    status: int = 200,
    flash: dict | None = None,
    **extra,
) -> Response:
    with read_scope() as session:
        memo = memo_of_user(session, user, memo_id)
        if memo.status != MemoStatus.RETURNED or memo.drafter_id != user.person.id:
            raise HTTPException(
                status_code=403, detail="แก้ไขได้เฉพาะผู้ร่าง เมื่อบันทึกถูกส่งคืน (only the drafter revises a returned memo)"
            )
        reason = return_reason(session, memo)
    return _render_form(
        request,
        user,
        form,
        status=status,
        flash=flash,
        heading="แก้ไขบันทึกที่ถูกส่งคืน",
        action=f"/memos/{memo_id}/revise",
        draft_id=None,
        save_draft=False,
        submit_label="ส่งฉบับแก้ไข",
        return_reason=reason,
        note_field=True,
        preview_url=f"/memos/preview?memo={memo_id}",
        field_findings=by_field(_form_findings(user, form), form.values),  # each at its field, as typed
        **extra,
    )


def _render_form(
    request: Request,
    user: SignedIn,
    form: MemoForm,
    *,
    status: int,
    starts: bool = False,
    more_items: bool = False,
    **extra,
) -> Response:
    with read_scope() as session:
        org = session.get(Organisation, user.person.organisation_id)
        units = session.exec(select(Unit).where(Unit.organisation_id == org.id)).all()
        choices = choices_for(org)
        replaceable_now = replaceable(session, org.id)
        start_lists = (
            {"published": published_starts(session, org), "templates": template_starts(org)} if starts else None
        )
    form.values.setdefault("note", "")
    if not form.values["template"] and choices:  # the organisation's first template, else the general one
        form.values["template"] = next((c.name for c in choices if c.name != GENERAL), GENERAL)
    context = {
        "user": user,
        "form": form,
        "max_attachments": MAX_FILES,
        "max_attachment_mb": MAX_BYTES // (1024 * 1024),
        "units": units,
        "choices": choices,
        "replaceable": replaceable_now,
        "general": GENERAL,
        "document_kinds": [(kind.value, title) for kind, title in TITLES.items()],
        "user_org_name": org.name,
        "item_rows": form.item_rows(extra=3 if more_items else 0),
        "starts": start_lists,
        "preview": None,
        "preview_url": "/memos/preview",
        "return_reason": "",
        "note_field": False,
        "draft_note": "",
        "submission_key": "",
        **extra,
    }
    context.setdefault("flash", None)
    context.setdefault("duplicate_of", None)
    context.setdefault("proofread_open", None)
    context.setdefault("again_confirmed", False)
    if context["proofread_open"]:
        context.setdefault("field_findings", by_field(context["proofread_open"], form.values))
    context.setdefault("field_findings", {})
    return templates.TemplateResponse(request, "memo_form.html", context, status_code=status)


def _sent_as(session: Session, user: SignedIn, draft_id: int) -> int | None:
    saved = session.get(SavedDraft, draft_id)
    return saved.sent_memo_id if saved is not None and saved.person_id == user.person.id else None


def _saved_form(session: Session, user: SignedIn, draft_id: int) -> MemoForm:
    saved = session.get(SavedDraft, draft_id)
    if saved is None or saved.person_id != user.person.id:
        raise HTTPException(status_code=404, detail="ไม่พบร่างนี้ (no such draft)")
    content = json.loads(saved.content_json)
    form = MemoForm.from_values(content)
    form.attachments = [AttachmentRef.model_validate(a) for a in content.get(SAVED_ATTACHMENTS, [])]
    return form


def _save_draft(user: SignedIn, form: MemoForm, draft_id: int | None) -> int:
    with session_scope() as session:
        saved = session.get(SavedDraft, draft_id) if draft_id else None
        if saved is None or saved.person_id != user.person.id:
            saved = SavedDraft(person_id=user.person.id, content_json="{}")
        # The files by hash (staged until sent), beside the form's fields.
        attachments = [a.model_dump() for a in form.attachments]
        saved.content_json = json.dumps({**form.values, SAVED_ATTACHMENTS: attachments}, ensure_ascii=False)
        saved.updated_at = utcnow()
        session.add(saved)
        session.flush()
        return saved.id
