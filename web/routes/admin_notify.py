"""การแจ้งเตือน: who in the organisation has no confirmed channel of their own (each adds one on
/account), and the office's LINE Official Account, whose channel secret and access token are
sealed once given and never shown again (services.notices.line_push)."""

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from models import Organisation
from models.db import read_scope
from models.settings import get_settings
from services.accounts.admin_overview import people_without_channel
from services.notices.line_push import line_account_row, set_line_account
from web.deps import CurrentUser, FormUser
from web.refill import Draft, Forms
from web.routes.admin_common import REFUSED, apply_or_refill, flash_of, render, require_admin
from web.sessions import SignedIn

router = APIRouter(include_in_schema=False)
PAGE = "/admin/notifications"


@router.get("/notifications", response_class=HTMLResponse)
def notifications_page(request: Request, user: CurrentUser, msg: str = "", error: str = "") -> Response:
    return _page(request, user, flash=flash_of(msg, error))


def _page(request: Request, user: SignedIn, *, flash: dict | None = None, forms: Forms | None = None) -> Response:
    require_admin(user)
    with read_scope() as session:
        org = session.get(Organisation, user.person.organisation_id)
        unreached = people_without_channel(session, org.id)
        line = line_account_row(session, org.id)
        line_state = (
            {
                "basic_id": line.basic_id,
                "secret": bool(line.channel_secret_sealed),
                "token": bool(line.access_token_sealed),
                "by": line.updated_by,
                "at": line.updated_at,
            }
            if line
            else None
        )
    base = get_settings().public_base_url.rstrip("/")  # never the Host header; empty: the path alone
    return render(
        request,
        user,
        "admin/notifications.html",
        {
            "org": org,
            "unreached": unreached,
            "line": line_state,
            "webhook_url": f"{base}/line/webhook/{org.code}",
            "mail_ready": bool(get_settings().mail_url.strip()),
            "forms": forms or Forms(),
        },
        here=PAGE,
        flash=flash,
        status_code=REFUSED if forms else 200,
    )


@router.post("/notifications/line")
def line_account(
    request: Request,
    user: FormUser,
    basic_id: str = Form("", max_length=64),
    channel_secret: str = Form("", max_length=256),
    access_token: str = Form("", max_length=1024),
) -> Response:
    def again(draft: Draft) -> Response:
        return _page(request, user, forms=Forms(line=draft))

    return apply_or_refill(
        user,
        lambda s, org: set_line_account(
            s,
            org,
            actor=user.person.username,
            basic_id=basic_id,
            channel_secret=channel_secret,
            access_token=access_token,
        ),
        "บันทึกบัญชี LINE ของหน่วยงานแล้ว",
        PAGE,
        again=again,
        sent={"basic_id": basic_id},  # the secret and the token are never written back
        fields=("basic_id", "channel_secret", "access_token"),
    )
