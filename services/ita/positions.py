"""Who answers for an ITA item in one organisation: the catalogue's default (a position code or
Thai title, several tried in turn), the organisation file's `ita:` choice for the item's code, or
an administrator's choice for this year's item (/admin/ita), strongest last."""

import json

from sqlmodel import Session, select

from models import ItaItem, ItaPositionChoice, Organisation, Position, audit
from models.clock import utcnow
from models.ita import FROM_ADMIN, FROM_CATALOGUE, FROM_ORGANISATION_FILE
from services.errors import BadInput


def position_for(positions: list[Position], names: list[str]) -> Position | None:
    """The first of `names` that names exactly one of `positions`: by code, full title or short
    title, as services.accounts.chain_editing.position_named reads a name (spaces aside)."""
    for name in names:
        wanted = " ".join(name.split())
        for field in ("code", "title", "short_title"):
            found = [p for p in positions if " ".join(getattr(p, field).split()) == wanted]
            if len(found) == 1:
                return found[0]
    return None


def positions_of(session: Session, org: Organisation) -> list[Position]:
    return list(session.exec(select(Position).where(Position.organisation_id == org.id).order_by(Position.id)))


def file_choices(session: Session, org: Organisation) -> dict[str, int]:
    """The organisation file's `ita:` section: item code (upper case) -> position id."""
    rows = session.exec(select(ItaPositionChoice).where(ItaPositionChoice.organisation_id == org.id))
    return {row.item_code.upper(): row.position_id for row in rows}


def default_position(
    positions: list[Position], choices: dict[str, int], code: str, names: list[str]
) -> tuple[Position | None, str]:
    """The item's position before any administrator's choice, and where it came from."""
    chosen = choices.get(code.upper())
    if chosen is not None:
        return next(p for p in positions if p.id == chosen), FROM_ORGANISATION_FILE
    return position_for(positions, names), FROM_CATALOGUE


def set_item_position(
    session: Session, org: Organisation, *, actor: str, item_id: int, position: str, note: str = ""
) -> ItaItem:
    """An administrator's choice of who answers for one item of the organisation's catalogue;
    a later load of the catalogue keeps it. Audited."""
    item = session.get(ItaItem, item_id)
    if item is None or item.organisation_id != org.id:  # another organisation's item is no item
        raise BadInput("ไม่พบรายการ ITA นี้ของหน่วยงาน (no such ITA item in your organisation)", field="item")
    chosen = position_for(positions_of(session, org), [position]) if position.strip() else None
    if chosen is None or chosen.id is None:
        raise BadInput(
            f'ไม่พบตำแหน่ง "{position}" ในหน่วยงาน กรุณาเลือกจากรายการ (unknown position "{position}": choose one from the list)',
            field="position",
        )
    before = session.get(Position, item.position_id)
    if chosen.id == item.position_id and item.position_source == FROM_ADMIN:
        return item
    item.position_id, item.position_source, item.updated_at = chosen.id, FROM_ADMIN, utcnow()
    session.add(item)
    audit.append(
        session,
        actor=actor,
        action="ita.position.set",
        subject=f"organisation:{org.code}",
        data={
            "fiscal_year": item.fiscal_year,
            "item": item.code,
            "from": before.code if before else None,
            "to": chosen.code,
            "note": note.strip(),
        },
    )
    return item


def responsible_names(item: ItaItem) -> list[str]:
    return list(json.loads(item.responsible_json))
