"""`--attach FILE` and `--publish-attachment FILE` of `saraban memo submit` and `revise`: the files
are checked by their content and staged for the person (services.memo_life.attachments), then
named in the draft by hash, so the revision's hash binds them as on the web form."""

from pathlib import Path

import typer
from sqlmodel import select

from models import Memo, Person
from models.db import session_scope
from models.draft import AttachmentRef, MemoDraft
from services.errors import BadInput
from services.memo_life.attachments import forget_staged, stage_attachment
from services.printing.document_context import current_revision, revision_draft

ATTACH = typer.Option([], "--attach", help="a file sent with the memo (สิ่งที่ส่งมาด้วย): PDF, .docx, PNG or JPEG")
PUBLISH_ATTACHMENT = typer.Option(
    [], "--publish-attachment", help="a file sent with the memo and published with the announcement (เผยแพร่พร้อมประกาศ)"
)


def with_files(
    draft: MemoDraft, username: str, *, attach: list[Path], publish: list[Path], memo_id: int | None = None
) -> MemoDraft:
    """The draft with its files: those it names already (or, revising, the current revision's),
    then each file given, in order; a file given twice is attached once."""
    with session_scope() as session:
        person = session.exec(select(Person).where(Person.username == username)).first()
        if person is None:
            raise BadInput(f"ไม่พบผู้ใช้ {username} (no user {username})")
        refs = draft.attached() or _current_files(session, memo_id)
        given = [(path, False) for path in attach] + [(path, True) for path in publish]
        for path, published in given:
            ref = stage_attachment(session, person, name=path.name, data=_read(path), published=published)
            refs = [r for r in refs if r.sha256 != ref.sha256] + [ref]
    return draft.model_copy(update={"attachments": refs or None})


def forget_given(username: str, draft: MemoDraft) -> None:
    """The staged copies of files now kept with the memo."""
    with session_scope() as session:
        person = session.exec(select(Person).where(Person.username == username)).one()
        forget_staged(session, person, draft.attached())


def _current_files(session, memo_id: int | None) -> list[AttachmentRef]:  # noqa: ANN001
    memo = session.get(Memo, memo_id) if memo_id else None
    return revision_draft(current_revision(session, memo)).attached() if memo else []


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise BadInput(f"อ่านไฟล์ {path} ไม่ได้ (cannot read {path}: {error})") from error
