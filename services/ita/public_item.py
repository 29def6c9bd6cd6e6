"""What the public reads of an organisation's ITA year: the catalogue's items with whether each is
published (/public/<org>/ita/<year>), and one item's page (/public/<org>/ita/<year>/<code>): for
each period, the announcement in force with its signed files and their hashes, who asked to
publish, who approved (in which capacity) and who posted it, the publication request form, the
staff's acknowledgements of a circular, or a disclosure item's address; then the announcements
it replaced, marked. Nothing internal: a draft or a memo in approval shows as not yet published.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from models import ItaCatalogue, ItaItem, ItaWorkMemo, Organisation, Person, Publication, PublicationRequest
from models.audit import unvouched_rows
from services.acknowledgements.acknowledging import acknowledgement_rows
from services.errors import BadInput
from services.ita.catalogue_view import catalogue_of
from services.ita.work_status import PUBLISHED, ItemState, WorkState, year_states
from services.publication.public import Approval, PublicAnnouncement, published_one

log = logging.getLogger(__name__)
SYSTEM_POSTER = "ระบบสารบรรณอิเล็กทรอนิกส์ (เผยแพร่โดยอัตโนมัติ)"


@dataclass(frozen=True)
class PublicYearItem:
    code: str
    title: str
    indicator: str
    published: bool
    published_at: dt.datetime | None  # the latest period's (a disclosure: when its address was given)


@dataclass(frozen=True)
class PublishedDocument:
    """One announcement of the item, with the record the assessors ask for beside it."""

    announcement: PublicAnnouncement
    requested_by: str  # the drafter's full name
    approval: Approval | None  # the final sign-off, with the capacity (acting ...)
    posted_by: str
    request: PublicationRequest | None  # the publication request form, when one was made
    acknowledgements: list[tuple[str, str, dt.datetime]]  # (name, positions, when) of a circular
    in_force: bool


@dataclass
class PublicPeriod:
    title: str
    current: PublishedDocument | None = None
    history: list[PublishedDocument] = field(default_factory=list)  # newest first, each marked
    address: str = ""  # a disclosure item's live address
    address_given_at: dt.datetime | None = None


@dataclass(frozen=True)
class PublicItem:
    catalogue: ItaCatalogue
    item: ItaItem
    periods: list[PublicPeriod]  # oldest first, only those opened

    @property
    def published(self) -> bool:
        return any(p.current or p.address for p in self.periods)


def public_catalogue(session: Session, org: Organisation, fiscal_year: int) -> ItaCatalogue:
    catalogue = catalogue_of(session, org, fiscal_year)
    if catalogue is None:
        raise BadInput(f"ไม่พบรายการ ITA ปีงบประมาณ {fiscal_year} ของ{org.name} (no ITA catalogue for {fiscal_year})")
    return catalogue


def public_year(session: Session, org: Organisation, fiscal_year: int, now: dt.datetime) -> list[PublicYearItem]:
    public_catalogue(session, org, fiscal_year)
    states = year_states(session, org, fiscal_year, now)
    hidden = _unvouched(session, org, states)
    return [_year_item(state, hidden) for state in states]


def public_item(session: Session, org: Organisation, fiscal_year: int, code: str, now: dt.datetime) -> PublicItem:
    catalogue = public_catalogue(session, org, fiscal_year)
    wanted = code.strip().upper()
    state = next((s for s in year_states(session, org, fiscal_year, now) if s.item.code.upper() == wanted), None)
    if state is None:
        raise BadInput(f"ไม่พบรายการ {code} ในปีงบประมาณ {fiscal_year} (no item {code} in {fiscal_year})")
    hidden = _unvouched(session, org, [state])
    return PublicItem(catalogue, state.item, [_period(session, org, work, hidden) for work in state.works])


def _unvouched(session: Session, org: Organisation, states: list[ItemState]) -> set[int]:
    """The works whose public answer the audit chain does not vouch for: a disclosure address, or
    the link to the memo whose publication the page would show, written into the database by hand
    (an address or a document of anyone's choosing under the item). Not shown; `saraban audit
    verify` names the row."""
    hidden: set[int] = set()
    given = [("itawork", w.work.id or 0) for s in states for w in s.works if w.work.draft_id is None and w.work.url]
    if given:
        hidden |= {row_id for _table, row_id in unvouched_rows(session, f"organisation:{org.code}", given)}
    answered = {w.memo.id: w.work.id for s in states for w in s.works if w.memo is not None and w.line is not None}
    links = session.exec(
        select(ItaWorkMemo.id, ItaWorkMemo.memo_id).where(col(ItaWorkMemo.memo_id).in_(list(answered)))
    ).all()
    for link_id, memo_id in links:
        if unvouched_rows(session, f"memo:{memo_id}", [("itaworkmemo", link_id or 0)]):
            hidden.add(answered[memo_id])
    for work_id in sorted(hidden):
        log.warning("ITA work %s: its answer is not the one the audit chain records; not shown", work_id)
    return hidden


def _shows_address(work: WorkState, hidden: set[int]) -> bool:
    return work.work.draft_id is None and bool(work.work.url) and work.work.id not in hidden


def _year_item(state: ItemState, hidden: set[int]) -> PublicYearItem:
    published = [w for w in state.works if w.status == PUBLISHED and w.work.id not in hidden]
    last = published[-1] if published else None
    when = (last.publication.published_at if last.publication else last.work.url_given_at) if last else None
    return PublicYearItem(state.item.code, state.item.title, state.item.indicator, last is not None, when)


def _period(session: Session, org: Organisation, work: WorkState, hidden: set[int]) -> PublicPeriod:
    period = PublicPeriod(work.work.period_title)
    if work.work.draft_id is None:  # a disclosure item: its address, once given (and vouched for)
        if _shows_address(work, hidden):
            period.address, period.address_given_at = work.work.url, work.work.url_given_at
        return period
    if work.line is None or work.work.id in hidden:
        return period  # not published yet (or not as the chain records it): nothing of it is public
    if work.line.in_force is not None:
        period.current = _document(session, org, work.line.in_force, in_force=True)
    period.history = [_document(session, org, p, in_force=False) for p, _ in reversed(work.line.history)]
    return period


def _document(session: Session, org: Organisation, publication: Publication, *, in_force: bool) -> PublishedDocument:
    announcement = published_one(session, org, publication.id)
    drafter = session.get(Person, publication.requested_by_id) if publication.requested_by_id else None
    request = session.exec(
        select(PublicationRequest).where(PublicationRequest.publication_id == publication.id)
    ).first()
    return PublishedDocument(
        announcement=announcement,
        requested_by=drafter.full_name if drafter else "-",
        approval=announcement.final_approval,
        posted_by=_poster(session, org, publication.posted_by),
        request=request,
        acknowledgements=acknowledgement_rows(session, publication.memo_id),
        in_force=in_force,
    )


def _poster(session: Session, org: Organisation, posted_by: str) -> str:
    if not posted_by or posted_by == "system":
        return SYSTEM_POSTER
    person = session.exec(select(Person).where(Person.organisation_id == org.id, Person.username == posted_by)).first()
    return person.full_name if person else posted_by


def request_file(session: Session, org: Organisation, publication_id: int, name: str) -> tuple[PublicationRequest, str]:
    """The publication request of the organisation's publication, by its stored file name
    (compared with the names on record, never used as a path): the row and the file's path."""
    published_one(session, org, publication_id)  # the organisation's own publication, or BadInput
    request = session.exec(
        select(PublicationRequest).where(PublicationRequest.publication_id == publication_id)
    ).first()
    paths = [p for p in ((request.docx_path, request.pdf_path) if request else ()) if p]
    found = next((p for p in paths if Path(p).name == name), None)
    if request is None or found is None:
        raise BadInput("ไม่พบไฟล์ (no such file)")
    return request, found
