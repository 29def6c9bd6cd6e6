"""An organisation's adopted ITA catalogue as people read it (`saraban ita items`, /admin/ita):
only its own, never another organisation's."""

import datetime as dt
import json
from dataclasses import dataclass

from sqlmodel import Session, select

from models import ItaCatalogue, ItaItem, Organisation, Position
from models.ita import FROM_ADMIN, FROM_CATALOGUE, FROM_ORGANISATION_FILE
from services.errors import BadInput

SHAPE_WORDS = {
    "announcement": "ประกาศ",
    "order": "คำสั่ง",
    "circular": "หนังสือเวียน",
    "plan": "แผน",
    "report": "รายงานผล",
    "disclosure": "เปิดเผยข้อมูล",
}
CADENCE_WORDS = {"yearly": "รายปี", "six-monthly": "ทุก ๖ เดือน", "monthly": "รายเดือน", "on-demand": "เมื่อมีกรณี"}
SOURCE_WORDS = {FROM_CATALOGUE: "ค่าเริ่มต้นของแคตตาล็อก", FROM_ORGANISATION_FILE: "แฟ้มหน่วยงาน", FROM_ADMIN: "ผู้ดูแลระบบ"}


@dataclass(frozen=True)
class ItemLine:
    id: int
    code: str
    title: str
    indicator: str
    shape: str
    cadence: str
    due: str  # "2027-03-31", or "30 days after opening" / "20 working days after opening"
    due_on: dt.date | None
    due_days_after_opening: int | None
    due_in_working_days: bool
    position_code: str
    position_title: str
    position_source: str
    circular_required: bool
    publication_request_required: bool
    attachments: list[str]
    uncertain: str
    opened: bool


def catalogue_of(session: Session, org: Organisation, fiscal_year: int) -> ItaCatalogue | None:
    return session.exec(
        select(ItaCatalogue).where(ItaCatalogue.organisation_id == org.id, ItaCatalogue.fiscal_year == fiscal_year)
    ).first()


def no_catalogue(org: Organisation, fiscal_year: int) -> BadInput:
    """What to say when the organisation has adopted no catalogue for the year, and what to do."""
    return BadInput(
        f"{org.name} ยังไม่ได้รับแคตตาล็อก ITA ปีงบประมาณ {fiscal_year} ใช้คำสั่ง saraban ita load "
        f"(no ITA catalogue adopted for {fiscal_year}: `saraban ita load FILE --org {org.code}`)",
        field="fiscal_year",
    )


def adopted_years(session: Session, org: Organisation) -> list[int]:
    rows = session.exec(select(ItaCatalogue.fiscal_year).where(ItaCatalogue.organisation_id == org.id))
    return sorted(rows, reverse=True)


def item_lines(session: Session, org: Organisation, fiscal_year: int) -> list[ItemLine]:
    rows = session.exec(
        select(ItaItem, Position)
        .join(Position, Position.id == ItaItem.position_id)
        .where(ItaItem.organisation_id == org.id, ItaItem.fiscal_year == fiscal_year)
        .order_by(ItaItem.ordinal)
    )
    return [_line(item, position) for item, position in rows]


def _line(item: ItaItem, position: Position) -> ItemLine:
    return ItemLine(
        id=item.id,
        code=item.code,
        title=item.title,
        indicator=item.indicator,
        shape=item.shape,
        cadence=item.cadence,
        due=due_text(item),
        due_on=item.due_on,
        due_days_after_opening=item.due_days_after_opening,
        due_in_working_days=item.due_in_working_days,
        position_code=position.code,
        position_title=position.title,
        position_source=item.position_source,
        circular_required=item.circular_required,
        publication_request_required=item.publication_request_required,
        attachments=json.loads(item.attachments_json),
        uncertain=item.uncertain,
        opened=item.opened_at is not None,
    )


def due_text(item: ItaItem) -> str:
    if item.due_on is not None:
        return item.due_on.isoformat()
    if item.due_days_after_opening is not None:
        days = "working days" if item.due_in_working_days else "days"
        return f"{item.due_days_after_opening} {days} after opening"
    return "-"
