"""Publishing an approved memo's announcement: frozen files, their hashes, the record."""

from sqlmodel import Session, select

from models import Decision, Publication, audit
from models.clock import office_date, utcnow
from models.enums import DecisionKind, MemoStatus
from models.rules import Published, Refused, advance
from services.memos import current_revision, memo_for_update
from services.rendering import write_announcement, write_memo


def publish(session: Session, *, memo_id: int) -> Publication:
    """Publish once: a second call returns the publication already made."""
    memo = memo_for_update(session, memo_id)
    existing = session.exec(select(Publication).where(Publication.memo_id == memo_id)).first()
    if existing is not None:
        return existing
    if memo.status != MemoStatus.APPROVED:
        raise Refused("not-approved", f"บันทึกยังไม่ได้รับอนุมัติครบทุกขั้น (memo {memo_id} is {memo.status.value}, not approved)")
    revision = current_revision(session, memo)
    _check_round_approved(session, memo.id, revision.number, revision.sha256, memo.steps_total)
    memo_file = write_memo(session, memo, revision)
    announcement_file = write_announcement(session, memo, revision)
    publication = Publication(memo_id=memo.id, revision_sha256=revision.sha256,
                              announcement_path=str(announcement_file.path), announcement_sha256=announcement_file.sha256,
                              memo_path=str(memo_file.path), memo_sha256=memo_file.sha256,
                              announcement_date=office_date())
    session.add(publication)
    memo.move_to(advance(memo.progress(), Published()), utcnow())
    audit.append(session, actor="system", action="memo.published", subject=f"memo:{memo.id}",
                 data={"revision_sha256": revision.sha256, "announcement_sha256": announcement_file.sha256,
                       "memo_sha256": memo_file.sha256})
    return publication


def _check_round_approved(session: Session, memo_id: int, round_: int, sha256: str, steps_total: int) -> None:
    # Every step of the last round approved this very revision: nothing else gets published.
    decisions = session.exec(select(Decision).where(Decision.memo_id == memo_id, Decision.round == round_)).all()
    approved = {d.step_index for d in decisions if d.kind == DecisionKind.APPROVE and d.revision_sha256 == sha256}
    if approved != set(range(steps_total)):
        raise Refused("not-approved", "ทุกขั้นตอนต้องอนุมัติฉบับเดียวกัน (every step must approve the same revision)")
