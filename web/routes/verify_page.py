"""ตรวจสอบเอกสาร (/verify): anyone, without logging in, checks a file they were given or
downloaded (PDF or .docx), or an announcement's number, against what was published, and is told
in plain Thai whether it is the published one, unaltered, or altered, unknown, cancelled or
superseded, who approved it and when it was published.

The checking is services.publication.verification's, as `saraban verify` does it. The upload is
read as bytes only: its name is never used (no path is made of it); its size is capped here and,
before the route, by web.body_limit. At most a few files are checked at once per process (a PDF's
signature check costs CPU), the rest are asked to try again.
"""

import logging
import threading

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from models.db import read_scope
from services.errors import BadInput
from services.publication.reference_check import TYPED_CHARACTERS, published_by_reference
from services.publication.verification import verify_file
from web.body_limit import VERIFY_MAX_BYTES
from web.templating import templates

router = APIRouter(include_in_schema=False)
ACCEPTED = (b"%PDF-", b"PK\x03\x04")  # a PDF; a .docx is a zip
CHECKS_AT_ONCE = 2
WAIT_SECONDS = 20
_checking = threading.BoundedSemaphore(CHECKS_AT_ONCE)
KINDS = {  # which published file it is, in words (services.publication.verification.KINDS)
    "announcement_pdf": "ประกาศ (PDF)",
    "announcement": "ประกาศ (Word)",
    "memo_pdf": "บันทึกข้อความเสนออนุมัติ (PDF)",
    "memo": "บันทึกข้อความเสนออนุมัติ (Word)",
}


@router.get("/verify", response_class=HTMLResponse)
def verify_page(request: Request, number: str = "") -> Response:
    """The form; with ?number=..., what the number names (GET: a plain link can carry it)."""
    if not number.strip():
        return _page(request)
    try:
        with read_scope() as session:
            found = published_by_reference(session, number)
    except BadInput as error:
        return _page(request, number=number, error=str(error), status=400)
    return _page(request, number=number, references=found, looked_up=True)


@router.post("/verify", response_class=HTMLResponse)
def verify_upload(request: Request, file: UploadFile | None = File(None)) -> Response:
    data = file.file.read(VERIFY_MAX_BYTES + 1) if file is not None else b""
    if not data:
        return _page(request, error=NO_FILE, status=400)
    if len(data) > VERIFY_MAX_BYTES:
        return _page(request, error=TOO_LARGE, status=413)
    if not data.startswith(ACCEPTED):
        return _page(request, error=NOT_A_DOCUMENT, status=400)
    if not _checking.acquire(timeout=WAIT_SECONDS):
        return _page(request, error=BUSY, status=429, headers={"Retry-After": "30"})
    try:
        logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # a broken PDF's traceback: the verdict says it
        with read_scope() as session:
            result = verify_file(session, data)
    finally:
        _checking.release()
    return _page(request, result=result)


NO_FILE = "กรุณาเลือกไฟล์ที่จะตรวจ (choose a file to check)"
TOO_LARGE = (
    f"ไฟล์ใหญ่เกิน {VERIFY_MAX_BYTES // (1024 * 1024)} เมกะไบต์ ไฟล์ประกาศที่เผยแพร่ไม่ใหญ่ขนาดนี้ "
    f"(the file is larger than {VERIFY_MAX_BYTES // (1024 * 1024)} MB: no published file is)"
)
NOT_A_DOCUMENT = "ตรวจได้เฉพาะไฟล์ PDF หรือ Word ที่ได้รับหรือดาวน์โหลดจากหน้าประกาศ (only a PDF or .docx file can be checked)"
BUSY = "ขณะนี้มีผู้ตรวจเอกสารพร้อมกันหลายราย กรุณาลองใหม่อีกครั้ง (busy checking other files: try again)"


def _page(
    request: Request,
    *,
    number: str = "",
    error: str = "",
    status: int = 200,
    headers: dict | None = None,
    result: object = None,
    references: list | None = None,
    looked_up: bool = False,
) -> Response:
    return templates.TemplateResponse(
        request,
        "verify.html",
        {
            "user": None,
            "flash": {"kind": "error", "text": error} if error else None,
            "number": number[:TYPED_CHARACTERS],
            "result": result,
            "references": references or [],
            "looked_up": looked_up,
            "kinds": KINDS,
            "max_megabytes": VERIFY_MAX_BYTES // (1024 * 1024),
            "max_bytes": VERIFY_MAX_BYTES,
        },
        status_code=status,
        headers=headers,
    )
