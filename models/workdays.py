"""Official working days: due dates and overdue counts for routing steps.

What "N working days" means here
--------------------------------
A working day is a Monday to Friday that the office's holiday calendar does not list as a holiday
(or any day the organisation declared it works, such as a make-up Saturday). Times are read in
Asia/Bangkok; the office closes at `OFFICE_CLOSING_TIME` (16:30).

1. The *receipt day* of a step is the day it arrived, if that is a working day and it arrived before
   closing time. A step that arrives at or after closing time, or on a weekend or holiday, is taken
   as received on the next working day (as an office stamps mail that comes in after hours).
2. The receipt day itself is not counted: like the Civil and Commercial Code's rule for periods in
   days (ป.พ.พ. มาตรา ๑๕๘, the first day is not counted), a part of a day is not a day. Working day 1
   is the first working day after the receipt day.
3. A step given N working days is due at closing time (16:30) of working day N. So the assignee
   always has N whole working days, plus whatever is left of the receipt day.
4. N = 0 means "within the receipt day": due at 16:30 of the receipt day.

Examples (2026): arriving Friday 20 Nov 10:00 with N=1 is due Monday 23 Nov 16:30; arriving that
Friday at 17:00 counts from Monday, so it is due Tuesday 24 Nov 16:30.

Overdue is counted in whole working days: `working_days_between(due, now)` is the number of
office days that closed after the due moment, up to now. One minute late is overdue (now > due) but
by 0 working days; at 16:30 of the next working day it is 1.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from models.clock import OFFICE_TZ, utcnow
from models.holiday_calendar import HolidayCalendar

OFFICE_ZONE = ZoneInfo(OFFICE_TZ)
# Official office hours are 08:30-16:30; work arriving at or after closing is received next working day.
OFFICE_CLOSING_TIME = dt.time(16, 30)
OFFICE_OPENING_TIME = dt.time(8, 0)
SATURDAY = 5


def is_working_day(day: dt.date, calendar: HolidayCalendar) -> bool:
    """True for a weekday that is not a holiday, or a day the organisation declared it works.

    A datetime is read as its date in Asia/Bangkok.
    """
    day = _office_day(day)
    if calendar.is_declared_working_day(day):
        return True
    return day.weekday() < SATURDAY and not calendar.is_holiday(day)


def next_working_day(day: dt.date, calendar: HolidayCalendar) -> dt.date:
    """The first working day strictly after `day`."""
    candidate = _office_day(day) + dt.timedelta(days=1)
    while not is_working_day(candidate, calendar):
        candidate += dt.timedelta(days=1)
    return candidate


def closing_moment(day: dt.date) -> dt.datetime:
    """Closing time (16:30 Asia/Bangkok) of a day: the moment a step due that day falls due."""
    return dt.datetime.combine(day, OFFICE_CLOSING_TIME, tzinfo=OFFICE_ZONE)


def office_morning(day: dt.date) -> dt.datetime:
    """08:00 Asia/Bangkok of a day: when the scheduled rounds run (a day given by hand means that morning)."""
    return dt.datetime.combine(day, OFFICE_OPENING_TIME, tzinfo=OFFICE_ZONE)


def receipt_day(arrival: dt.datetime, calendar: HolidayCalendar) -> dt.date:
    """The working day a step counts as received on (rule 1 of the module docstring)."""
    local = _in_office_zone(arrival)
    day = local.date()
    if is_working_day(day, calendar) and local.time() < OFFICE_CLOSING_TIME:
        return day
    return next_working_day(day, calendar)


def add_working_days(start: dt.datetime, n: int, calendar: HolidayCalendar) -> dt.datetime:
    """The due moment of a step that arrives at `start` and is given `n` working days.

    `start` must be timezone-aware (any zone; it is read in Asia/Bangkok). The result is 16:30
    Asia/Bangkok of the n-th working day after the receipt day; n=0 is 16:30 of the receipt day.
    See the module docstring for the exact rule.
    """
    if n < 0:
        raise ValueError(f"a step cannot be given a negative number of working days ({n})")
    day = receipt_day(start, calendar)
    for _ in range(n):
        day = next_working_day(day, calendar)
    return closing_moment(day)


def working_days_between(a: dt.datetime, b: dt.datetime, calendar: HolidayCalendar) -> int:
    """How many working days closed after `a` and at or before `b`: the office days between them.

    Used as "overdue by N working days" with a = the due moment and b = now. It is 0 when b is not
    after a (never negative). For any arrival, working_days_between(arrival, add_working_days(
    arrival, n)) == n + 1: the receipt day plus the n days given.
    """
    a, b = _in_office_zone(a), _in_office_zone(b)
    count = 0
    day = a.date()
    while day <= b.date():
        if is_working_day(day, calendar) and a < closing_moment(day) <= b:
            count += 1
        day += dt.timedelta(days=1)
    return count


def working_days_overdue(due: dt.datetime, calendar: HolidayCalendar, *, now: dt.datetime | None = None) -> int:
    """Whole working days a step is past its due moment, as of `now` (default: the clock's now)."""
    return working_days_between(due, now or utcnow(), calendar)


def _in_office_zone(moment: dt.datetime) -> dt.datetime:
    if not isinstance(moment, dt.datetime):
        raise TypeError(f"expected a datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive time is ambiguous (stored UTC or read off a Bangkok wall clock?): refuse to guess.
        raise ValueError(f"a timezone-aware datetime is required, got naive {moment.isoformat()}")
    return moment.astimezone(OFFICE_ZONE)


def _office_day(day: dt.date) -> dt.date:
    if isinstance(day, dt.datetime):
        return _in_office_zone(day).date()
    return day
