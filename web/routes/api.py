"""The JSON API: the same actions as the pages, through the same domain functions.

Authentication is the login session's cookie; writes also need the session's CSRF token in
the X-CSRF-Token header (GET /api/me gives it to a signed-in page).
"""

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Header, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlmodel import select

from documents.attachment_check import MAX_BYTES
from models import Memo, Organisation, Person
from models.db import read_scope, session_scope
from models.draft import GENERAL, AttachmentRef, MemoDraft
from models.enums import Capacity, DecisionKind, Stage
from models.rules import Refused
from services.errors import BadInput
from services.memo_life.attachments import stage_attachment
from services.memo_life.bulk_signoff import MAX_MEMOS, Shown, sign_many
from services.memo_life.memos import DUPLICATE, record_stage, submit_once
from services.memo_life.proofreading import OpenFindings
from services.memo_life.queue import queue_for
from services.memo_life.signoff import SignOffRequest, sign_off
from services.printing.announcement_kinds import choices_for
from services.publication.memo_view import memo_view
from services.publication.public import public_organisation, published
from services.unit_of_work import run_action
from web.deps import ApiWriter, CurrentUser, RowId
from web.routes.memos import memo_of_user
from web.sessions import client_of

router = APIRouter(prefix="/api", tags=["api"])


class Me(BaseModel):
    username: str
    full_name: str
    csrf_token: str


class QueueEntry(BaseModel):
    memo_id: RowId
    register_number: str
    subject: str
    waiting_for: str
    capacity: str
    waiting_since: dt.datetime


class MemoSummary(BaseModel):
    id: int
    register_number: str
    subject: str
    status: str
    round: int
    step: int
    steps_total: int
    waiting_for: list[str]
    decisions: list[dict]
    revision_sha256: str  # the current revision: what a signer reads and names when signing
    announcement_sha256: str | None  # the announcement text as it would be published now
    announcement_kind: str = ""  # the announcement's kind by its Thai title
    # What the memo issues (models.document_kinds): announcement, order, circular or report
    # (a report's last step acknowledges it: ทราบ).
    document_kind: str = "announcement"


class SignOffBody(BaseModel):
    decision: DecisionKind
    minute: str = Field(max_length=2000)
    pin: str = Field(max_length=64)
    step: int | None = Field(default=None, ge=0, le=1000, description="0-based step the signer read")
    # Required (checked in `sign`, so that a missing hash gets a message that says what to send).
    revision_sha256: str | None = Field(
        default=None,
        max_length=64,
        description=("required: SHA-256 of the revision the signer read (`revision_sha256` of GET /api/memos/{id})"),
    )
    announcement_sha256: str | None = Field(
        default=None,
        max_length=64,
        description=(
            "SHA-256 of the announcement text the signer read (`announcement_sha256` of GET /api/memos/{id}); "
            "checked when given"
        ),
    )
    capacity: Capacity | None = None


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[A-Za-z0-9_.:-]{8,64}$",
        description="ส่งซ้ำด้วยรหัสเดิมได้บันทึกเดิม (a retry with the same key gets the same memo)",
    ),
]


class SubmitBody(BaseModel):
    draft: MemoDraft
    pin: str = Field(max_length=64)
    again: bool = Field(
        False, description="send it although this person sent the same content within the hour (a new register number)"
    )
    proofread_confirmed: bool = Field(
        False,
        description="send it although the automated proofreading found possible misspellings (else 409 listing them)",
    )


class StageBody(BaseModel):
    stage: Literal["พิมพ์", "ทาน", "ตรวจ"] = Field(description="พิมพ์ (typeset), ทาน (proofread) or ตรวจ (check)")
    pin: str = Field(max_length=64)
    note: str = Field(default="", max_length=2000)
    intended: list[str] = Field(
        default=[],
        max_length=500,
        description="at ทาน and ตรวจ: the key of each open proofreading finding, confirmed as written on purpose "
        "(a refusal lists the keys still missing)",
    )


class Recorded(BaseModel):
    memo_id: int
    register_number: str
    status: str


class SignOffOutcome(BaseModel):
    decision_id: int
    step: int
    round: int
    capacity: str
    already_recorded: bool


class Refusal(BaseModel):
    detail: str


class Finding(BaseModel):
    key: str  # names it in a stage's `intended`
    label: str  # "ประกาศ ข้อ ๒: ปฎิบัติ → ปฏิบัติ"
    document: str
    section: str
    paragraph: int
    kind: str
    text: str
    suggestion: str
    message: str


class FindingsRefusal(BaseModel):
    detail: str
    # The possible misspellings (send again with proofread_confirmed, or correct them); empty
    # when the 409 is the same content sent within the hour (`again`).
    findings: list[Finding] = []


class PublicItem(BaseModel):
    publication_id: RowId
    title: str  # "ประกาศ<organisation> เรื่อง <subject>", as on paper
    subject: str  # the announcement's subject
    register_number: str
    announcement_date: dt.date
    file_sha256: str
    revision_sha256: str
    files: list[str]


@router.get("/me", response_model=Me)
def me(user: CurrentUser) -> Me:
    return Me(username=user.person.username, full_name=user.person.full_name, csrf_token=user.session.csrf_token)


class AnnouncementKind(BaseModel):
    title: str  # what to give as the draft's announcement.template (its name is accepted too)
    name: str
    general: bool  # the drafter writes the text: give announcement.general {subject, preamble, items, closing}


@router.get("/announcement-kinds", response_model=list[AnnouncementKind])
def announcement_kinds(user: CurrentUser) -> list[AnnouncementKind]:
    """The announcements your organisation may ask for, by Thai title, the general one first."""
    with read_scope() as session:
        org = session.get(Organisation, user.person.organisation_id)
        return [AnnouncementKind(title=c.title, name=c.name, general=c.name == GENERAL) for c in choices_for(org)]


@router.get("/queue", response_model=list[QueueEntry])
def my_queue(user: CurrentUser) -> list[QueueEntry]:
    with read_scope() as session:
        return [QueueEntry(**item.__dict__) for item in queue_for(session, user.person.username)]


@router.get("/memos", response_model=list[MemoSummary])
def memos(user: CurrentUser) -> list[MemoSummary]:
    with read_scope() as session:
        ids = session.exec(
            select(Memo.id).where(Memo.organisation_id == user.person.organisation_id).order_by(Memo.id)
        ).all()
        return [MemoSummary(**memo_view(session, memo_id)) for memo_id in ids]


@router.get("/memos/{memo_id}", response_model=MemoSummary, responses={404: {"model": Refusal}})
def memo(memo_id: RowId, user: CurrentUser) -> MemoSummary:
    with read_scope() as session:
        memo_of_user(session, user, memo_id)
        return MemoSummary(**memo_view(session, memo_id))


@router.post(
    "/attachments",
    response_model=AttachmentRef,
    status_code=201,
    responses={422: {"model": Refusal}},
)
async def upload_attachment(
    user: ApiWriter,
    file: UploadFile = File(..., description="PDF, .docx, PNG or JPEG, checked by its content"),
    name: str = Form("", max_length=200, description="ชื่อหรือคำอธิบาย (the file's name when empty)"),
    published: bool = Form(False, description="เผยแพร่พร้อมประกาศ (published with the announcement)"),
) -> AttachmentRef:
    """Upload one file (สิ่งที่ส่งมาด้วย) for a memo you are about to send or revise: the answer
    names it by SHA-256; put it in the draft's `attachments` and the revision's hash binds it."""
    data = await file.read(MAX_BYTES + 1)
    try:
        with read_scope() as session:
            person = session.get(Person, user.person.id)
            return stage_attachment(
                session, person, name=name.strip() or str(file.filename or ""), data=data, published=published
            )
    except BadInput as error:
        raise HTTPException(status_code=422, detail=str(error)) from error


@router.post(
    "/memos",
    response_model=Recorded,
    status_code=201,
    responses={403: {"model": Refusal}, 409: {"model": FindingsRefusal}, 422: {"model": Refusal}},
)
def submit(body: SubmitBody, user: ApiWriter, idempotency_key: IdempotencyKey = None) -> Recorded | JSONResponse:
    """Send a new memo up its chain, as the memo form does. A request retried with the same
    `Idempotency-Key` header gets the memo the first one made (one memo, one register number).
    409: the same content was sent within the hour (`again` confirms), or the automated
    proofreading found possible misspellings, listed in `findings` (`proofread_confirmed` confirms);
    no register number is taken by a refused request."""
    try:
        memo = submit_once(
            username=user.person.username,
            pin=body.pin,
            draft=body.draft,
            submission_key=idempotency_key,
            via="api",
            again=body.again,
            proofread_confirmed=body.proofread_confirmed,
        )
    except OpenFindings as refusal:
        findings = [Finding(**{name: f.get(name, "") for name in Finding.model_fields}) for f in refusal.findings]
        return JSONResponse(FindingsRefusal(detail=refusal.message, findings=findings).model_dump(), status_code=409)
    except Refused as refusal:
        status = 409 if refusal.code == DUPLICATE else 403  # 409: the same content, sent already
        raise HTTPException(status_code=status, detail=refusal.message) from refusal
    except BadInput as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    return Recorded(memo_id=memo.id, register_number=memo.register_number, status=memo.status.value)


@router.post(
    "/memos/{memo_id}/stage", response_model=Recorded, responses={403: {"model": Refusal}, 404: {"model": Refusal}}
)
def stage(memo_id: RowId, body: StageBody, user: ApiWriter) -> Recorded:
    """Confirm พิมพ์, ทาน or ตรวจ on the current revision; at ทาน and ตรวจ, with the key of each
    open proofreading finding in `intended` (403 lists those missing)."""
    with session_scope() as session:
        memo_of_user(session, user, memo_id)
    try:
        run_action(
            lambda s: record_stage(
                s,
                memo_id=memo_id,
                username=user.person.username,
                pin=body.pin,
                stage=Stage(body.stage),
                note=body.note,
                intended=body.intended,
            ),
            engine=None,
            actor=user.person.username,
            name="stage",
            subject=f"memo:{memo_id}",
            via="api",
        )
    except Refused as refusal:
        raise HTTPException(status_code=403, detail=refusal.message) from refusal
    with read_scope() as session:
        memo = session.get(Memo, memo_id)
        return Recorded(memo_id=memo.id, register_number=memo.register_number, status=memo.status.value)


REVISION_REQUIRED = (
    "ต้องระบุ revision_sha256 ของฉบับที่ท่านอ่านก่อนลงนาม "
    "(revision_sha256 is required: send the SHA-256 of the revision you read, as "
    "GET /api/memos/{id} gives it)"
)


@router.post(
    "/memos/{memo_id}/sign",
    response_model=SignOffOutcome,
    responses={403: {"model": Refusal}, 404: {"model": Refusal}, 422: {"model": Refusal}},
)
def sign(memo_id: RowId, body: SignOffBody, user: ApiWriter, request: Request) -> SignOffOutcome:
    """Approve or return the memo's step. The signer names the revision they read
    (`revision_sha256`, required): a sign-off on any other revision is refused."""
    with session_scope() as session:
        memo_of_user(session, user, memo_id)
    if not body.revision_sha256:
        raise HTTPException(status_code=422, detail=REVISION_REQUIRED)
    try:
        result = sign_off(
            SignOffRequest(
                memo_id=memo_id,
                username=user.person.username,
                pin=body.pin,
                decision=body.decision,
                minute=body.minute,
                via="api",
                client=client_of(request),
                capacity=body.capacity,
                step=body.step,
                revision_sha256=body.revision_sha256,
                announcement_sha256=body.announcement_sha256,
            )
        )
    except Refused as refusal:
        raise HTTPException(status_code=403, detail=refusal.message) from refusal
    return SignOffOutcome(
        decision_id=result.decision_id,
        step=result.step,
        round=result.round,
        capacity=result.capacity.value,
        already_recorded=result.already_recorded,
    )


class ShownMemo(BaseModel):
    memo_id: RowId
    step: int = Field(ge=0, le=1000, description="0-based step the signer read")
    revision_sha256: str = Field(
        min_length=64, max_length=64, description="`revision_sha256` of GET /api/memos/{id}, as read"
    )
    announcement_sha256: str | None = Field(
        default=None, min_length=64, max_length=64, description="`announcement_sha256` as read"
    )


class SignManyBody(BaseModel):
    memos: list[ShownMemo] = Field(min_length=1, max_length=MAX_MEMOS)
    minute: str = Field(default="", max_length=2000, description="one minute for every approval (optional)")
    pin: str = Field(max_length=64)


class SignManyOutcome(BaseModel):
    memo_id: int
    signed: bool
    decision_id: int | None = None
    already_recorded: bool = False
    code: str = ""  # why it was left out: stale-revision, already-decided, not-now, not-found…
    reason: str = ""


@router.post("/sign-many", response_model=list[SignManyOutcome], responses={403: {"model": Refusal}})
def sign_many_api(body: SignManyBody, user: ApiWriter, request: Request) -> list[SignManyOutcome]:
    """Approve several memos with one PIN. A wrong PIN signs none (403, counted once). Each memo is
    signed on its own through the one sign-off path, bound to the revision and announcement text
    given; a memo that changed since is left out (`signed: false`, with the reason)."""
    shown = [Shown(m.memo_id, m.step, m.revision_sha256, m.announcement_sha256) for m in body.memos]
    try:
        outcomes = sign_many(
            user.person.username, body.pin, shown, minute=body.minute, via="api-bulk", client=client_of(request)
        )
    except Refused as refusal:
        raise HTTPException(status_code=403, detail=refusal.message) from refusal
    except BadInput as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    return [
        SignManyOutcome(
            memo_id=o.memo_id,
            signed=o.signed,
            decision_id=o.result.decision_id if o.result else None,
            already_recorded=bool(o.result and o.result.already_recorded),
            code=o.code,
            reason=o.reason,
        )
        for o in outcomes
    ]


@router.get("/public/{org_code}", response_model=list[PublicItem], responses={404: {"model": Refusal}})
def public_list(org_code: str) -> list[PublicItem]:
    with read_scope() as session:
        try:
            org = public_organisation(session, org_code)
        except BadInput as error:
            raise HTTPException(status_code=404, detail=str(error)) from error
        return [
            PublicItem(**{k: getattr(item, k) for k in PublicItem.model_fields}) for item in published(session, org)
        ]
