"""Request dependencies: who is signed in, and the CSRF check on every form post.

Each database use in the web app is its own short transaction (session_scope), never one
held open for the whole request: on SQLite a transaction holds the write lock, and the
domain functions open transactions of their own.
"""

import secrets
from typing import Annotated

from fastapi import Depends, Form, Header, HTTPException, Path, Request

from web.sessions import SignedIn, signed_in

SESSION_COOKIE = "saraban_session"
CSRF_REFUSED = "คำขอไม่มีรหัสป้องกัน CSRF ที่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง (missing or wrong CSRF token: reload the page)"


class LoginRequired(Exception):
    """No live session: pages redirect to the login form, the API answers 401."""


class PasswordChangeRequired(Exception):
    """Signed in with a one-time password from a reset: only the account page until it is replaced."""


def any_user(request: Request) -> SignedIn:
    """Whoever is signed in, even with a one-time password still to replace (the account page)."""
    user = signed_in(request.cookies.get(SESSION_COOKIE))
    if user is None:
        raise LoginRequired
    return user


AnyUser = Annotated[SignedIn, Depends(any_user)]


def current_user(user: AnyUser) -> SignedIn:
    if user.person.password_must_change:
        raise PasswordChangeRequired
    return user


CurrentUser = Annotated[SignedIn, Depends(current_user)]


def form_csrf(user: CurrentUser, csrf_token: str = Form("")) -> SignedIn:
    """A signed-in user whose form carries their session's CSRF token."""
    _check(user, csrf_token)
    return user


def any_form_csrf(user: AnyUser, csrf_token: str = Form("")) -> SignedIn:
    _check(user, csrf_token)
    return user


def header_csrf(user: CurrentUser, x_csrf_token: str = Header("")) -> SignedIn:
    """The same for the JSON API: the token travels in the X-CSRF-Token header."""
    _check(user, x_csrf_token)
    return user


def _check(user: SignedIn, presented: str) -> None:
    if not presented or not secrets.compare_digest(presented, user.session.csrf_token):
        raise HTTPException(status_code=403, detail=CSRF_REFUSED)


FormUser = Annotated[SignedIn, Depends(form_csrf)]
AnyFormUser = Annotated[SignedIn, Depends(any_form_csrf)]
ApiWriter = Annotated[SignedIn, Depends(header_csrf)]


# Ids in paths stay within the database's integer range: out of range is a 422, not a crash.
RowId = Annotated[int, Path(ge=1, le=2**62)]
