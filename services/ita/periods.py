"""When each catalogue item's work opens, period by period, and when it is due.

- yearly: once, on the item's own day (`opens_on`: after the results, in August) or the
  catalogue's (1 October);
- six-monthly: the six-month report (October–March) opens on 1 April, the twelve-month report
  (October–September) on the 1 October after the year;
- monthly: each month's report opens on the 1st of the month after it (October's on 1 November,
  September's on the 1 October after the year);
- on demand: never by the schedule; `saraban ita open --item` opens the next round by hand.

A period is named by a key unique within the item ("2570", "2570-H1", "2570-M03": the fiscal
year's third month, December), which the database keeps unique: opening twice opens once.
"""

import datetime as dt
from dataclasses import dataclass

from documents.thai_format import to_thai_digits
from models import ItaCatalogue, ItaItem, Organisation
from models.be_dates import MONTHS, SHORT_MONTHS
from models.clock import office_date
from models.deadlines import calendar_of
from models.fiscal import BE_OFFSET, fiscal_year_bounds
from models.workdays import add_working_days, closing_moment


@dataclass(frozen=True)
class Period:
    key: str
    title: str  # in Thai, as a document names it
    opens_on: dt.date
    starts: dt.date  # the span the period's work covers (a report: what it reports on)
    ends: dt.date


def scheduled_periods(item: ItaItem, catalogue: ItaCatalogue) -> list[Period]:
    """Every period the schedule opens for the item, in order (none for an on-demand item)."""
    first, last = fiscal_year_bounds(item.fiscal_year)
    year = to_thai_digits(item.fiscal_year)
    if item.cadence == "yearly":
        return [
            Period(str(item.fiscal_year), f"ปีงบประมาณ พ.ศ. {year}", item.opens_on or catalogue.opens_on, first, last)
        ]
    if item.cadence == "six-monthly":
        middle = dt.date(last.year, 3, 31)
        return [
            Period(
                f"{item.fiscal_year}-H1",
                f"รอบ ๖ เดือน ({_span(first, middle)})",
                dt.date(last.year, 4, 1),
                first,
                middle,
            ),
            # The second report is the year's: it covers all twelve months, not the half alone.
            Period(
                f"{item.fiscal_year}-H2",
                f"รอบ ๑๒ เดือน ({_span(first, last)})",
                last + dt.timedelta(days=1),
                first,
                last,
            ),
        ]
    if item.cadence == "monthly":
        return [_month(item.fiscal_year, index) for index in range(1, 13)]
    return []


def on_demand_period(item: ItaItem, rounds_before: int) -> Period:
    first, last = fiscal_year_bounds(item.fiscal_year)
    number = rounds_before + 1
    return Period(
        f"{item.fiscal_year}-D{number}",
        f"ครั้งที่ {to_thai_digits(number)} ปีงบประมาณ พ.ศ. {to_thai_digits(item.fiscal_year)}",
        first,
        first,
        last,
    )


def due_moment(item: ItaItem, org: Organisation, opened: dt.datetime) -> dt.datetime | None:
    """The item's fixed due date (16:30 that day), or its days after this opening."""
    if item.due_on is not None:
        return closing_moment(item.due_on)
    if item.due_days_after_opening is None:
        return None
    if item.due_in_working_days:
        return add_working_days(opened, item.due_days_after_opening, calendar_of(org))
    return closing_moment(office_date(opened) + dt.timedelta(days=item.due_days_after_opening))


def _month(fiscal_year: int, index: int) -> Period:
    """The fiscal year's `index`-th month (1: October of the year before), opening the 1st after it."""
    first, _ = fiscal_year_bounds(fiscal_year)
    month0 = first.month - 1 + index - 1  # months since January of the first year
    year, month = first.year + month0 // 12, month0 % 12 + 1
    starts = dt.date(year, month, 1)
    after = dt.date(year + (month == 12), month % 12 + 1, 1)
    title = f"เดือน{MONTHS[month - 1]} {to_thai_digits(year + BE_OFFSET)}"
    return Period(f"{fiscal_year}-M{index:02d}", title, after, starts, after - dt.timedelta(days=1))


def _span(starts: dt.date, ends: dt.date) -> str:
    return (
        f"{SHORT_MONTHS[starts.month - 1]} {to_thai_digits(starts.year + BE_OFFSET)} – "
        f"{SHORT_MONTHS[ends.month - 1]} {to_thai_digits(ends.year + BE_OFFSET)}"
    )
