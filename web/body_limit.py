"""A limit on the size of request bodies, before any route reads them.

A declared Content-Length over the limit is answered 413 at once; a body sent without one
(chunked) is counted as it arrives and cut off at the limit with the same 413.
"""

from fastapi import HTTPException
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def too_large_message(limit: int) -> str:
    return (
        f"ข้อมูลที่ส่งมีขนาดเกิน {limit // 1024:,} KB กรุณาลดขนาดไฟล์แล้วส่งใหม่ "
        f"(the request is larger than {limit:,} bytes: send a smaller file)"
    )


class BodySizeLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            message, headers = too_large_message(self.max_bytes), {"Connection": "close"}
            response = (
                JSONResponse({"detail": message}, status_code=413, headers=headers)
                if scope["path"].startswith("/api/")
                else PlainTextResponse(message, 413, headers=headers)
            )
            await response(scope, receive, send)
            return
        await self.app(scope, self._counting(receive), send)

    def _counting(self, receive: Receive) -> Receive:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                # FastAPI passes an HTTPException raised while reading a body through as itself.
                raise HTTPException(status_code=413, detail=too_large_message(self.max_bytes))
            return message

        return counted
