"""An organisation's ITA year as the office reads it (/ita/<year>, `saraban ita status|export`):
one row per catalogue item with where it stands, who holds it, when it is due in working days,
and the one public address per item the office gives the assessors (ITAS).

The address names the item, not a document (/public/<org>/ita/<year>/<code>): it stays the same
when the item's announcement is superseded, so the link handed in in March still works in June.
"""

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models import Holding, ItaCatalogue, Organisation, Person, Position
from models.deadlines import calendar_of
from models.holiday_calendar import HolidayCalendar
from models.workdays import closing_moment, working_days_between
from services.ita.catalogue_view import catalogue_of
from services.ita.work_status import PUBLISHED, STATUS_TITLES, ItemState, coverage, year_states

LATE = "late"
LATE_TITLE = "เลยกำหนด"
# The office page's groups, what needs doing first at the top.
GROUPS = (LATE, "ended", "in-approval", "drafting", "opened", "not-opened", PUBLISHED)
GROUP_TITLES = {LATE: LATE_TITLE, **STATUS_TITLES}


@dataclass(frozen=True)
class YearRow:
    item_id: int
    code: str
    title: str
    indicator: str
    shape: str
    status: str  # work_status's key
    status_title: str  # in Thai
    late: bool
    holder: str  # who must act now, or the responsible position and who holds it
    position_id: int
    period_title: str  # the latest opened period's ("" when not opened)
    due_at: dt.datetime | None
    working_days_left: int | None  # before the due moment (None: no due date, or late)
    working_days_overdue: int | None  # past it (None: not late)
    published_at: dt.datetime | None  # the latest published period's (a disclosure: when its address was given)
    public_url: str  # the item's public page: the link for ITAS
    disclosure_url: str  # a disclosure item's address as given ("" otherwise)
    opened: bool

    @property
    def group(self) -> str:
        return LATE if self.late else self.status


@dataclass(frozen=True)
class YearView:
    org: Organisation
    fiscal_year: int
    catalogue: ItaCatalogue | None
    rows: list[YearRow]
    coverage: float  # per cent of items with a live link

    def grouped(self) -> list[tuple[str, str, list[YearRow]]]:
        """(group, Thai title, rows) of each group that has rows, in GROUPS' order."""
        return [
            (group, GROUP_TITLES[group], rows)
            for group in GROUPS
            if (rows := [row for row in self.rows if row.group == group])
        ]


def item_page_url(base_url: str, org_code: str, fiscal_year: int, code: str) -> str:
    """The address given to ITAS for one item (relative to the site when no base is known)."""
    return f"{base_url.rstrip('/')}/public/{org_code}/ita/{fiscal_year}/{code}"


def year_view(session: Session, org: Organisation, fiscal_year: int, now: dt.datetime, base_url: str) -> YearView:
    catalogue = catalogue_of(session, org, fiscal_year)
    states = year_states(session, org, fiscal_year, now)
    holders = _holders(session, org)
    calendar = calendar_of(org)
    rows = [_row(state, org, now, base_url, holders, calendar) for state in states]
    return YearView(org, fiscal_year, catalogue, rows, coverage(states))


def _row(
    state: ItemState, org: Organisation, now: dt.datetime, base_url: str, holders: dict, calendar: HolidayCalendar
) -> YearRow:
    item, latest = state.item, state.latest
    position_id = item.position_id  # who answers for it now (an administrator may have moved it)
    due = latest.work.due_at if latest else (closing_moment(item.due_on) if item.due_on else None)
    due = _aware(due) if due else None
    published = [w for w in state.works if w.status == PUBLISHED]
    last = published[-1] if published else None
    published_at = (last.publication.published_at if last.publication else last.work.url_given_at) if last else None
    late = state.late
    left = working_days_between(now, due, calendar) if due and not late and state.status != PUBLISHED else None
    return YearRow(
        item_id=item.id,
        code=item.code,
        title=item.title,
        indicator=item.indicator,
        shape=item.shape,
        status=state.status,
        status_title=STATUS_TITLES[state.status],
        late=late,
        holder=", ".join(latest.holders) if latest and latest.holders else _position_holder(holders, position_id),
        position_id=position_id,
        period_title=latest.work.period_title if latest else "",
        due_at=due,
        working_days_left=left,
        working_days_overdue=working_days_between(due, now, calendar) if late and due else None,
        published_at=published_at,
        public_url=item_page_url(base_url, org.code, item.fiscal_year, item.code),
        disclosure_url=latest.work.url if latest else "",
        opened=latest is not None,
    )


def _holders(session: Session, org: Organisation) -> dict[int, tuple[str, list[str]]]:
    """Position id -> (its title, the names of who holds it)."""
    rows = session.exec(select(Position).where(Position.organisation_id == org.id))
    positions: dict[int, tuple[str, list[str]]] = {p.id: (p.title, []) for p in rows if p.id is not None}
    held = session.exec(
        select(Holding.position_id, Person.full_name)
        .join(Person, col(Person.id) == Holding.person_id)
        .where(col(Holding.position_id).in_(list(positions)), Person.active)
    )
    for position_id, name in held:
        positions[position_id][1].append(name)
    return positions


def _position_holder(holders: dict[int, tuple[str, list[str]]], position_id: int) -> str:
    title, names = holders.get(position_id, ("", []))
    return f"{title} ({', '.join(names)})" if names else title


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
