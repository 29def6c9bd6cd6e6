"""A limit on the size of request bodies, before any route reads them.

A declared Content-Length over the limit is answered 413 at once; a body sent without one
(chunked) is counted as it arrives and cut off at the limit with the same 413.
"""

import re

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from documents.attachment_check import MAX_BYTES, MAX_FILES
from web.errors import error_page


def too_large_message(limit: int) -> str:
    return (
        f"ข้อมูลที่ส่งมีขนาดเกิน {limit // 1024:,} KB กรุณาลดขนาดไฟล์แล้วส่งใหม่ "
        f"(the request is larger than {limit:,} bytes: send a smaller file)"
    )


# The memo form's posts and the API's upload carry attachments (up to MAX_FILES of MAX_BYTES each): that
# much larger than any other request may be; a file over its own limit is refused by name, by its route.
UPLOAD_PATHS = re.compile(r"^/(memos/new|memos/\d+/revise|api/attachments)$")
FORM_FIELDS_BYTES = 1024 * 1024  # the memo's text beside its files
MULTIPART = b"multipart/form-data"
# ตรวจสอบเอกสาร (/verify) takes one file from anyone: an announcement PDF is well under a megabyte,
# a memo PDF with scanned attachments a few; its multipart form is allowed that and its boundaries.
VERIFY_PATH = "/verify"
VERIFY_MAX_BYTES = 20 * 1024 * 1024
VERIFY_FORM_BYTES = VERIFY_MAX_BYTES + 64 * 1024


def attachment_upload_bytes() -> int:
    return MAX_FILES * MAX_BYTES + FORM_FIELDS_BYTES


class BodySizeLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_bytes: int = 0) -> None:
        self.app, self.max_bytes, self.upload_bytes = app, max_bytes, upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            message, headers = too_large_message(limit), {"Connection": "close"}
            response = (
                JSONResponse({"detail": message}, status_code=413, headers=headers)
                if scope["path"].startswith("/api/")
                else error_page(Request(scope), 413, message, headers)  # the site's page, with its menu
            )
            await response(scope, receive, send)
            return
        await self.app(scope, self._counting(receive, limit), send)

    def _limit(self, scope: Scope) -> int:
        # Only a multipart body carries files: the same form sent urlencoded keeps the plain limit.
        content_type = dict(scope["headers"]).get(b"content-type", b"")
        if scope.get("method") != "POST" or not content_type.startswith(MULTIPART):
            return self.max_bytes
        if UPLOAD_PATHS.match(scope["path"]):
            return max(self.max_bytes, self.upload_bytes)
        if scope["path"] == VERIFY_PATH:
            return max(self.max_bytes, VERIFY_FORM_BYTES)
        return self.max_bytes

    def _counting(self, receive: Receive, limit: int) -> Receive:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                # FastAPI passes an HTTPException raised while reading a body through as itself.
                raise HTTPException(status_code=413, detail=too_large_message(limit))
            return message

        return counted
