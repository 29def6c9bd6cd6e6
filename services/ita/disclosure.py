"""A disclosure item's live address (the page of the organisation's structure, its contacts ...):
given, and confirmed again each year, by whoever holds the item's responsible position, or an
administrator. Recorded on the item's latest opened period (ItaWork.url) and in the audit chain.
"""

from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from models import Holding, ItaItem, ItaWork, Organisation, Person, audit
from models.clock import utcnow
from models.rules import Refused
from services.errors import BadInput
from services.public_hosts import may_fetch

MAX_URL = 2000


class NoSuchItem(BadInput):
    """Not an item of the organisation's catalogue (another organisation's is no item): a page says 404."""


NOT_YOURS = Refused(
    "not-responsible",
    "เฉพาะผู้รับผิดชอบรายการนี้หรือผู้ดูแลระบบเท่านั้นที่ให้ที่อยู่ได้ "
    "(only the holder of the item's responsible position or an administrator may give its address)",
)


def organisation_item(session: Session, org: Organisation, item_id: int) -> ItaItem:
    item = session.get(ItaItem, item_id)
    if item is None or item.organisation_id != org.id:  # another organisation's item is no item
        raise NoSuchItem("ไม่พบรายการ ITA นี้ของหน่วยงาน (no such ITA item in your organisation)", field="item")
    return item


def may_give_address(session: Session, person: Person, item: ItaItem) -> bool:
    if person.organisation_id != item.organisation_id or not person.active:
        return False
    if person.is_admin:
        return True
    held = session.exec(
        select(Holding.id).where(Holding.person_id == person.id, Holding.position_id == item.position_id)
    ).first()
    return held is not None


def give_address(session: Session, org: Organisation, person: Person, *, item_id: int, url: str) -> ItaWork:
    """Record (or confirm, when the same) the disclosure item's address on its latest period."""
    item = organisation_item(session, org, item_id)
    if item.shape != "disclosure":
        raise BadInput(
            f"รายการ {item.code} ไม่ใช่รายการเปิดเผยข้อมูล ที่อยู่ของรายการนี้มาจากเอกสารที่เผยแพร่ "
            f"(item {item.code} is not a disclosure item: its link comes from what it publishes)",
            field="item",
        )
    if not may_give_address(session, person, item):
        raise NOT_YOURS
    address = check_address(url)
    work = session.exec(
        select(ItaWork)
        .where(ItaWork.item_id == item.id)
        .order_by(col(ItaWork.opened_at).desc(), col(ItaWork.id).desc())
    ).first()
    if work is None:
        raise BadInput(
            f"รายการ {item.code} ยังไม่เปิดงานของปีนี้ รอให้ระบบเปิดงานตามรอบ หรือให้ผู้ดูแลเปิดด้วยคำสั่ง saraban ita open "
            f"(item {item.code} is not opened for the year yet)",
            field="item",
        )
    before = work.url
    work.url, work.url_given_by, work.url_given_at = address, person.username, utcnow()
    session.add(work)
    audit.append(
        session,
        actor=person.username,
        action="ita.disclosure.confirmed" if before == address else "ita.disclosure.given",
        subject=f"organisation:{org.code}",
        data={"fiscal_year": item.fiscal_year, "item": item.code, "period": work.period, "from": before, "to": address},
    )
    return work


def check_address(url: str) -> str:
    """A whole web address (http or https, with a host), as typed less the spaces around it."""
    address = url.strip()
    parts = urlsplit(address) if len(address) <= MAX_URL and not any(c.isspace() for c in address) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(
            "ที่อยู่ต้องเป็นที่อยู่เว็บเต็ม ขึ้นต้นด้วย https:// หรือ http:// เช่น https://www.kokphutsa.go.th/structure "
            "(give the whole web address, starting with https:// or http://)",
            field="url",
        )
    if not may_fetch(parts.hostname):
        raise BadInput(
            "ที่อยู่นี้ไม่ใช่เว็บไซต์สาธารณะ (ชี้เข้าเครือข่ายภายในหรือหาไม่พบ) ผู้ประเมินจะเปิดไม่ได้ ให้ใช้ที่อยู่ที่เปิดจาก"
            "อินเทอร์เน็ตได้ (the address is not a public website: inside the network or not found; give one the "
            "assessors can open from the internet)",
            field="url",
        )
    return address
