"""Which ITA item a memo answers (the memo sent from the draft its work opened, as its submission
recorded: models.ita.ItaWorkMemo), and the stable
public address of that item: what the office gives the assessors, unchanged when a document is
superseded."""

from dataclasses import dataclass

from sqlmodel import Session, select

from models import ItaItem, ItaWork, ItaWorkMemo, Organisation, Publication, PublicationRequest
from models.settings import get_settings
from services.acknowledgements.asking import request_of
from services.ita.year_view import item_page_url


@dataclass(frozen=True)
class MemoItem:
    work: ItaWork
    item: ItaItem


def item_of_memo(session: Session, memo_id: int) -> MemoItem | None:
    row = session.exec(
        select(ItaWork, ItaItem)
        .join(ItaWorkMemo, ItaWorkMemo.work_id == ItaWork.id)
        .join(ItaItem, ItaItem.id == ItaWork.item_id)
        .where(ItaWorkMemo.memo_id == memo_id)
    ).first()
    return MemoItem(*row) if row else None


def item_page_address(org: Organisation, fiscal_year: int, code: str) -> str:
    """/public/<org>/ita/<fiscal year>/<item code>, from the public base address when one is set."""
    return item_page_url(get_settings().public_base_url, org.code, fiscal_year, code)


@dataclass(frozen=True)
class EvidenceOwed:
    """What a published memo's ITA item asks for beside the publication and does not have yet."""

    publication_id: int
    request_address: str = ""  # the publication request, addressed to the item's page ("": none owed)
    acknowledgements: bool = False  # the staff asked to acknowledge it (the item's circular)

    def __bool__(self) -> bool:
        return bool(self.request_address or self.acknowledgements)


def evidence_owed(session: Session, memo_id: int) -> EvidenceOwed | None:
    """None when the memo answers no ITA item, is not published, or has all its item asks for."""
    found = item_of_memo(session, memo_id)
    if found is None:
        return None
    publication = session.exec(select(Publication).where(Publication.memo_id == memo_id)).first()
    if publication is None:
        return None
    address = ""
    if found.item.publication_request_required:
        made = session.exec(select(PublicationRequest.id).where(PublicationRequest.publication_id == publication.id))
        if made.first() is None:
            org = session.get(Organisation, found.item.organisation_id)
            address = item_page_address(org, found.item.fiscal_year, found.item.code)
    asked = found.item.circular_required and request_of(session, memo_id) is None
    owed = EvidenceOwed(publication.id, address, asked)
    return owed if owed else None
