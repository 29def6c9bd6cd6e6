"""The memo pages: read, sign, record a stage, download; everything through the domain functions."""

from pathlib import Path

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlmodel import Session

from documents.thai_format import signature_lines
from models import Memo, Organisation, Person
from models.be_dates import PLACEHOLDER as BE_PLACEHOLDER
from models.be_dates import BadDate, be_date_text, parse_be_date
from models.clock import office_date
from models.db import read_scope, session_scope
from models.decision_words import ACKNOWLEDGEMENT, LAST_APPROVAL, STEP_APPROVAL, decision_word
from models.document_kinds import acknowledges
from models.enums import DecisionKind, MemoStatus, Stage
from models.rules import RETURNING_STAGES, Cancelled, Refused, Withdrawn, allows
from services.errors import BadInput
from services.memo_life.attachments import download_name, revision_attachments
from services.memo_life.endings import end_memo
from services.memo_life.memo_route import memo_route
from services.memo_life.memos import record_stage
from services.memo_life.proofreading import TICKED_STAGES, revision_findings
from services.memo_life.queue import ESCALATED, acting_for, signing_capacity, where_now
from services.memo_life.readings import compare_from, note_seen
from services.memo_life.revision_changes import changes_between
from services.memo_life.signoff import SignOffRequest, sign_off
from services.memo_life.stage_return import return_at_stage, why_returned
from services.memo_life.stage_roles import may_record
from services.printing.document_context import current_revision, memo_context
from services.printing.file_labels import content_disposition, file_label
from services.printing.rendering import memo_folder
from services.publication.channel_posting import retry_failed_channels
from services.publication.memo_view import memo_view, proofread_report
from services.publication.notice_board import record_notice_board_posting, remove_on
from services.publication.print_preview import forget_failure, print_file, print_pages
from services.publication.publication_channels import POSTED
from services.unit_of_work import run_action
from web.deps import CurrentUser, FormUser, RowId
from web.pdf_jobs import pdf_job_state, start_pdf_job
from web.previews import announcement_paper
from web.routes.acknowledgements import acknowledgement_card
from web.sessions import SignedIn, client_of
from web.templating import templates

router = APIRouter(include_in_schema=False)
COMMON_MINUTES = ("โปรดพิจารณา", "ชอบ", "ทราบ")  # with the step's own approval word (_sign_offer)
MESSAGES = {
    "signed": f"บันทึกการลงนามแล้ว: {STEP_APPROVAL} ส่งต่อผู้พิจารณาขั้นถัดไปแล้ว",
    "approved": f"บันทึกการลงนามแล้ว: {LAST_APPROVAL} (ขั้นสุดท้าย) ระบบกำลังเผยแพร่ประกาศ",
    "acknowledged": f"บันทึกการลงนามแล้ว: {ACKNOWLEDGEMENT} (ขั้นสุดท้าย) ระบบกำลังเผยแพร่รายงาน",
    "returned": "ส่งคืนผู้ร่างให้แก้ไขแล้ว พร้อมเหตุผลในข้อความเกษียน",
    "notice-board": "บันทึกการปิดประกาศแล้ว",
    "staged": "บันทึกขั้นตอนแล้ว",
    "submitted": "ส่งบันทึกแล้ว",
    "withdrawn": "ถอนเรื่องแล้ว เรื่องสิ้นสุด (the memo was withdrawn)",
    "cancelled": "ยกเลิกเรื่องแล้ว เรื่องสิ้นสุด (the memo was cancelled)",
    "already-sent": "ร่างนี้ส่งเป็นบันทึกฉบับนี้แล้ว ไม่มีการส่งซ้ำ (this draft was already sent as this memo)",
    "revised": "ส่งฉบับแก้ไขแล้ว",
    "stage-returned": "ส่งคืนผู้ร่างพร้อมรายการแก้ไขแล้ว",
    "again": "ท่านได้ลงนามขั้นนี้ไว้แล้ว ไม่มีการบันทึกซ้ำ",
    "retried": "ส่งประกาศไปยังช่องทางที่ค้างอยู่สำเร็จแล้ว",
    "retry-failed": "ยังส่งประกาศไม่สำเร็จบางช่องทาง โปรดดูสาเหตุในตารางช่องทางเผยแพร่",
}
FAILURE_MESSAGES = {"retry-failed"}


def memo_of_user(session: Session, user: SignedIn, memo_id: RowId) -> Memo:
    """The memo, if it belongs to the user's organisation; 404 otherwise (no hint it exists)."""
    memo = session.get(Memo, memo_id)
    if memo is None or memo.organisation_id != user.person.organisation_id:
        raise HTTPException(status_code=404, detail="ไม่พบบันทึกนี้ (no such memo)")
    return memo


@router.get("/memos/{memo_id}", response_class=HTMLResponse)
def memo_page(request: Request, memo_id: RowId, user: CurrentUser, msg: str = "") -> Response:
    kind = "error" if msg in FAILURE_MESSAGES else "ok"
    flash = {"kind": kind, "text": MESSAGES[msg]} if msg in MESSAGES else None
    return _memo_page(request, memo_id, user, flash=flash)


def _memo_page(
    request: Request,
    memo_id: RowId,
    user: SignedIn,
    *,
    flash: dict | None = None,
    status: int = 200,
    minute_draft: str = "",
    return_note: str = "",
    sign_draft: dict | None = None,
    end_draft: dict | None = None,
    posted_on_draft: str = "",
) -> Response:
    _note_seen(user, memo_id)
    with read_scope() as session:
        memo = memo_of_user(session, user, memo_id)
        revision = current_revision(session, memo)
        person = session.get(Person, user.person.id)
        org = session.get(Organisation, memo.organisation_id)
        memo_ctx, announcement_ctx = memo_context(session, memo, revision), announcement_paper(session, memo, revision)
        context = {
            "user": user,
            "flash": flash,
            "view": memo_view(session, memo.id),
            "revision": revision,
            "where": where_now(session, memo),
            "memo_ctx": memo_ctx,
            "announcement_ctx": announcement_ctx,
            "signature_lines": signature_lines,
            "print": print_pages(memo_folder(session, memo), memo_ctx, announcement_ctx),
            "org": org,
            "changes": changes_since_seen(session, memo, person.id, revision.number),
            "sign": _sign_offer(session, person, memo),
            "stage": (stage_offered := _stage_offer(session, person, memo)),
            # The open findings beside the stage's confirm button; ticked one by one at ทาน and ตรวจ.
            "stage_findings": revision_findings(session, memo) if stage_offered else [],
            "stage_ticks": stage_offered in TICKED_STAGES,
            "can_revise": memo.status == MemoStatus.RETURNED and person.id == memo.drafter_id,
            "returned": why_returned(session, memo),
            "may_return_at_stage": _stage_offer(session, person, memo) in RETURNING_STAGES,
            "minute_draft": minute_draft,
            "return_note": return_note,
            # A refused sign-off comes back as the person left it: their decision (never a default
            # that could turn a return into an approval), minute, the reason beside the form and
            # the field to fix focused (on a phone the page's top is screens away from the form).
            "sign_draft": sign_draft or NO_SIGN_DRAFT,
            # Ending the memo unpublished: the drafter before any approval, an administrator any time before publication.
            "may_withdraw": person.id == memo.drafter_id and allows(memo.progress(), Withdrawn()),
            "may_cancel": person.is_admin and allows(memo.progress(), Cancelled()),
            "end_draft": end_draft or {"how": "", "reason": ""},
            "proofread": proofread_report(session, memo),
            "files": [file_label(name, memo.register_number) for name in _files(session, memo)],
            "pdf_job": pdf_job_state(memo_folder(session, memo)),
            "notice_board_remove_on": remove_on,
            "today_be": be_date_text(office_date()),
            "posted_on_draft": posted_on_draft,  # a refused notice-board date, as typed
            "be_placeholder": BE_PLACEHOLDER,
            "org_code": org.code,
            "route": memo_route(session, memo),
            "attachments": revision_attachments(session, revision),
            "attachment_name": download_name,
            "acknowledgement": acknowledgement_card(session, person, memo),
        }
    return templates.TemplateResponse(request, "memo.html", context, status_code=status)


def _note_seen(user: SignedIn, memo_id: RowId) -> None:
    """Remember the revision shown to this person (a short write, only when it changes)."""
    with session_scope() as session:
        memo = memo_of_user(session, user, memo_id)
        note_seen(session, memo_id=memo.id, person_id=user.person.id, revision_number=memo.round)


def changes_since_seen(session: Session, memo: Memo, person_id: int, current: int):  # noqa: ANN202
    base = compare_from(session, memo_id=memo.id, person_id=person_id)
    return None if base is None or base == current else changes_between(session, memo, base, current)


@router.get("/memos/{memo_id}/proofread", response_class=HTMLResponse)
def proofread_fragment(request: Request, memo_id: RowId, user: CurrentUser) -> Response:
    """The proofreading report as an HTML fragment: what the memo page polls while the flow makes it."""
    with read_scope() as session:
        report = proofread_report(session, memo_of_user(session, user, memo_id))
    return templates.TemplateResponse(request, "_proofread_card.html", {"proofread": report, "memo_id": memo_id})


@router.get("/memos/{memo_id}/print", response_class=HTMLResponse)
def print_fragment(request: Request, memo_id: RowId, user: CurrentUser) -> Response:
    """The print's state as an HTML fragment: what the page polls while the images are made."""
    with read_scope() as session:
        memo = memo_of_user(session, user, memo_id)
        revision = current_revision(session, memo)
        pages = print_pages(
            memo_folder(session, memo),
            memo_context(session, memo, revision),
            announcement_paper(session, memo, revision),
        )
    return templates.TemplateResponse(request, "_print_pages.html", {"print": pages, "memo_id": memo_id, "user": user})


@router.get("/memos/{memo_id}/print/{key}/{name}")
def print_page_file(memo_id: RowId, key: str, name: str, user: CurrentUser) -> Response:
    """A page image or PDF of the print; only for the memo's own organisation, like the memo."""
    with read_scope() as session:
        path = print_file(memo_folder(session, memo_of_user(session, user, memo_id)), key, name)
    if path is None:
        raise HTTPException(status_code=404, detail="ไม่พบไฟล์ (no such file)")
    return FileResponse(path, filename=name if name.endswith(".pdf") else None)


@router.post("/memos/{memo_id}/print/retry")
def retry_print(memo_id: RowId, user: FormUser, key: str = Form("", max_length=64)) -> Response:
    """Try again after a failed (or abandoned) print: the next look at the memo starts it anew."""
    with read_scope() as session:
        forget_failure(memo_folder(session, memo_of_user(session, user, memo_id)), key)
    return RedirectResponse(f"/memos/{memo_id}#print-documents", status_code=303)


@router.post("/memos/{memo_id}/sign", response_class=HTMLResponse)
def sign(
    request: Request,
    memo_id: RowId,
    user: FormUser,
    decision: str = Form(""),
    minute: str = Form(""),
    pin: str = Form(""),
    step: int = Form(-1, ge=-1, le=1000),
    revision_sha256: str = Form("", max_length=64),
    announcement_sha256: str = Form("", max_length=64),
) -> Response:
    with session_scope() as session:
        memo_of_user(session, user, memo_id)
    if decision not in {d.value for d in DecisionKind}:
        return _sign_refused(
            request,
            memo_id,
            user,
            "กรุณาเลือกผลการพิจารณา: เห็นชอบ (หรืออนุมัติในขั้นสุดท้าย) ส่งคืนแก้ไข หรือไม่อนุมัติ (choose approve, return or disapprove)",
            "",
            minute,
            "decision",
        )
    if not revision_sha256:  # the form always sends the revision shown; a post without it read nothing
        return _refused(
            request,
            memo_id,
            user,
            "ไม่ทราบว่าท่านอ่านฉบับใด กรุณาเปิดบันทึกแล้วลงนามจากแบบฟอร์ม "
            "(the revision you read is missing: open the memo and sign from its form)",
            minute,
        )
    request_ = SignOffRequest(
        memo_id=memo_id,
        username=user.person.username,
        pin=pin,
        decision=DecisionKind(decision),
        minute=minute,
        via="web",
        client=client_of(request),
        step=step if step >= 0 else None,
        revision_sha256=revision_sha256,
        announcement_sha256=announcement_sha256 or None,
    )
    try:
        result = sign_off(request_)
    except Refused as refusal:
        focus = SIGN_FOCUS.get(refusal.code, "")
        return _sign_refused(request, memo_id, user, refusal.message, decision, minute, focus)
    return RedirectResponse(
        f"/memos/{memo_id}?msg={_signed_message(memo_id, result.already_recorded)}", status_code=303
    )


def _signed_message(memo_id: int, already_recorded: bool) -> str:
    """Which message says what the sign-off did: a step approved, the last one, or a return."""
    if already_recorded:
        return "again"
    with read_scope() as session:
        memo = session.get(Memo, memo_id)
    last = "acknowledged" if acknowledges(memo.document_kind) else "approved"  # a report memo's last step
    return {MemoStatus.RETURNED: "returned", MemoStatus.APPROVED: last, MemoStatus.PUBLISHED: last}.get(
        memo.status, "signed"
    )


@router.post("/memos/{memo_id}/stage", response_class=HTMLResponse)
def stage(
    request: Request,
    memo_id: RowId,
    user: FormUser,
    stage: str = Form(""),
    pin: str = Form(""),
    intended: list[str] = Form([]),
) -> Response:
    """Confirm a preparation stage; at ทาน and ตรวจ with each open finding ticked (`intended`)."""
    with session_scope() as session:
        memo_of_user(session, user, memo_id)
    if stage not in {s.value for s in Stage}:
        return _refused(request, memo_id, user, "ไม่รู้จักขั้นตอนนี้ (unknown stage)")
    try:
        run_action(
            lambda s: record_stage(
                s, memo_id=memo_id, username=user.person.username, pin=pin, stage=Stage(stage), intended=intended
            ),
            engine=None,
            actor=user.person.username,
            name="stage",
            subject=f"memo:{memo_id}",
            via="web",
        )
    except Refused as refusal:
        return _refused(request, memo_id, user, refusal.message)
    return RedirectResponse(f"/memos/{memo_id}?msg=staged", status_code=303)


@router.post("/memos/{memo_id}/stage/return", response_class=HTMLResponse)
def stage_return(
    request: Request,
    memo_id: RowId,
    user: FormUser,
    stage: str = Form(""),
    note: str = Form("", max_length=5000),
    pin: str = Form(""),
) -> Response:
    """The ทาน or ตรวจ person sends the memo back to the drafter with the corrections to make."""
    with session_scope() as session:
        memo_of_user(session, user, memo_id)
    if stage not in {s.value for s in Stage}:
        return _refused(request, memo_id, user, "ไม่รู้จักขั้นตอนนี้ (unknown stage)")
    try:
        run_action(
            lambda s: return_at_stage(
                s, memo_id=memo_id, username=user.person.username, pin=pin, stage=Stage(stage), note=note
            ),
            engine=None,
            actor=user.person.username,
            name="stage",
            subject=f"memo:{memo_id}",
            via="web",
        )
    except Refused as refusal:
        return _refused(request, memo_id, user, refusal.message, return_note=note)
    return RedirectResponse(f"/memos/{memo_id}?msg=stage-returned", status_code=303)


@router.post("/memos/{memo_id}/withdraw", response_class=HTMLResponse)
def withdraw(
    request: Request, memo_id: RowId, user: FormUser, reason: str = Form("", max_length=2000), pin: str = Form("")
) -> Response:
    """The drafter withdraws the memo (ถอนเรื่อง) before any step approved it."""
    return _end(request, memo_id, user, "withdraw", reason, pin)


@router.post("/memos/{memo_id}/cancel", response_class=HTMLResponse)
def cancel(
    request: Request, memo_id: RowId, user: FormUser, reason: str = Form("", max_length=2000), pin: str = Form("")
) -> Response:
    """An administrator cancels the memo (ยกเลิก) before it is published."""
    return _end(request, memo_id, user, "cancel", reason, pin)


def _end(request: Request, memo_id: RowId, user: SignedIn, how: str, reason: str, pin: str) -> Response:
    with session_scope() as session:
        memo_of_user(session, user, memo_id)
    try:
        end_memo(how, memo_id=memo_id, username=user.person.username, pin=pin, reason=reason, via="web")
    except Refused as refusal:
        flash = {"kind": "error", "text": f"ไม่สามารถดำเนินการได้: {refusal.message}"}
        return _memo_page(request, memo_id, user, flash=flash, status=403, end_draft={"how": how, "reason": reason})
    return RedirectResponse(f"/memos/{memo_id}?msg={ENDED_MESSAGE[how]}", status_code=303)


@router.post("/memos/{memo_id}/pdf")
def make_pdf(memo_id: RowId, user: FormUser) -> Response:
    """Start making PDFs of the current memo (and announcement, once approved) in the background;
    the page shows the job's state and refreshes it (web.pdf_jobs)."""
    with session_scope() as session:
        folder = memo_folder(session, memo_of_user(session, user, memo_id))
    start_pdf_job(memo_id, folder)
    return RedirectResponse(f"/memos/{memo_id}#pdf-status", status_code=303)


@router.get("/memos/{memo_id}/pdf/status")
def pdf_status(memo_id: RowId, user: CurrentUser) -> JSONResponse:
    """The PDF job's state, polled by the memo page (static/saraban.js)."""
    with read_scope() as session:
        job = pdf_job_state(memo_folder(session, memo_of_user(session, user, memo_id)))
    return JSONResponse({"state": job.state, "text": job.text()})


@router.post("/memos/{memo_id}/publication/retry")
def retry_channels(memo_id: RowId, user: FormUser) -> Response:
    """Send the publication again on its failed channels; anyone of the memo's organisation may."""
    with session_scope() as session:
        memo_of_user(session, user, memo_id)
    try:
        outcomes = retry_failed_channels(memo_id, actor=user.person.username)
    except BadInput as error:  # not published (yet): nothing to retry
        raise HTTPException(status_code=404, detail=str(error)) from error
    failed = any(outcome.status != POSTED for outcome in outcomes)
    return RedirectResponse(f"/memos/{memo_id}?msg={'retry-failed' if failed else 'retried'}", status_code=303)


@router.post("/memos/{memo_id}/publication/notice-board", response_class=HTMLResponse)
def notice_board_posted(
    request: Request, memo_id: RowId, user: FormUser, posted_on: str = Form("", max_length=40)
) -> Response:
    """The person who pinned the announcement on the notice board records it, with the day."""
    with session_scope() as session:
        memo_of_user(session, user, memo_id)
    try:
        day = parse_be_date(posted_on, label="วันที่ปิดประกาศ")
        with session_scope() as session:
            record_notice_board_posting(session, memo_id=memo_id, username=user.person.username, posted_on=day)
    except (BadDate, BadInput) as error:
        flash = {"kind": "error", "text": f"ไม่สามารถดำเนินการได้: {error}"}
        return _memo_page(request, memo_id, user, flash=flash, status=403, posted_on_draft=posted_on)
    return RedirectResponse(f"/memos/{memo_id}?msg=notice-board", status_code=303)


@router.get("/memos/{memo_id}/files/{name}")
def download(memo_id: RowId, name: str, user: CurrentUser) -> Response:
    with read_scope() as session:
        memo = memo_of_user(session, user, memo_id)
        if name not in _files(session, memo):  # only names we listed: no path tricks
            raise HTTPException(status_code=404, detail="ไม่พบไฟล์ (no such file)")
        path = memo_folder(session, memo) / name
        label = file_label(name, memo.register_number)
    return FileResponse(path, headers={"Content-Disposition": content_disposition(label.download_name, name)})


def _refused(
    request: Request, memo_id: RowId, user: SignedIn, message: str, minute: str = "", return_note: str = ""
) -> Response:
    flash = {"kind": "error", "text": f"ไม่สามารถดำเนินการได้: {message}"}
    return _memo_page(request, memo_id, user, flash=flash, status=403, minute_draft=minute, return_note=return_note)


ENDED_MESSAGE = {"withdraw": "withdrawn", "cancel": "cancelled"}
NO_SIGN_DRAFT = {"decision": "", "error": "", "focus": ""}  # a sign form as first shown: nothing chosen
# The sign form's field a refusal asks the person to fix.
SIGN_FOCUS = {"reason-required": "minute", "bad-credentials": "pin", "pin-must-change": "pin"}


def _sign_refused(
    request: Request, memo_id: RowId, user: SignedIn, message: str, decision: str, minute: str, focus: str
) -> Response:
    # Said once, beside the form (the focused field brings it on screen), not also at the top.
    draft = {"decision": decision, "error": f"ไม่สามารถดำเนินการได้: {message}", "focus": focus}
    return _memo_page(request, memo_id, user, status=403, minute_draft=minute, sign_draft=draft)


def _sign_offer(session: Session, person: Person, memo: Memo) -> dict | None:
    if memo.status != MemoStatus.IN_REVIEW:
        return None
    capacity = signing_capacity(session, person, memo)
    if capacity is None:
        return None
    acting = acting_for(session, person, memo)
    if capacity == ESCALATED:
        line = "เรื่องเกินกำหนดที่ยกระดับมาถึงท่าน"
    else:  # whose duties, by the position's title: "ปฏิบัติหน้าที่ นายกเทศมนตรีตำบลโคกพุทรา"
        line = f"{capacity} {acting.position}" if acting else capacity
    # The approval is called as the route and the message after it call it: เห็นชอบ, or อนุมัติ at the last step.
    # A report memo's last step acknowledges it: ทราบ (models.document_kinds).
    approve = decision_word(
        DecisionKind.APPROVE,
        last_step=memo.step == memo.steps_total - 1,
        acknowledges=acknowledges(memo.document_kind),
    )
    minutes = tuple(dict.fromkeys((*COMMON_MINUTES[:2], approve, *COMMON_MINUTES[2:])))  # ทราบ once for a report
    return {
        "capacity": capacity,
        "capacity_line": line,
        "acting": acting,
        "approve_word": approve,
        "common_minutes": minutes,
    }


def _stage_offer(session: Session, person: Person, memo: Memo) -> Stage | None:
    if memo.status != MemoStatus.PREPARING:
        return None
    stage = memo.progress().next_stage
    return stage if may_record(session, person, memo, stage) else None


def return_reason(session: Session, memo: Memo) -> str:
    note = why_returned(session, memo)
    return note.reason if note else ""


def _files(session: Session, memo: Memo) -> list[str]:
    folder: Path = memo_folder(session, memo)
    return sorted(p.name for p in folder.glob("*") if p.suffix in {".docx", ".pdf"}) if folder.is_dir() else []
