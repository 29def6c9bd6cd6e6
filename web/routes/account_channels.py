"""A person's own notification channels on /account: add one (a test message with a code goes
out at once), type the code back, test it again, remove it, and ask for a code to link LINE
(services.notices.own_channels, services.notices.line_link). Only the person's own channels:
every id is checked to be theirs by the service."""

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.errors import BadInput
from services.notices import line_link, own_channels
from web.deps import AnyFormUser, RowId
from web.refill import Forms, refused
from web.routes.account import account_response

router = APIRouter(prefix="/account", include_in_schema=False)


def _done(msg: str) -> Response:
    return RedirectResponse(f"/account?msg={msg}#notify-channels-card", status_code=303)


def _error(request: Request, user: AnyFormUser, problem: BadInput) -> Response:
    return account_response(request, user, {"kind": "error", "text": str(problem)}, 400)


@router.post("/channels", response_class=HTMLResponse)
def add(
    request: Request,
    user: AnyFormUser,
    kind: str = Form("", max_length=16),
    address: str = Form("", max_length=1000),
) -> Response:
    try:
        own_channels.add_channel(person_id=user.person.id, kind=kind, address=address)
    except BadInput as problem:
        # A Telegram or webhook address may hold a token: never written back into the page.
        sent = {"kind": kind, "address": address if kind == "email" else ""}
        return account_response(
            request, user, None, 400, Forms(channel=refused(sent, problem, fields=("kind", "address")))
        )
    return _done("channel-added")


@router.post("/channels/{channel_id}/confirm", response_class=HTMLResponse)
def confirm(request: Request, user: AnyFormUser, channel_id: RowId, code: str = Form("", max_length=32)) -> Response:
    try:
        own_channels.confirm_channel(person_id=user.person.id, channel_id=channel_id, typed=code)
    except BadInput as problem:
        draft = refused({"code": code}, problem, fields=("code",))
        return account_response(request, user, None, 400, Forms({f"confirm-{channel_id}": draft}))
    return _done("channel-confirmed")


@router.post("/channels/{channel_id}/test", response_class=HTMLResponse)
def test(request: Request, user: AnyFormUser, channel_id: RowId) -> Response:
    try:
        new_code = own_channels.send_test(person_id=user.person.id, channel_id=channel_id)
    except BadInput as problem:
        return _error(request, user, problem)
    return _done("channel-code-sent" if new_code else "channel-tested")


@router.post("/channels/{channel_id}/remove", response_class=HTMLResponse)
def remove(request: Request, user: AnyFormUser, channel_id: RowId) -> Response:
    try:
        own_channels.remove_channel(person_id=user.person.id, channel_id=channel_id)
    except BadInput as problem:
        return _error(request, user, problem)
    return _done("channel-removed")


@router.post("/line-code", response_class=HTMLResponse)
def line_code(request: Request, user: AnyFormUser) -> Response:
    """The code is shown on this answer only (it is kept as an HMAC): asking again gives a new one."""
    try:
        code = line_link.request_link_code(person_id=user.person.id)
    except BadInput as problem:
        return _error(request, user, problem)
    flash = {"kind": "ok", "text": "ได้รหัสเชื่อม LINE แล้ว (your LINE code is below)"}
    return account_response(request, user, flash, line_code=code)
