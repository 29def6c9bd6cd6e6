"""The one place that reads the time, so tests can travel with pendulum.travel()."""

import datetime as dt

import pendulum

OFFICE_TZ = "Asia/Bangkok"


def utcnow() -> dt.datetime:
    """Now as an aware UTC datetime, the form every timestamp is stored in."""
    return pendulum.now("UTC").naive().replace(tzinfo=dt.UTC)


def office_date(moment: dt.datetime | None = None) -> dt.date:
    """The calendar date in Thailand of a stored moment, or of now."""
    instant = pendulum.instance(moment) if moment else pendulum.now("UTC")
    return instant.in_timezone(OFFICE_TZ).date()
