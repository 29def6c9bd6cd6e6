"""A memo's attached files (สิ่งที่ส่งมาด้วย): checked, kept, bound to a revision.

A file goes through two places. Uploaded (a form, an API request, `saraban memo submit
--attach`), it is checked by its content (documents.attachment_check) and staged under the
person's own folder, named by its SHA-256: a form refused for another reason (a wrong PIN) keeps
it, and the draft names it by hash. Sent with a memo or a revision, it is copied next to the
memo's documents (<memo folder>/attachments/<sha256>) and a `MemoAttachment` row per file is
added in the same transaction, which the audit entry of that action covers. A revision after a
return may keep a file of an earlier revision of the same memo by naming its hash.

The files are written under the Saraban home with the CLI's umask (077): private, like the rest.
"""

import hashlib
from pathlib import Path

from sqlmodel import Session, col, select

from documents.attachment_check import BadAttachment, checked_attachment
from models import Memo, MemoAttachment, Organisation, Person, Revision
from models.draft import AttachmentRef, MemoDraft
from models.settings import get_settings
from services.errors import BadInput
from services.printing.rendering import memo_folder

ATTACHMENTS = "attachments"  # inside the memo's folder
STAGED = "staged-attachments"  # inside the organisation's documents folder, one folder per person


def staged_folder(session: Session, person: Person) -> Path:
    org = session.get(Organisation, person.organisation_id)
    return get_settings().documents_dir / org.code / STAGED / f"person-{person.id}"


def attachments_folder(session: Session, memo: Memo) -> Path:
    return memo_folder(session, memo) / ATTACHMENTS


def stage_attachment(session: Session, person: Person, *, name: str, data: bytes, published: bool) -> AttachmentRef:
    """Check an uploaded file and keep it for `person` until a memo is sent with it; BadInput
    saying what to fix when it may not be attached."""
    try:
        checked_attachment(name, data)
    except BadAttachment as refused:
        raise BadInput(str(refused)) from None
    digest = hashlib.sha256(data).hexdigest()
    _write_once(staged_folder(session, person) / digest, data)
    return AttachmentRef(name=display_name(name), size=len(data), sha256=digest, published=published)


def display_name(name: str) -> str:
    """The name a person gave, without a browser's folder path, on one line, within 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return " ".join(base.split())[:200] or "ไฟล์แนบ"


def kept_ref(
    session: Session, person: Person, *, memo: Memo | None, sha256: str, name: str, published: bool
) -> AttachmentRef | None:
    """A file named again by its hash (a form shown again, a revision keeping a file): staged by
    this person, or attached to an earlier revision of `memo`. None when it is neither."""
    path = _source(session, person, memo, sha256)
    if path is None:
        return None
    return AttachmentRef(name=display_name(name), size=path.stat().st_size, sha256=sha256, published=published)


def bind_attachments(session: Session, memo: Memo, revision: Revision, person: Person, draft: MemoDraft) -> None:
    """Keep the draft's files with the memo and record one row per file for `revision`, in the
    caller's transaction. Each file is read back and checked again: its hash, size and kind
    must be what the draft (so the revision's hash) says."""
    found = [(ref, _source(session, person, memo, ref.sha256)) for ref in draft.attached()]
    missing = [ref.name for ref, path in found if path is None]
    if missing:
        raise BadInput(
            f"ไม่พบไฟล์แนบ {', '.join(missing)} กรุณาแนบไฟล์ใหม่อีกครั้ง (the attached file "
            f"{', '.join(missing)} is no longer here: attach it again)"
        )
    folder = attachments_folder(session, memo)
    for number, (ref, path) in enumerate(found, start=1):
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != ref.sha256 or len(data) != ref.size:
            raise BadInput(f"ไฟล์แนบ {ref.name} ไม่ตรงกับที่ระบุ (the file {ref.name} differs from its hash or size)")
        try:
            kind = checked_attachment(ref.name, data)
        except BadAttachment as refused:
            raise BadInput(str(refused)) from None
        _write_once(folder / ref.sha256, data)
        session.add(
            MemoAttachment(
                memo_id=memo.id,
                revision_id=revision.id,
                number=number,
                name=ref.name,
                media_type=kind.media_type,
                size=ref.size,
                sha256=ref.sha256,
                published=ref.published,
            )
        )
    session.flush()


def forget_staged(session: Session, person: Person, refs: list[AttachmentRef]) -> None:
    """Drop the staged copies once a memo carrying them is committed (they are with the memo now)."""
    folder = staged_folder(session, person)
    for ref in refs:
        (folder / ref.sha256).unlink(missing_ok=True)


def revision_attachments(session: Session, revision: Revision) -> list[MemoAttachment]:
    return list(
        session.exec(
            select(MemoAttachment).where(MemoAttachment.revision_id == revision.id).order_by(MemoAttachment.number)
        )
    )


def memo_attachment(session: Session, memo: Memo, sha256: str) -> tuple[MemoAttachment, Path] | None:
    """A file attached to any revision of `memo` (the latest row naming it) and where it is kept."""
    row = session.exec(
        select(MemoAttachment)
        .where(MemoAttachment.memo_id == memo.id, MemoAttachment.sha256 == sha256)
        .order_by(col(MemoAttachment.id).desc())
    ).first()
    if row is None:
        return None
    path = attachments_folder(session, memo) / row.sha256
    return (row, path) if path.is_file() else None


def download_name(row: MemoAttachment) -> str:
    """The attachment's name, with the suffix of its kind when the name has none."""
    suffix = SUFFIXES.get(row.media_type, "")
    return row.name if row.name.lower().endswith(suffix) else f"{row.name}{suffix}"


def stored_name(row: MemoAttachment) -> str:
    """An ASCII name for clients that read only `filename` (the Thai name goes in filename*)."""
    return f"attachment-{row.sha256[:12]}{SUFFIXES.get(row.media_type, '')}"


SUFFIXES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "image/png": ".png",
    "image/jpeg": ".jpg",
}


def _source(session: Session, person: Person, memo: Memo | None, sha256: str) -> Path | None:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        return None  # a hash is also a file name here: nothing else may reach the file system
    if memo is not None and memo.id is not None:
        earlier = session.exec(
            select(MemoAttachment.id).where(MemoAttachment.memo_id == memo.id, MemoAttachment.sha256 == sha256)
        ).first()
        kept = attachments_folder(session, memo) / sha256
        if earlier is not None and kept.is_file():
            return kept
    staged = staged_folder(session, person) / sha256
    return staged if staged.is_file() else None


def _write_once(path: Path, data: bytes) -> None:
    # Named by content: a file already there with these bytes is left as it is.
    if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == path.name:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.part")
    temporary.write_bytes(data)
    temporary.replace(path)  # readers never see half a file
