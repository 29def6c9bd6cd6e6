"""What changed between two revisions of a memo, part by part, in the terms printed on paper
(เรื่อง, ข้อเท็จจริง, ข้อกฎหมาย ข้อ ๒, ประกาศ ข้อ ๓ ...), word by word."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from documents.text.announcement_text import AnnouncementText
from documents.text.word_diff import DELETED, INSERTED, Piece, word_diff
from documents.thai_format import to_thai_digits
from models import Memo, Revision
from models.draft import AttachmentRef, MemoDraft
from services.printing.document_context import revision_draft
from services.printing.rendering import announcement_words

MEMO, ANNOUNCEMENT = "บันทึกข้อความ", "ประกาศ"


@dataclass(frozen=True)
class PartChange:
    document: str  # MEMO | ANNOUNCEMENT
    part: str  # "ข้อเท็จจริง", "ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ ข้อ ๒", "ข้อ ๓" ...
    pieces: list[Piece]


@dataclass(frozen=True)
class RevisionChanges:
    old_number: int
    new_number: int
    parts: list[PartChange]


def changes_between(session: Session, memo: Memo, old_number: int, new_number: int) -> RevisionChanges:
    old, new = _revision(session, memo, old_number), _revision(session, memo, new_number)
    parts = _changed(MEMO, memo_parts(revision_draft(old)), memo_parts(revision_draft(new))) + _changed(
        ANNOUNCEMENT, _announcement_parts(session, memo, old), _announcement_parts(session, memo, new)
    )
    return RevisionChanges(old_number, new_number, parts)


def paper_parts(session: Session, memo: Memo, revision: Revision) -> list[tuple[str, str]]:
    """Every part of a revision as the papers name it: the memo's parts ("ข้อเท็จจริง"), then
    the announcement's, each led by "ประกาศ" ("ประกาศ เรื่อง", "ประกาศ ข้อ ๓")."""
    announcement = [(f"{ANNOUNCEMENT} {label}", text) for label, text in _announcement_parts(session, memo, revision)]
    return memo_parts(revision_draft(revision)) + announcement


def memo_parts(draft: MemoDraft) -> list[tuple[str, str]]:
    return [
        ("เรื่อง", draft.subject),
        ("เรียน", draft.addressee),
        ("ต้นเรื่อง", draft.origin),
        ("ข้อเท็จจริง", draft.facts),
        *(
            (f"ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ ข้อ {to_thai_digits(n)}", item)
            for n, item in enumerate(draft.legal_basis, start=1)
        ),
        ("ข้อพิจารณาและข้อเสนอ", draft.considerations),
        ("คำลงท้าย", draft.closing),
        ("สิ่งที่ส่งมาด้วย", "\n".join(attachment_line(a) for a in draft.attached())),
    ]


def attachment_line(attachment: AttachmentRef) -> str:
    """One file as a change shows it: a file replaced under the same name is a change too."""
    published = " (เผยแพร่พร้อมประกาศ)" if attachment.published else ""
    return f"{attachment.name}{published} SHA-256 {attachment.sha256[:12]}"


def announcement_parts(words: AnnouncementText) -> list[tuple[str, str]]:
    return [
        ("เรื่อง", words.subject),
        *((f"ย่อหน้าที่ {to_thai_digits(n)}", p) for n, p in enumerate(words.preamble, start=1)),
        ("ข้อความนำ", words.measures_heading),
        *((f"ข้อ {to_thai_digits(n)}", m) for n, m in enumerate(words.measures, start=1)),
        ("ท้ายประกาศ", words.closing),
    ]


def _announcement_parts(session: Session, memo: Memo, revision: Revision) -> list[tuple[str, str]]:
    try:
        return announcement_parts(announcement_words(session, memo, revision))
    except Exception:  # noqa: BLE001  (a template that no longer renders: the memo page says so elsewhere)
        return []


def _changed(document: str, old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[PartChange]:
    before, after = dict(old), dict(new)
    labels = [label for label, _ in new] + [label for label, _ in old if label not in after]
    changes = []
    for label in labels:
        pieces = word_diff(before.get(label, ""), after.get(label, ""))
        if any(p.kind in (INSERTED, DELETED) for p in pieces):
            changes.append(PartChange(document, label, pieces))
    return changes


def _revision(session: Session, memo: Memo, number: int) -> Revision:
    return session.exec(select(Revision).where(Revision.memo_id == memo.id, Revision.number == number)).one()
