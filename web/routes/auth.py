"""Logging in and out."""

import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models import audit
from models.db import session_scope
from models.settings import get_settings
from web.deps import SESSION_COOKIE, FormUser
from web.sessions import check_password, close_session, open_session
from web.templating import templates

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "saraban_login_csrf"
WRONG_LOGIN = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง (wrong username or password)"
TOO_MANY = "เข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารอ ๑๕ นาทีแล้วลองใหม่ (too many failed logins: wait 15 minutes)"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next=next)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, username: str = Form(""), password: str = Form(""), csrf_token: str = Form(""),
          next: str = Form("/")) -> Response:
    # Before a session exists, CSRF is checked by double submit: the form must echo the cookie.
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        return _login_page(request, next=next, username=username, error="กรุณาโหลดหน้าเข้าสู่ระบบใหม่ (reload the login page)", status=403)
    throttle = request.app.state.login_throttle
    keys = (f"user:{username}", f"ip:{request.client.host if request.client else '-'}")
    if throttle.blocked(*keys):
        return _login_page(request, next=next, username=username, error=TOO_MANY, status=429)
    with session_scope() as session:
        person = check_password(session, username, password)
        token = open_session(session, person) if person else None
        if person is None:
            audit.append(session, actor=username or "-", action="web.login.refused", subject="web", data={})
    if token is None:
        throttle.failed(*keys)
        return _login_page(request, next=next, username=username, error=WRONG_LOGIN, status=401)
    throttle.succeeded(*keys)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(request, response, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, user: FormUser) -> Response:
    with session_scope() as session:
        close_session(session, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=cookie_secure(request),
                        max_age=get_settings().session_max_hours * 3600)


def cookie_secure(request: Request) -> bool:
    setting = get_settings().cookie_secure
    return setting == "always" or (setting == "auto" and request.url.scheme == "https")


def _login_page(request: Request, *, next: str, username: str = "", error: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = templates.TemplateResponse(request, "login.html", {
        "user": None, "next": _safe_next(next), "username": username, "login_csrf": token,
        "flash": {"kind": "error", "text": error} if error else None}, status_code=status)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=cookie_secure(request))
    return response


def _safe_next(target: str) -> str:
    # Only local paths: a crafted ?next= must not send a signed-in user to another site.
    return target if target.startswith("/") and not target.startswith("//") else "/"
