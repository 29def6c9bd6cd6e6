"""An office's holiday calendar: the official Thai holidays, changed by the organisation's own file.

The shipped list (`models/data/thai_public_holidays.yaml`) is data, not code, so that a clerk can
correct a date or add next year's announcement without a release. An organisation's file has the same
shape and is laid on top: its `holidays` add office holidays (or rename a listed day), its
`working_days` take days out (a listed day this office works, or a make-up Saturday).

A calendar also knows which years it fully covers. A year nobody has entered is not an error (a
deadline must never stop the routing), but it is logged once, because weekends alone will then
decide the working days of that year.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

log = logging.getLogger(__name__)

THAI_PUBLIC_HOLIDAYS_FILE = Path(__file__).parent / "data" / "thai_public_holidays.yaml"
# Dates in these files are Gregorian; a year like 2570 is a BE year written by mistake.
_GREGORIAN_YEARS = range(1900, 2400)


class HolidayFileError(ValueError):
    """A holiday file that cannot be read as the documented shape; the message names the row."""


@dataclass(frozen=True)
class HolidayCalendar:
    """Which days an office is closed besides weekends, and which weekend days it works.

    `holidays` maps each closed day to its Thai name; `working_days` maps each day the office works
    although it is a weekend or a listed holiday (the organisation's own decision) to a reason.
    """

    holidays: Mapping[dt.date, str] = field(default_factory=dict)
    working_days: Mapping[dt.date, str] = field(default_factory=dict)
    covered_years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        # Read-only views: a calendar is shared (the shipped one is cached), so nobody may edit it.
        object.__setattr__(self, "holidays", MappingProxyType(dict(self.holidays)))
        object.__setattr__(self, "working_days", MappingProxyType(dict(self.working_days)))
        object.__setattr__(self, "covered_years", frozenset(self.covered_years))

    def __hash__(self) -> int:
        # The read-only views are not hashable themselves; a calendar may key a cache.
        return hash((frozenset(self.holidays.items()), frozenset(self.working_days.items()), self.covered_years))

    @classmethod
    def thai_public_holidays(cls) -> HolidayCalendar:
        """The official Thai government holidays shipped with Saraban (read once, then cached)."""
        return _shipped_calendar()

    @classmethod
    def from_file(cls, path: Path | str) -> HolidayCalendar:
        """A calendar holding exactly what one file lists."""
        return cls().with_file(path)

    def with_file(self, path: Path | str) -> HolidayCalendar:
        """This calendar with an organisation's file laid on top (see the module docstring)."""
        changes = _read_holiday_file(Path(path))
        return self.with_changes(**changes)

    def with_changes(
        self,
        holidays: Mapping[dt.date, str] | None = None,
        working_days: Mapping[dt.date, str] | None = None,
        years: Iterable[int] = (),
    ) -> HolidayCalendar:
        """A new calendar: `holidays` added (or renamed), `working_days` taken out, `years` covered.

        The later layer wins: a day this change makes a holiday is no longer a working day of an
        earlier layer, and the other way round.
        """
        holidays = dict(holidays or {})
        working_days = dict(working_days or {})
        both = sorted(set(holidays) & set(working_days))
        if both:
            raise HolidayFileError(f"listed both as holiday and as working day: {both[0].isoformat()}")
        merged_holidays = {d: n for d, n in self.holidays.items() if d not in working_days} | holidays
        merged_working = {d: n for d, n in self.working_days.items() if d not in holidays} | working_days
        return HolidayCalendar(merged_holidays, merged_working, self.covered_years | set(years))

    def holiday_name(self, day: dt.date) -> str | None:
        """The Thai name of the holiday on `day`, or None if the calendar lists none."""
        self._note_if_uncovered(day.year)
        return self.holidays.get(day)

    def is_holiday(self, day: dt.date) -> bool:
        return self.holiday_name(day) is not None

    def is_declared_working_day(self, day: dt.date) -> bool:
        """True for a day the organisation declared it works (overrides weekend and holiday)."""
        return day in self.working_days

    def covers(self, year: int) -> bool:
        return year in self.covered_years

    def _note_if_uncovered(self, year: int) -> None:
        if self.covered_years and year not in self.covered_years:
            _warn_uncovered_year(year, tuple(sorted(self.covered_years)))


@functools.cache
def _warn_uncovered_year(year: int, covered: tuple[int, ...]) -> None:
    # Cached so the warning appears once per year and process, not once per day counted.
    log.warning(
        "holiday calendar has no data for %s (it covers %s): only weekends are days off that year; "
        "add the year's official holidays to %s or to the organisation's file",
        year,
        ", ".join(map(str, covered)),
        THAI_PUBLIC_HOLIDAYS_FILE.name,
    )


@functools.cache
def _shipped_calendar() -> HolidayCalendar:
    return HolidayCalendar.from_file(THAI_PUBLIC_HOLIDAYS_FILE)


def load_holiday_calendar(organisation_file: Path | str | None = None) -> HolidayCalendar:
    """The official Thai holidays, with the organisation's own file on top when there is one."""
    calendar = HolidayCalendar.thai_public_holidays()
    return calendar.with_file(organisation_file) if organisation_file else calendar


def _read_holiday_file(path: Path) -> dict:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise HolidayFileError(f"{path}: not valid YAML: {error}") from error
    except ValueError as error:
        # PyYAML builds dates itself and fails on an impossible one such as 2026-13-01.
        raise HolidayFileError(f"{path}: holds a date that is not a date (YYYY-MM-DD): {error}") from error
    if not isinstance(document, dict):
        raise HolidayFileError(f"{path}: expected a mapping with 'holidays', 'working_days', 'years'")
    unknown = set(document) - {"holidays", "working_days", "years"}
    if unknown:
        raise HolidayFileError(f"{path}: unknown key(s): {', '.join(sorted(unknown))}")
    years = document.get("years") or []
    if not all(isinstance(year, int) and year in _GREGORIAN_YEARS for year in years):
        raise HolidayFileError(f"{path}: 'years' must be a list of Gregorian years, e.g. [2026, 2027]")
    return {
        "holidays": _read_rows(path, document.get("holidays"), "holidays"),
        "working_days": _read_rows(path, document.get("working_days"), "working_days"),
        "years": years,
    }


def _read_rows(path: Path, rows: object, section: str) -> dict[dt.date, str]:
    if rows is None:
        return {}
    if not isinstance(rows, list):
        raise HolidayFileError(f"{path}: '{section}' must be a list of rows")
    days: dict[dt.date, str] = {}
    for number, row in enumerate(rows, start=1):
        where = f"{path}: {section} row {number}"
        if not isinstance(row, dict) or "date" not in row:
            raise HolidayFileError(f"{where}: expected {{date: YYYY-MM-DD, name: ...}}, got {row!r}")
        day = _as_date(row["date"], where)
        if day in days:
            raise HolidayFileError(f"{where}: {day.isoformat()} is listed twice")
        name = str(row.get("name") or row.get("reason") or "").strip()
        if section == "holidays" and not name:
            raise HolidayFileError(f"{where}: {day.isoformat()} has no name")
        days[day] = name
    return days


def _as_date(value: object, where: str) -> dt.date:
    # YAML reads an unquoted 2026-01-01 as a date already; a quoted one arrives as text.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise HolidayFileError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from error
