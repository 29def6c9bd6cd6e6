"""Logging in and out."""

import asyncio
import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from models import Organisation, Person, audit
from models.db import session_scope
from models.settings import get_settings
from services.accounts.login_throttle import begin_try
from services.accounts.login_throttle import succeeded as login_succeeded
from web.deps import SESSION_COOKIE, AnyFormUser
from web.sessions import check_password, client_of, close_session, open_session, signed_in_person
from web.templating import templates

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "saraban_login_csrf"
WRONG_LOGIN = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง (wrong username or password)"
TOO_MANY = "เข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารอ ๑๕ นาทีแล้วลองใหม่ (too many failed logins: wait 15 minutes)"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next=next)


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form("/"),
) -> Response:
    # Before a session exists, CSRF is checked by double submit: the form must echo the cookie.
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        return _login_page(
            request, next=next, username=username, error="กรุณาโหลดหน้าเข้าสู่ระบบใหม่ (reload the login page)", status=403
        )
    attempt = await run_in_threadpool(begin_try, request.client.host if request.client else "-", username)
    await asyncio.sleep(attempt.delay_seconds)  # many failures for this username: slower, never shut
    if attempt.blocked:
        return _login_page(request, next=next, username=username, error=TOO_MANY, status=429)
    token = await run_in_threadpool(
        _log_in, username, password, request.cookies.get(SESSION_COOKIE), client_of(request)
    )
    if token is None:
        return _login_page(request, next=next, username=username, error=WRONG_LOGIN, status=401)
    await run_in_threadpool(login_succeeded, attempt.attempt_id)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(request, response, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def _log_in(username: str, password: str, presented_token: str | None, client: dict[str, str]) -> str | None:
    """A new session's token, or None. The session the browser came with (someone else's, or
    one planted by an attacker) ends: a login always starts a fresh one."""
    check = check_password(username, password)
    with session_scope() as session:
        person = signed_in_person(session, check)
        if person is None:
            _log_refusal(session, check.person, client)
            return None
        close_session(session, presented_token)
        return open_session(session, person, client)


def _log_refusal(session: Session, person: Person | None, client: dict[str, str]) -> None:
    """Audit a failed login only under a real username, filed under its organisation: what
    was typed for a username nobody has (perhaps a password) is kept nowhere."""
    if person is not None:
        org = session.get(Organisation, person.organisation_id)
        audit.append(
            session,
            actor=person.username,
            action="web.login.refused",
            subject=f"person:{person.id}",
            data={"organisation": org.code, **client},
        )


@router.post("/logout")
def logout(request: Request, user: AnyFormUser) -> Response:
    with session_scope() as session:
        close_session(session, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=cookie_secure(request),
        max_age=get_settings().session_max_hours * 3600,
    )


def cookie_secure(request: Request) -> bool:
    setting = get_settings().cookie_secure
    return setting == "always" or (setting == "auto" and request.url.scheme == "https")


def _login_page(request: Request, *, next: str, username: str = "", error: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request,
        "login.html",
        {
            "user": None,
            "next": _safe_next(next),
            "username": username,
            "login_csrf": token,
            "flash": {"kind": "error", "text": error} if error else None,
        },
        status_code=status,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=cookie_secure(request))
    return response


def _safe_next(target: str) -> str:
    # Only local paths: a crafted ?next= must not send a signed-in user to another site.
    return target if target.startswith("/") and not target.startswith("//") else "/"
