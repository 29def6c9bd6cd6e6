"""LINE's webhook for one office: POST /line/webhook/{org code}, the URL the administrator gives
in the LINE Developers Console (Messaging API tab). No session and no CSRF token: LINE proves
itself with x-line-signature, checked against the office's channel secret over the raw body
before anything in it is read (services.notices.line_link). A wrong signature is 401, and links
nothing. LINE wants a quick 200: the chat answers go after it (a background task)."""

from fastapi import APIRouter, BackgroundTasks, Header, Request
from fastapi.responses import JSONResponse, Response

from services.notices import line_link

router = APIRouter(prefix="/line", include_in_schema=False)
REFUSED = "ลายมือชื่อ x-line-signature ไม่ถูกต้อง (x-line-signature does not match this office's channel secret)"


@router.post("/webhook/{org_code}")
async def webhook(
    request: Request, org_code: str, background: BackgroundTasks, x_line_signature: str = Header("")
) -> Response:
    body = await request.body()
    try:
        replies = line_link.handle_webhook(org_code[:64], body, x_line_signature)
    except line_link.BadSignature:
        return JSONResponse({"detail": REFUSED}, status_code=401)
    if replies:
        background.add_task(line_link.send_replies, org_code, replies)
    return JSONResponse({})
