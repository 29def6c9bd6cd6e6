"""The web app: officers submit, approvers sign off, the public sees what was published."""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from models.settings import get_settings
from web import errors
from web.body_limit import BodySizeLimit, attachment_upload_bytes
from web.deps import LoginRequired, PasswordChangeRequired
from web.routes import (
    account,
    account_channels,
    acknowledgements,
    admin,
    api,
    attachments,
    auth,
    docs,
    drafting,
    front_page,
    ita_year,
    line_webhook,
    memos,
    operations,
    public,
    public_ita,
    sign_many,
    verify_page,
)
from web.security_headers import security_headers

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app() -> FastAPI:
    """The app records actions and answers; it never talks to Prefect (the outbox and its
    deliverer tell the flow runs, see workflows.delivery)."""
    # /docs is web.routes.docs (Swagger UI served from this site); FastAPI's own loads it from a CDN.
    app = FastAPI(
        title="Saraban",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        description="Approval routing for Thai government memos: the JSON API behind the pages.",
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (
        auth,
        account,
        account_channels,
        line_webhook,
        front_page,
        drafting,
        memos,
        acknowledgements,
        sign_many,
        attachments,
        admin,
        ita_year,
        public_ita,  # before `public`: its /{org_code}/{publication_id}/{name} would take /{org}/ita/{year}
        public,
        verify_page,
        api,
        docs,
        operations,
    ):
        app.include_router(module.router)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(PasswordChangeRequired, _password_change_required)
    # Starlette's class: its own 404 and 405 are not FastAPI's HTTPException.
    app.add_exception_handler(StarletteHTTPException, errors.http_error)
    app.add_exception_handler(RequestValidationError, errors.validation_error)
    app.add_exception_handler(Exception, errors.server_error)
    # Inside the headers middleware: its task group would wrap the limit's 413 in an exception group.
    app.add_middleware(
        BodySizeLimit, max_bytes=get_settings().max_request_bytes, upload_bytes=attachment_upload_bytes()
    )
    app.middleware("http")(security_headers)
    return app


async def _login_required(request: Request, _exc: LoginRequired) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": "กรุณาเข้าสู่ระบบ (login required)"}, status_code=401)
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


async def _password_change_required(request: Request, _exc: PasswordChangeRequired) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse(
            {"detail": "กรุณาตั้งรหัสผ่านใหม่ที่หน้า /account ก่อน (replace your one-time password at /account first)"},
            status_code=403,
        )
    return RedirectResponse("/account", status_code=303)
