"""Looking a published announcement up by what a person can type from its paper or page: its
register number ("อท ๕๓๗๐๑.๔/๓๐", Thai or Arabic digits, spaced or not), the address of its
public page, or the SHA-256 of one of its files. Whether it holds, and who approved it, come
from services.publication.verification, as for a file.

Only publications are searched: a number of a memo that was never published finds nothing, the
same answer as a number nobody issued, so the form tells nothing about unpublished work.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from models import Memo, Organisation, Publication
from models.digits import arabic_digits
from services.errors import BadInput
from services.publication.public import Approval, approvals
from services.publication.verification import PublishedMatch, Withdrawn, publication_with, published_match, standing

SHA256 = re.compile(r"^[0-9a-f]{64}$")
PAGE = re.compile(r"/public/([a-z0-9_-]+)/(\d+)/?$")
TYPED_CHARACTERS = 200


@dataclass(frozen=True)
class ReferenceVerification:
    verdict: str  # GENUINE (published and in force) | ALTERED | CANCELLED | SUPERSEDED
    reason: str  # Thai and English
    published: PublishedMatch
    fiscal_year: int
    approvals: list[Approval] = field(default_factory=list)
    withdrawn: Withdrawn | None = None


def published_by_reference(session: Session, typed: str) -> list[ReferenceVerification]:
    """The publications `typed` names, newest first (a register number repeats each fiscal
    year); [] when none. BadInput when nothing was typed or it cannot be a reference."""
    text = _folded(typed[:TYPED_CHARACTERS])
    if not text:
        raise BadInput("กรุณาพิมพ์เลขที่ของประกาศ (type the announcement's number)", field="reference")
    if SHA256.match(text):
        # Only the hashes the public page shows: those of the announcement's own files.
        found = publication_with(session, text)
        return [_verification(session, *found)] if found and found[1].startswith("announcement") else []
    if page := PAGE.search(text):
        return _by_page(session, page[1], int(page[2]))
    if text.isdigit():
        raise BadInput(
            "กรุณาพิมพ์เลขที่ให้ครบตามที่พิมพ์บนประกาศ เช่น อท ๕๓๗๐๑.๔/๓๐ (type the whole number as printed, e.g. อท 53701.4/30)",
            field="reference",
        )
    rows = session.exec(
        select(Publication, Memo.register_number)
        .join(Memo, Memo.id == Publication.memo_id)
        .order_by(col(Publication.published_at).desc())
    ).all()
    return [_verification(session, p, "announcement") for p, number in rows if _folded(number) == text]


def _by_page(session: Session, code: str, publication_id: int) -> list[ReferenceVerification]:
    publication = session.exec(
        select(Publication)
        .join(Memo, Memo.id == Publication.memo_id)
        .join(Organisation, Organisation.id == Memo.organisation_id)
        .where(Publication.id == publication_id, Organisation.code == code)
    ).first()
    return [_verification(session, publication, "announcement")] if publication else []


def _verification(session: Session, publication: Publication, kind: str) -> ReferenceVerification:
    memo = session.get(Memo, publication.memo_id)
    org = session.get(Organisation, memo.organisation_id)
    verdict, reason, withdrawn = standing(
        session, memo, publication, reason="ประกาศที่เผยแพร่และยังมีผล (published, in force)"
    )
    return ReferenceVerification(
        verdict,
        reason,
        published_match(session, publication, kind),
        memo.fiscal_year,
        approvals(session, org, memo, publication),
        withdrawn,
    )


def _folded(text: str) -> str:
    # One spelling of what was typed: NFC, Arabic digits, no spaces, lower case.
    return "".join(arabic_digits(unicodedata.normalize("NFC", text)).split()).casefold()
