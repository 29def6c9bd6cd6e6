"""The attachments published with an announcement: those of the approved revision marked
เผยแพร่พร้อมประกาศ, and only those. The revision's hash (which every signer approved) names them
with the flag, so the list cannot grow after approval; unpublished files never reach the public.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from models import Memo, MemoAttachment, Publication, Revision
from models.rules import Refused
from services.memo_life.attachments import attachments_folder, download_name, revision_attachments


@dataclass(frozen=True)
class PublicAttachment:
    name: str
    size: int
    sha256: str
    download_name: str  # the name it is saved under


def published_attachments(session: Session, revision: Revision) -> list[MemoAttachment]:
    return [a for a in revision_attachments(session, revision) if a.published]


def check_published_attachments(session: Session, memo: Memo, revision: Revision) -> list[MemoAttachment]:
    """The files to publish with the announcement, each still as approved; refused (nothing
    published, the memo says why) when one is gone or changed on disk."""
    attached = published_attachments(session, revision)
    for attachment in attached:
        path = attachments_folder(session, memo) / attachment.sha256
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != attachment.sha256:
            raise Refused(
                "attachment-differs",
                f"ไฟล์แนบ {attachment.name} ที่จะเผยแพร่หายไปหรือไม่ตรงกับที่อนุมัติ ยังไม่เผยแพร่ ให้นำไฟล์เดิมกลับมาที่ "
                f"{path} แล้วสั่ง saraban memo nudge {memo.id} (the attachment {attachment.name} to publish is "
                f"missing or differs from the approved one: nothing was published. Put the approved file back at "
                f"{path}, then run `saraban memo nudge {memo.id}`)",
            )
    return attached


def publication_attachments(session: Session, publication: Publication) -> list[PublicAttachment]:
    """What the public page lists for a publication: its published files, with their hashes."""
    return [
        PublicAttachment(a.name, a.size, a.sha256, download_name(a))
        for a in published_attachments(session, _published_revision(session, publication))
    ]


def public_attachment_file(session: Session, publication: Publication, sha256: str) -> tuple[MemoAttachment, Path]:
    """A published file of the publication and where it is kept; LookupError for anything else
    (an unpublished file of the same memo included)."""
    for attachment in published_attachments(session, _published_revision(session, publication)):
        if attachment.sha256 == sha256:
            path = attachments_folder(session, session.get(Memo, publication.memo_id)) / attachment.sha256
            if path.is_file():
                return attachment, path
    raise LookupError(sha256)


def _published_revision(session: Session, publication: Publication) -> Revision:
    # The latest revision with the approved hash (a revision sent back unchanged shares its hash).
    revision = session.exec(
        select(Revision)
        .where(Revision.memo_id == publication.memo_id, Revision.sha256 == publication.revision_sha256)
        .order_by(col(Revision.number).desc())
    ).first()
    assert revision is not None, f"publication {publication.id} names no revision of its memo"
    return revision
