"""What a drafter may start a new announcement from: the organisation's published announcements
(newest first) and its templates, each turned into a general announcement to edit."""

import datetime as dt
from dataclasses import dataclass

import jinja2
from sqlmodel import Session, col, select

from documents.text.announcement_reading import announcement_title
from documents.text.announcement_text import AnnouncementText
from documents.text.general_announcement import general_from_text
from models import Memo, Organisation, Publication, Revision
from models.clock import office_date
from models.draft import GENERAL, AnnouncementDraft, GeneralAnnouncement
from models.fiscal import fiscal_year_of
from services.errors import BadInput
from services.printing.announcement_kinds import choices_for
from services.printing.document_context import revision_draft
from services.printing.rendering import draft_announcement_words, draft_document_words, words_from_json

PUBLISHED, TEMPLATE = "pub", "tpl"


@dataclass(frozen=True)
class Start:
    key: str  # "pub-12" or "tpl-participation-measures": what the form sends back
    title: str
    published_on: dt.date | None = None


def published_starts(session: Session, org: Organisation) -> list[Start]:
    rows = session.exec(
        select(Publication, Memo)
        .join(Memo, Memo.id == Publication.memo_id)
        .where(Memo.organisation_id == org.id)
        .order_by(col(Publication.announcement_date).desc(), col(Publication.id).desc())
    ).all()
    return [
        Start(f"{PUBLISHED}-{p.id}", p.announcement_title or _title(session, org, p, m), p.announcement_date)
        for p, m in rows
    ]


def template_starts(org: Organisation) -> list[Start]:
    return [Start(f"{TEMPLATE}-{c.name}", c.title) for c in choices_for(org) if c.name != GENERAL]


def start_text(session: Session, org: Organisation, key: str) -> GeneralAnnouncement:
    """The general announcement to edit, from a start's key; refused when it is not this
    organisation's (a publication of another office is not offered)."""
    kind, _, name = key.partition("-")
    if kind == PUBLISHED and name.isdigit():
        row = session.exec(
            select(Publication, Memo)
            .join(Memo, Memo.id == Publication.memo_id)
            .where(Publication.id == int(name), Memo.organisation_id == org.id)
        ).first()
        if row is not None:
            return general_from_text(_published_words(session, org, *row))
    if kind == TEMPLATE and name in {c.name for c in choices_for(org)} and name != GENERAL:
        words = draft_announcement_words(
            org, AnnouncementDraft(template=name), fiscal_year=fiscal_year_of(office_date())
        )
        return general_from_text(words)
    raise BadInput("ไม่พบประกาศหรือแบบที่เลือก (no such published announcement or template)")


def _published_words(session: Session, org: Organisation, publication: Publication, memo: Memo) -> AnnouncementText:
    # Publications before 0013 keep no words: their revision renders them (as the template is now).
    if publication.announcement_words_json:
        return words_from_json(publication.announcement_words_json)
    revision = session.exec(
        select(Revision).where(Revision.memo_id == memo.id, Revision.sha256 == publication.revision_sha256)
    ).first()
    return draft_document_words(org, revision_draft(revision), fiscal_year=memo.fiscal_year)


def _title(session: Session, org: Organisation, publication: Publication, memo: Memo) -> str:
    try:
        return announcement_title(org.name, _published_words(session, org, publication, memo).subject)
    except (jinja2.TemplateError, ValueError):  # an old template that no longer renders: the memo's subject names it
        return memo.subject
