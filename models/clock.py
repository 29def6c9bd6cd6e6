"""The one place that reads the time, so tests can travel with pendulum.travel()."""

import datetime as dt
import zoneinfo

import pendulum

OFFICE_TZ = "Asia/Bangkok"
_OFFICE_ZONE = zoneinfo.ZoneInfo(OFFICE_TZ)


def utcnow() -> dt.datetime:
    """Now as an aware UTC datetime, the form every timestamp is stored in."""
    return pendulum.now("UTC").naive().replace(tzinfo=dt.UTC)


def office_date(moment: dt.datetime | None = None) -> dt.date:
    """The calendar date in Thailand of a stored moment (naive: UTC), or of now."""
    if moment is None:
        return pendulum.now("UTC").in_timezone(OFFICE_TZ).date()
    # The standard library's conversion: a fiftieth of pendulum's cost, and the year opening
    # asks it for every item of every office.
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(_OFFICE_ZONE).date()
