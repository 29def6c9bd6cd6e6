"""A memo's attached files (สิ่งที่ส่งมาด้วย), downloaded by the people of its organisation.

Only a file some revision of this memo carries, found by the memo and its hash: another
organisation's people get the same 404 as for a memo that does not exist.
"""

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, Response

from models.db import read_scope
from services.memo_life.attachments import download_name, memo_attachment, stored_name
from services.printing.file_labels import content_disposition
from web.deps import CurrentUser, RowId
from web.routes.memos import memo_of_user

router = APIRouter(include_in_schema=False)


@router.get("/memos/{memo_id}/attachments/{sha256}")
def download_attachment(memo_id: RowId, sha256: str, user: CurrentUser) -> Response:
    with read_scope() as session:
        found = memo_attachment(session, memo_of_user(session, user, memo_id), sha256)
    if found is None:
        raise HTTPException(status_code=404, detail="ไม่พบไฟล์แนบ (no such attachment)")
    attachment, path = found
    disposition = content_disposition(download_name(attachment), stored_name(attachment))
    return FileResponse(path, media_type=attachment.media_type, headers={"Content-Disposition": disposition})
