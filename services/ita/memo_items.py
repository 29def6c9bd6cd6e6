"""Which ITA item a memo answers (the memo sent from the draft its work opened), and the stable
public address of that item: what the office gives the assessors, unchanged when a document is
superseded."""

from dataclasses import dataclass

from sqlmodel import Session, select

from models import ItaItem, ItaWork, Organisation, Publication, PublicationRequest
from models.settings import get_settings
from models.web import SavedDraft


@dataclass(frozen=True)
class MemoItem:
    work: ItaWork
    item: ItaItem


def item_of_memo(session: Session, memo_id: int) -> MemoItem | None:
    row = session.exec(
        select(ItaWork, ItaItem)
        .join(SavedDraft, SavedDraft.id == ItaWork.draft_id)
        .join(ItaItem, ItaItem.id == ItaWork.item_id)
        .where(SavedDraft.sent_memo_id == memo_id)
    ).first()
    return MemoItem(*row) if row else None


def item_page_address(org: Organisation, fiscal_year: int, code: str) -> str:
    """/public/<org>/ita/<fiscal year>/<item code>, from the public base address when one is set."""
    return f"{get_settings().public_base_url.rstrip('/')}/public/{org.code}/ita/{fiscal_year}/{code}"


@dataclass(frozen=True)
class RequestOwed:
    publication_id: int
    address: str


def publication_request_owed(session: Session, memo_id: int) -> RequestOwed | None:
    """The published memo's item asks for a publication request and it has none yet: where the
    form must say the document is published (the item's page)."""
    found = item_of_memo(session, memo_id)
    if found is None or not found.item.publication_request_required:
        return None
    publication = session.exec(select(Publication).where(Publication.memo_id == memo_id)).first()
    if publication is None:
        return None
    made = session.exec(select(PublicationRequest.id).where(PublicationRequest.publication_id == publication.id))
    if made.first() is not None:
        return None
    org = session.get(Organisation, found.item.organisation_id)
    return RequestOwed(publication.id, item_page_address(org, found.item.fiscal_year, found.item.code))
