"""Error answers: a Thai page (with English in brackets) for a browser, JSON for /api/.

Every error keeps its status code. A page says what happened and where to go next (the home page,
and one level up: from /memos/1/sign back to the memo). The API answers {"detail": ...} as before,
a generic error with a Thai and English message; validation errors keep FastAPI's list of
problems under "detail" and add the message under "message".
"""

import http
import logging

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from web.deps import SESSION_COOKIE
from web.sessions import SignedIn, signed_in
from web.templating import templates

logger = logging.getLogger(__name__)
# The public site's pages are the same for everyone (and may be cached): an error there shows
# the public menu, never the signed-in person's (their name and form token).
PUBLIC_PREFIXES = ("/public", "/verify", "/login", "/static/", "/favicon.ico")

# status: (heading, what it means and what to do), each Thai with English in brackets.
EXPLANATIONS = {
    400: (
        "คำขอไม่ถูกต้อง (bad request)",
        "ข้อมูลที่ส่งมาอ่านไม่ได้ กรุณากลับไปกรอกใหม่ (the request could not be read: go back and try again)",
    ),
    401: ("ต้องเข้าสู่ระบบ (login required)", "กรุณาเข้าสู่ระบบก่อน (please log in first)"),
    403: ("ไม่มีสิทธิ์ทำรายการนี้ (forbidden)", "บัญชีของท่านทำรายการนี้ไม่ได้ (your account may not do this)"),
    404: (
        "ไม่พบหน้านี้ (page not found)",
        "ไม่มีหน้าหรือรายการตามที่อยู่นี้ ตรวจสอบที่อยู่ที่พิมพ์ หรือเริ่มจากหน้าแรก (nothing is at this address: "
        "check what was typed, or start from the home page)",
    ),
    405: (
        "ใช้หน้านี้ด้วยวิธีนี้ไม่ได้ (method not allowed)",
        "ที่อยู่นี้รับเฉพาะการส่งแบบฟอร์มจากหน้าของรายการ ไม่ได้เปิดดูโดยตรง กรุณาเปิดหน้ารายการแล้วใช้ปุ่มในหน้านั้น "
        "(this address only takes a form sent from its item's page: open that page and use its button)",
    ),
    413: ("ข้อมูลใหญ่เกินไป (request too large)", "ไฟล์หรือข้อมูลที่ส่งมีขนาดเกินกำหนด (the file or form sent is too large)"),
    422: (
        "ข้อมูลในที่อยู่หรือแบบฟอร์มไม่ถูกต้อง (invalid input)",
        "ค่าที่ส่งมาไม่ใช่แบบที่หน้านี้รับ เช่น เลขที่บันทึกต้องเป็นตัวเลข (a value is not of the kind this page "
        "takes, e.g. a memo number must be a number)",
    ),
    429: ("ทำรายการถี่เกินไป (too many requests)", "กรุณารอสักครู่แล้วลองใหม่ (wait a moment and try again)"),
    500: (
        "ระบบขัดข้อง (server error)",
        "เกิดข้อผิดพลาดในระบบ ไม่มีข้อมูลใดเสียหาย กรุณาลองใหม่ หากยังเป็นอยู่ แจ้งผู้ดูแลระบบ (something went wrong "
        "on the server; nothing was lost: try again, and tell the administrator if it persists)",
    ),
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def explanation(status: int) -> tuple[str, str]:
    if status in EXPLANATIONS:
        return EXPLANATIONS[status]
    phrase = http.HTTPStatus(status).phrase if status in http.HTTPStatus._value2member_map_ else "error"
    return f"ทำรายการไม่ได้ ({phrase})", "กรุณากลับไปหน้าก่อนหน้า (go back to the previous page)"


def message(status: int) -> str:
    heading, advice = explanation(status)
    return f"{heading}: {advice}"


def error_page(request: Request, status: int, detail: str = "", headers: dict | None = None) -> Response:
    """The page within the site's layout: the signed-in person's menu, or the public one."""
    heading, advice = explanation(status)
    return templates.TemplateResponse(
        request,
        "error.html",
        {
            "user": _signed_in(request),
            "flash": None,
            "status": status,
            "heading": heading,
            "advice": advice,
            "detail": detail,
            "up": _one_level_up(request.url.path),
        },
        status_code=status,
        headers=headers,
    )


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    # Starlette's own 404 and 405 carry the bare English phrase: the explanation says more.
    default = exc.detail == http.HTTPStatus(exc.status_code).phrase
    if is_api(request):
        return JSONResponse(
            {"detail": message(exc.status_code) if default else exc.detail},
            status_code=exc.status_code,
            headers=exc.headers,
        )
    return error_page(request, exc.status_code, "" if default else str(exc.detail), exc.headers)


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    if is_api(request):
        return JSONResponse({"detail": jsonable_encoder(exc.errors()), "message": message(422)}, status_code=422)
    return error_page(request, 422, _fields(exc))


async def server_error(request: Request, exc: Exception) -> Response:
    logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if is_api(request):
        return JSONResponse({"detail": message(500)}, status_code=500)
    return error_page(request, 500)


def _signed_in(request: Request) -> SignedIn | None:
    if request.url.path.startswith(PUBLIC_PREFIXES):
        return None
    try:
        return signed_in(request.cookies.get(SESSION_COOKIE))
    except Exception:  # the database may be what failed: the page without the menu, then
        logger.warning("no menu on the error page of %s: the session could not be read", request.url.path)
        return None


def _fields(exc: RequestValidationError) -> str:
    # Which values were wrong, by where they came from: "ที่อยู่ (URL): memo_id".
    places = {"path": "ที่อยู่ (URL)", "query": "ค่าในที่อยู่ (query)", "body": "แบบฟอร์ม (form)"}
    wrong = [
        f"{places.get(str(e['loc'][0]), str(e['loc'][0]))}: {'.'.join(str(p) for p in e['loc'][1:])}"
        for e in exc.errors()
        if e.get("loc")
    ]
    return "ค่าที่ไม่ถูกต้อง (invalid): " + ", ".join(dict.fromkeys(wrong)) if wrong else ""


def _one_level_up(path: str) -> str:
    # An item's page (/memos/1 from /memos/1/sign, /public/kokphutsa from one of its files);
    # a bare first segment (/memos, /public) is no page of its own.
    parts = [p for p in path.split("/") if p]
    return "/" + "/".join(parts[:-1]) if len(parts) > 2 else ""
