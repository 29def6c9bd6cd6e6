"""A memo as people read it: where it stands, its revisions, stages, minutes and files."""

import json
from dataclasses import asdict

from sqlmodel import Session, select

from models import (
    Decision,
    Memo,
    Organisation,
    Person,
    Position,
    ProofreadReport,
    Publication,
    Revision,
    StageRecord,
    StageReturn,
)
from models.digits import thai_digits
from models.draft import GENERAL
from models.enums import MemoStatus
from services.accounts.reset_watch import reset_flag_text
from services.errors import BadInput
from services.memo_life.attachments import revision_attachments
from services.memo_life.queue import signing_capacity
from services.printing.announcement_kinds import kind_title
from services.printing.document_context import current_revision, revision_draft
from services.printing.rendering import current_announcement_sha256
from services.publication.notice_board import board_dates
from services.publication.publication_channels import channel_statuses


def memo_view(session: Session, memo_id: int) -> dict:
    memo = session.get(Memo, memo_id)
    if memo is None:
        raise BadInput(f"ไม่พบบันทึกเลขที่ {thai_digits(memo_id)} (no memo with id {memo_id})")
    revision = current_revision(session, memo)
    announcement = revision_draft(revision).announcement
    return {
        "id": memo.id,
        "register_number": memo.register_number,
        "subject": memo.subject,
        "status": memo.status.value,
        "round": memo.round,
        "step": memo.step,
        "steps_total": memo.steps_total,
        "fiscal_year": memo.fiscal_year,
        "drafter": _username(session, memo.drafter_id),
        "flow_run_id": memo.flow_run_id,
        "waiting_for": _waiting_for(session, memo),
        "revisions": [
            {"number": r.number, "sha256": r.sha256, "note": r.note, "at": r.created_at}
            for r in _rows(session, Revision, Revision.memo_id == memo.id, Revision.number)
        ],
        "stages": [
            {"round": s.round, "stage": s.stage.value, "by": _username(session, s.person_id), "at": s.at}
            for s in _rows(session, StageRecord, StageRecord.memo_id == memo.id, StageRecord.id)
        ],
        "decisions": [
            _decision(session, d) for d in _rows(session, Decision, Decision.memo_id == memo.id, Decision.id)
        ],
        "stage_returns": [
            {
                "round": r.round,
                "stage": r.stage.value,
                "by": _username(session, r.person_id),
                "note": r.note,
                "revision_sha256": r.revision_sha256,
                "at": r.at,
            }
            for r in _rows(session, StageReturn, StageReturn.memo_id == memo.id, StageReturn.id)
        ],
        "publication": _publication(session, memo.id),
        "flow_problem": memo.flow_problem,
        "flow_problem_at": memo.flow_problem_at,
        "proofread": proofread_report(session, memo),
        "revision_sha256": revision.sha256,
        # สิ่งที่ส่งมาด้วย of the current revision: part of what its hash (and each approval) binds.
        "attachments": [
            {"name": a.name, "size": a.size, "sha256": a.sha256, "published": a.published, "media_type": a.media_type}
            for a in revision_attachments(session, revision)
        ],
        "announcement_sha256": announcement_sha256_now(session, memo),
        # The announcement kind by its Thai title (a template's, or the general announcement's).
        "announcement_kind": kind_title(
            session.get(Organisation, memo.organisation_id),
            announcement.template if announcement is not None else GENERAL,
        ),
        # What the memo issues (models.document_kinds): announcement, order, circular or report.
        "document_kind": memo.document_kind,
        "replaces": _replaces(session, announcement.replaces if announcement is not None else None),
    }


def _replaces(session: Session, publication_id: int | None) -> dict | None:
    """The published announcement this memo's announcement replaces, as signers see it."""
    publication = session.get(Publication, publication_id) if publication_id else None
    if publication is None:
        return None
    memo = session.get(Memo, publication.memo_id)
    return {
        "publication_id": publication.id,
        "register_number": memo.register_number,
        "title": publication.announcement_title or memo.subject,
        "announcement_date": publication.announcement_date,
    }


def announcement_sha256_now(session: Session, memo: Memo) -> str | None:
    """The announcement text's hash as it would be published now; None when it cannot be rendered."""
    try:
        return current_announcement_sha256(session, memo, current_revision(session, memo))
    except Exception:  # noqa: BLE001  (a broken template: the memo page and a return say so)
        return None


def proofread_report(session: Session, memo: Memo) -> list[dict] | None:
    """The automated proofreading of the current revision; None while it is being made."""
    report = session.exec(
        select(ProofreadReport).where(ProofreadReport.memo_id == memo.id, ProofreadReport.round == memo.round)
    ).first()
    return None if report is None else json.loads(report.warnings_json)


def _waiting_for(session: Session, memo: Memo) -> list[str]:
    """Usernames who may act on the memo now."""
    people = session.exec(select(Person).where(Person.organisation_id == memo.organisation_id, Person.active)).all()
    if memo.status == MemoStatus.IN_REVIEW:
        return [p.username for p in people if signing_capacity(session, p, memo)]
    if memo.status == MemoStatus.RETURNED:
        return [_username(session, memo.drafter_id)]
    return []


def _decision(session: Session, d: Decision) -> dict:
    return {
        "id": d.id,
        "round": d.round,
        "step": d.step_index,
        "position": session.get(Position, d.position_id).title,
        "kind": d.kind.value,
        "minute": d.minute,
        "signer": _username(session, d.signer_id),
        "capacity": d.capacity.value,
        "escalated": _escalated(d),
        "signed_as": session.get(Position, d.signed_as_position_id).title if d.signed_as_position_id else "",
        "revision_sha256": d.revision_sha256,
        "announcement_sha256": d.announcement_sha256,
        "after_reset": reset_flag_text(d.after_reset),
        "at": d.at,
    }


def _escalated(d: Decision) -> bool:
    return d.signed_as_position_id is not None and d.signed_as_position_id != d.position_id


def _publication(session: Session, memo_id: int) -> dict | None:
    p = session.exec(select(Publication).where(Publication.memo_id == memo_id)).first()
    if p is None:
        return None
    return {
        "announcement": p.announcement_path,
        "announcement_sha256": p.announcement_sha256,
        "memo": p.memo_path,
        "memo_sha256": p.memo_sha256,
        "at": p.published_at,
        "announcement_pdf": p.announcement_pdf_path,
        "announcement_pdf_sha256": p.announcement_pdf_sha256,
        "memo_pdf": p.memo_pdf_path,
        "memo_pdf_sha256": p.memo_pdf_sha256,
        "announcement_date": p.announcement_date,
        "posted_by": p.posted_by,
        "requested_by": _username(session, p.requested_by_id) if p.requested_by_id else "",
        "approved_by": _username(session, p.approved_by_id) if p.approved_by_id else "",
        "requested_by_name": _full_name(session, p.requested_by_id),
        "approved_by_name": _full_name(session, p.approved_by_id),
        **dict(zip(("notice_board_posted_on", "notice_board_remove_on"), board_dates(session, p.id), strict=True)),
        "channels": [asdict(c) for c in channel_statuses(session, p.id)],
    }


def _rows(session: Session, table, where, order):  # noqa: ANN001, ANN202
    return session.exec(select(table).where(where).order_by(order)).all()


def _full_name(session: Session, person_id: int | None) -> str:
    return session.get(Person, person_id).full_name if person_id else ""


def _username(session: Session, person_id: int) -> str:
    return session.get(Person, person_id).username
