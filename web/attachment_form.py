"""The memo form's attachments (สิ่งที่ส่งมาด้วย): the files chosen in this post, and those the
form already carries.

A browser cannot fill a file field again, so a file is uploaded once: checked and staged
(services.memo_life.attachments), it comes back in the form as a kept file named by its hash
(kept_N, kept_N_name, kept_N_publish, kept_N_keep), with whatever else is refused. New files are
attachment_N with attachment_N_name (a description; the file's name when empty) and
attachment_N_publish (เผยแพร่พร้อมประกาศ). A revision starts from its memo's current files, kept.
"""

from dataclasses import dataclass, field

from starlette.datastructures import FormData, UploadFile

from documents.attachment_check import MAX_BYTES, MAX_FILES
from models import Memo, Person
from models.db import read_scope
from models.draft import AttachmentRef
from services.errors import BadInput
from services.memo_life.attachments import kept_ref, stage_attachment
from web.sessions import SignedIn

YES = "yes"
SLOTS = MAX_FILES  # file fields read from a post (and kept files): more are refused by the draft's own limit


@dataclass
class PostedAttachments:
    refs: list[AttachmentRef] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def posted_attachments(posted: FormData, user: SignedIn, *, memo_id: int | None) -> PostedAttachments:
    """The files the form carries now: its kept ones still ticked, then the new ones that pass."""
    result = PostedAttachments()
    uploads = [(n, upload) for n in range(1, SLOTS + 1) if _chosen(upload := posted.get(f"attachment_{n}"))]
    contents = {n: await upload.read(MAX_BYTES + 1) for n, upload in uploads}  # one byte over is enough to refuse
    with read_scope() as session:
        person = session.get(Person, user.person.id)
        memo = session.get(Memo, memo_id) if memo_id else None
        if memo is not None and memo.organisation_id != person.organisation_id:
            memo = None  # another office's memo keeps nothing here (its route answers 404)
        for n in range(1, SLOTS + 1):
            sha256 = str(posted.get(f"kept_{n}", "")).strip()
            if not sha256 or posted.get(f"kept_{n}_keep") != YES:
                continue  # untick "แนบไฟล์นี้" to drop a file
            name = str(posted.get(f"kept_{n}_name", "")).strip() or sha256[:12]
            ref = kept_ref(
                session, person, memo=memo, sha256=sha256, name=name, published=posted.get(f"kept_{n}_publish") == YES
            )
            if ref is None:
                result.errors.append(f"ไม่พบไฟล์แนบ {name} กรุณาแนบใหม่ (the file {name} is gone: attach it again)")
            else:
                _add(result, ref)
        for n, upload in uploads:
            name = str(posted.get(f"attachment_{n}_name", "")).strip() or str(upload.filename)
            try:
                ref = stage_attachment(
                    session, person, name=name, data=contents[n], published=posted.get(f"attachment_{n}_publish") == YES
                )
            except BadInput as refused:
                result.errors.append(str(refused))
                continue
            _add(result, ref)
    return result


def preview_attachments(posted: FormData) -> list[AttachmentRef]:
    """The files as the preview lists them, by name only (nothing is uploaded for a preview):
    the kept ones still ticked, then each chosen file (its description, else its name)."""
    names = [
        (str(posted.get(f"kept_{n}_name", "")), posted.get(f"kept_{n}_publish") == YES)
        for n in range(1, SLOTS + 1)
        if posted.get(f"kept_{n}") and posted.get(f"kept_{n}_keep") == YES
    ]
    for n in range(1, SLOTS + 1):
        upload = posted.get(f"attachment_{n}")
        chosen = str(upload.filename) if _chosen(upload) else str(posted.get(f"attachment_{n}_chosen", ""))
        if chosen:
            names.append((str(posted.get(f"attachment_{n}_name", "")).strip() or chosen, False))
    return [
        AttachmentRef.model_construct(name=name, size=0, sha256="", published=published) for name, published in names
    ]


def _chosen(value: object) -> bool:
    # A file field left empty still arrives, as a part with no file name.
    return isinstance(value, UploadFile) and bool(value.filename)


def _add(result: PostedAttachments, ref: AttachmentRef) -> None:
    if all(kept.sha256 != ref.sha256 for kept in result.refs):  # the same file chosen twice: once
        result.refs.append(ref)


def attachments_message(errors: list[str]) -> str:
    return " ".join(errors)
