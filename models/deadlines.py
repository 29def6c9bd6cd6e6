"""Due dates in official working days, from the organisation's settings and holiday calendar."""

import datetime as dt
import functools

from models import Memo, Organisation
from models.enums import MemoStatus
from models.holiday_calendar import HolidayCalendar, load_holiday_calendar
from models.workdays import add_working_days, working_days_overdue

# A memo waits for a person in these states; approved and published memos wait for nobody.
WAITING = (MemoStatus.PREPARING, MemoStatus.IN_REVIEW, MemoStatus.RETURNED)


@functools.lru_cache(maxsize=64)
def _calendar(holiday_file: str) -> HolidayCalendar:
    return load_holiday_calendar(holiday_file or None)


def calendar_of(org: Organisation) -> HolidayCalendar:
    return _calendar(org.holiday_file)


def due_at(org: Organisation, arrived: dt.datetime) -> dt.datetime:
    """When a wait that began at `arrived` is due: the organisation's working days later."""
    return add_working_days(arrived, org.step_working_days, calendar_of(org))


def overdue_working_days(org: Organisation, memo: Memo, now: dt.datetime) -> int:
    """Whole working days past the memo's due moment (0 when not due yet, or nothing waits)."""
    if memo.due_at is None or memo.status not in WAITING:
        return 0
    return working_days_overdue(memo.due_at, calendar_of(org), now=now)
