"""The link checker over a whole ITA year (the office's "ตรวจลิงก์", `saraban ita check-links`):
for every item with something published, the item's public page (the address given to ITAS),
every file of the announcement in force checked against its recorded SHA-256
(services.publication.link_check), its publication request form, and a disclosure item's address.

The links are built in the database session; fetching them happens after, outside it."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlmodel import Session, select

from models import Organisation, PublicationRequest
from services.ita.work_status import PUBLISHED, year_states
from services.ita.year_view import item_page_url
from services.publication.link_check import Link, LinkResult, check_links, publication_links


@dataclass(frozen=True)
class ItemLinks:
    code: str
    title: str
    links: list[Link]


@dataclass(frozen=True)
class ItemCheck:
    code: str
    title: str
    results: list[LinkResult]

    @property
    def problems(self) -> list[LinkResult]:
        return [r for r in self.results if not r.ok]


def year_links(
    session: Session, org: Organisation, fiscal_year: int, now: dt.datetime, base_url: str
) -> list[ItemLinks]:
    """What to fetch for each item that has something published (items with nothing are left out)."""
    found = []
    for state in year_states(session, org, fiscal_year, now):
        published = [w for w in state.works if w.status == PUBLISHED]
        if not published:
            continue
        links = [Link("หน้ารายการ ITA (ลิงก์ที่ส่ง ITAS)", item_page_url(base_url, org.code, fiscal_year, state.item.code))]
        for work in published:
            if work.publication is None:  # a disclosure item: its address need only answer
                links.append(Link(f"ที่อยู่ที่เปิดเผย {work.work.period_title}", work.work.url, typed=True))
                continue
            links += publication_links(session, org, work.publication, base_url)
            links += _request_links(session, org, work.publication.id, base_url)
        found.append(ItemLinks(state.item.code, state.item.title, links))
    return found


def check_year(items: list[ItemLinks], client: httpx.Client | None = None) -> list[ItemCheck]:
    """Every link fetched (side by side), reported per item in the catalogue's order."""
    results = iter(check_links([link for item in items for link in item.links], client))
    return [ItemCheck(item.code, item.title, [next(results) for _ in item.links]) for item in items]


def _request_links(session: Session, org: Organisation, publication_id: int, base_url: str) -> list[Link]:
    request = session.exec(
        select(PublicationRequest).where(PublicationRequest.publication_id == publication_id)
    ).first()
    if request is None:
        return []
    page = f"{base_url.rstrip('/')}/public/{org.code}/{publication_id}/request"
    files = [("Word", request.docx_path, request.docx_sha256), ("PDF", request.pdf_path, request.pdf_sha256)]
    return [Link(f"แบบขออนุญาตเผยแพร่ ({kind})", f"{page}/{Path(path).name}", sha) for kind, path, sha in files if path]
