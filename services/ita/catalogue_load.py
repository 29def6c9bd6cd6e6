"""An organisation adopts an ITA catalogue for its fiscal year (`saraban ita load FILE --org CODE`).

Loading the same file again changes nothing (and writes no audit entry). Loading a changed file
for the same year updates the items not yet opened and says what changed; an item already opened
(ItaItem.opened_at, set by the year opening) stays as it is, and is reported as kept. Every item
must find its position in the organisation, or nothing is saved.
"""

import hashlib
import json
from dataclasses import dataclass, field

from sqlmodel import Session, select

from models import ItaCatalogue, ItaItem, Organisation, Position, audit
from models.clock import utcnow
from models.ita import FROM_ADMIN
from services.errors import BadInput
from services.ita.catalogue_format import Catalogue, Item
from services.ita.item_templates import missing_templates
from services.ita.positions import default_position, file_choices, positions_of


@dataclass
class Adoption:
    """What a load did, item code by item code."""

    organisation: str
    fiscal_year: int
    scheme: str
    new_catalogue: bool = False
    details_changed: bool = False  # the scheme, sources or notes, beside the items
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # code -> the fields changed
    removed: list[str] = field(default_factory=list)
    kept_opened: list[str] = field(default_factory=list)  # differ in the file, but already opened
    unchanged: list[str] = field(default_factory=list)
    # The organisation file's `ita:` codes this catalogue has no item for (another year's numbering?).
    unused_choices: list[str] = field(default_factory=list)
    # Items whose templates the organisation has none of (code -> the names): their drafts start
    # as a general announcement until one is added.
    missing_templates: dict[str, list[str]] = field(default_factory=dict)

    @property
    def anything_changed(self) -> bool:
        return self.new_catalogue or self.details_changed or bool(self.added or self.changed or self.removed)


def organisation_named(session: Session, code: str) -> Organisation:
    org = session.exec(select(Organisation).where(Organisation.code == code)).first()
    if org is None:
        raise BadInput(f"ไม่พบหน่วยงานรหัส {code} (no organisation with code {code})", field="org")
    return org


def adopt_catalogue(
    session: Session, org: Organisation, catalogue: Catalogue, *, actor: str, source_file: str = ""
) -> Adoption:
    """Adopt `catalogue` for `org`, in the caller's transaction; refused whole when the catalogue is
    for another kind of agency or an item's position is not in the organisation."""
    if org.kind not in catalogue.agency.kinds:
        raise BadInput(
            f"แคตตาล็อกนี้สำหรับหน่วยงานประเภท {', '.join(catalogue.agency.kinds)} แต่{org.name}เป็นประเภท {org.kind} "
            f"(this catalogue is for agencies of kind {', '.join(catalogue.agency.kinds)}; {org.code} is {org.kind})",
            field="org",
        )
    wanted = _resolved(session, org, catalogue)
    row = session.exec(
        select(ItaCatalogue).where(
            ItaCatalogue.organisation_id == org.id, ItaCatalogue.fiscal_year == catalogue.fiscal_year
        )
    ).first()
    report = Adoption(org.code, catalogue.fiscal_year, catalogue.scheme, new_catalogue=row is None)
    content = catalogue.model_dump_json()
    digest = hashlib.sha256(content.encode()).hexdigest()
    if row is None:
        row = ItaCatalogue(
            organisation_id=org.id,
            fiscal_year=catalogue.fiscal_year,
            scheme=catalogue.scheme,
            agency_title=catalogue.agency.title,
            opens_on=catalogue.first_day,
            source_file=source_file,
            content_sha256=digest,
            content_json=content,
            adopted_by=actor,
        )
        session.add(row)
        session.flush()
    elif row.content_sha256 != digest:
        report.details_changed = True
        row.scheme, row.agency_title, row.opens_on = catalogue.scheme, catalogue.agency.title, catalogue.first_day
        row.content_sha256, row.content_json, row.source_file = digest, content, source_file or row.source_file
        row.updated_at = utcnow()
        session.add(row)
    _apply_items(session, org, row, wanted, report)
    choices = file_choices(session, org)
    report.unused_choices = sorted(set(choices) - {i.code.upper() for i in catalogue.items})
    report.missing_templates = missing_templates(org, {i.code: i.documents.templates for i in catalogue.items})
    if report.anything_changed:
        audit.append(
            session,
            actor=actor,
            action="ita.catalogue.adopted" if report.new_catalogue else "ita.catalogue.updated",
            subject=f"organisation:{org.code}",
            data={
                "fiscal_year": catalogue.fiscal_year,
                "scheme": catalogue.scheme,
                "sha256": digest,
                "added": report.added,
                "changed": report.changed,
                "removed": report.removed,
                "kept_opened": report.kept_opened,
            },
        )
    return report


def _resolved(session: Session, org: Organisation, catalogue: Catalogue) -> list[tuple[Item, Position, str]]:
    """Each item with its default position here, or BadInput naming every item that has none."""
    positions, choices = positions_of(session, org), file_choices(session, org)
    found, missing = [], []
    for item in catalogue.items:
        position, source = default_position(positions, choices, item.code, item.responsible)
        if position is None:
            missing.append(
                f"  รายการ {item.code} (item {item.code}), ช่อง responsible (field responsible): ไม่พบตำแหน่ง "
                f"{' / '.join(item.responsible)} ใน{org.name} (no such position in {org.code}; give a position "
                f"code or title of the organisation, or choose one for {item.code} in the organisation file's ita: section)"
            )
        else:
            found.append((item, position, source))
    if missing:
        raise BadInput(
            "แคตตาล็อก ITA ไม่ถูกต้อง ไม่ได้บันทึกสิ่งใด (invalid ITA catalogue, nothing saved):\n" + "\n".join(missing)
        )
    return found


def _apply_items(
    session: Session,
    org: Organisation,
    catalogue: ItaCatalogue,
    wanted: list[tuple[Item, Position, str]],
    report: Adoption,
) -> None:
    rows = {
        r.code: r
        for r in session.exec(
            select(ItaItem).where(ItaItem.catalogue_id == catalogue.id, ItaItem.organisation_id == org.id)
        )
    }
    for ordinal, (item, position, source) in enumerate(wanted, start=1):
        values = _columns(item, ordinal)
        row = rows.pop(item.code, None)
        if row is None:
            session.add(
                ItaItem(
                    catalogue_id=catalogue.id,
                    organisation_id=org.id,
                    fiscal_year=catalogue.fiscal_year,
                    position_id=position.id,
                    position_source=source,
                    **values,
                )
            )
            report.added.append(item.code)
            continue
        if row.position_source != FROM_ADMIN:  # an administrator's choice outlives a reload
            values |= {"position_id": position.id, "position_source": source}
        differ = [name for name, value in values.items() if getattr(row, name) != value]
        if not differ:
            report.unchanged.append(item.code)
        elif row.opened_at is not None:
            report.kept_opened.append(item.code)
        else:
            for name in differ:
                setattr(row, name, values[name])
            row.updated_at = utcnow()
            session.add(row)
            report.changed[item.code] = differ
    for code, row in rows.items():  # in the table, no longer in the file
        if row.opened_at is not None:
            report.kept_opened.append(code)
        else:
            session.delete(row)
            report.removed.append(code)


def _columns(item: Item, ordinal: int) -> dict[str, object]:
    """The item's columns as the file gives them (the position aside)."""
    due = item.due
    return {
        "code": item.code,
        "ordinal": ordinal,
        "title": item.title,
        "indicator": " / ".join(part for part in (item.indicator, item.sub_indicator) if part),
        "shape": item.shape,
        "cadence": item.cadence,
        "opens_on": item.opens_on,
        "due_on": due.date if due else None,
        "due_days_after_opening": due.days_after_opening if due else None,
        "due_in_working_days": due.working_days if due else False,
        "document_kinds": ",".join(item.documents.kinds),
        "templates": ",".join(item.documents.templates),
        "attachments_json": json.dumps(item.documents.attachments, ensure_ascii=False),
        "circular_required": item.documents.circular_required,
        "publication_request_required": item.documents.publication_request_required,
        "responsible_json": json.dumps(item.responsible, ensure_ascii=False),
        "uncertain": item.uncertain,
    }
