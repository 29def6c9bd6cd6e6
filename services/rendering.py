"""Writing a memo's current .docx and its announcement to the documents folder."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, func, select

from documents.announcement_docx import build_announcement_docx
from documents.announcement_text import announcement_context, render_announcement_text
from documents.context import AnnouncementContext
from documents.memo_docx import build_memo_docx
from models import Decision, Memo, Organisation, Revision
from models.clock import office_date
from models.enums import DecisionKind
from models.settings import get_settings
from services.document_context import decision_signatory, garuda_image, memo_context, revision_draft


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    sha256: str


def memo_folder(session: Session, memo: Memo) -> Path:
    org = session.get(Organisation, memo.organisation_id)
    return get_settings().documents_dir / org.code / f"memo-{memo.id}"


def write_memo(session: Session, memo: Memo, revision: Revision) -> WrittenFile:
    """The memo as it stands: named by round and by how many minutes it carries."""
    minutes = session.exec(select(func.count()).select_from(Decision).where(
        Decision.memo_id == memo.id, Decision.round == revision.number)).one()
    path = memo_folder(session, memo) / f"memo-r{revision.number}-m{minutes}.docx"
    return _write(path, build_memo_docx(memo_context(session, memo, revision)))


def write_announcement(session: Session, memo: Memo, revision: Revision) -> WrittenFile:
    path = memo_folder(session, memo) / f"announcement-r{revision.number}.docx"
    return _write(path, build_announcement_docx(announcement(session, memo, revision)))


def announcement(session: Session, memo: Memo, revision: Revision) -> AnnouncementContext:
    """The announcement as the last approval of the round issues it, signed by that signer."""
    org = session.get(Organisation, memo.organisation_id)
    draft = revision_draft(revision)
    data = {"organisation_name": org.name, "fiscal_year_be": memo.fiscal_year, **draft.announcement.data}
    text = render_announcement_text(org.kind, draft.announcement.template, data)
    final = _final_approval(session, memo, revision)
    return announcement_context(text, date=office_date(final.at), signatory=decision_signatory(session, final),
                                garuda_image=garuda_image(org))


def _final_approval(session: Session, memo: Memo, revision: Revision) -> Decision:
    final = session.exec(select(Decision).where(
        Decision.memo_id == memo.id, Decision.round == revision.number, Decision.step_index == memo.steps_total - 1,
        Decision.kind == DecisionKind.APPROVE)).first()
    if final is None:
        raise ValueError(f"memo {memo.id} has no final approval on revision {revision.number} yet")
    return final


def _write(path: Path, content: bytes) -> WrittenFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    temporary.write_bytes(content)
    temporary.replace(path)  # readers never see half a file
    return WrittenFile(path, hashlib.sha256(content).hexdigest())
