"""The link checker an office runs before giving its links to the assessors (ITAS): every public
address of what it published answers, and every file it serves is, byte for byte, the one the
publication recorded (its SHA-256). A file replaced or damaged on disk, a page gone, a website
moved: each is named with what to do.

The addresses are built from the publication records, never from what happens to be on disk, so
a file that is missing is reported instead of being silently left off the page. They are fetched
over HTTP from the public base address, as an assessor's browser would."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlmodel import Session

from models import Organisation, Publication
from services.publication.published_attachments import publication_attachments

OK, UNREACHABLE, ALTERED = "ok", "unreachable", "altered"
FETCH_SECONDS = 20
AT_ONCE = 8  # addresses fetched side by side


@dataclass(frozen=True)
class Link:
    label: str  # what the address is, in Thai: "ประกาศ (PDF)"
    url: str
    sha256: str = ""  # the bytes it must serve; empty: it need only answer


@dataclass(frozen=True)
class LinkResult:
    link: Link
    status: str  # OK, UNREACHABLE or ALTERED
    detail: str = ""  # in Thai and English: what was found and what to do

    @property
    def ok(self) -> bool:
        return self.status == OK


def publication_links(session: Session, org: Organisation, publication: Publication, base_url: str) -> list[Link]:
    """The public page of one publication and every file it serves, with the recorded hashes."""
    page = f"{base_url.rstrip('/')}/public/{org.code}/{publication.id}"
    links = [
        Link("หน้าประกาศ (announcement page)", page),
        Link("ประกาศ (Word)", f"{page}/{Path(publication.announcement_path).name}", publication.announcement_sha256),
    ]
    if publication.announcement_pdf_path:
        name = Path(publication.announcement_pdf_path).name
        links.append(Link("ประกาศ (PDF)", f"{page}/{name}", publication.announcement_pdf_sha256))
    links += [
        Link(f"สิ่งที่ส่งมาด้วย {attachment.name}", f"{page}/attachments/{attachment.sha256}", attachment.sha256)
        for attachment in publication_attachments(session, publication)
    ]
    return links


def check_links(links: list[Link], client: httpx.Client | None = None) -> list[LinkResult]:
    """Each link fetched (redirects followed), in the order given."""
    own = client is None
    http = client or httpx.Client(timeout=FETCH_SECONDS, follow_redirects=True)
    try:
        with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
            return list(pool.map(lambda link: _check(http, link), links))
    finally:
        if own:
            http.close()


def _check(http: httpx.Client, link: Link) -> LinkResult:
    try:
        response = http.get(link.url)
    except httpx.HTTPError as error:
        return LinkResult(link, UNREACHABLE, f"เปิดไม่ได้ ({type(error).__name__}): ตรวจที่อยู่และเว็บไซต์ (unreachable)")
    if response.status_code != 200:
        return LinkResult(
            link,
            UNREACHABLE,
            f"ตอบกลับ {response.status_code}: ที่อยู่นี้ใช้ไม่ได้แล้ว แก้หรือเผยแพร่ใหม่ (answers {response.status_code})",
        )
    if link.sha256 and hashlib.sha256(response.content).hexdigest() != link.sha256:
        return LinkResult(
            link,
            ALTERED,
            "ไฟล์ไม่ตรงกับที่บันทึกไว้ตอนเผยแพร่: มีการแก้ไขหรือแทนที่ไฟล์ นำไฟล์เดิมกลับจากสำรองข้อมูล "
            "(the file served differs from the one published: restore it from a backup)",
        )
    return LinkResult(link, OK)
