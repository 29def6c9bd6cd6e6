"""Thai fiscal years: 1 October to 30 September, named by the Buddhist Era year they end in."""

import datetime as dt

from models.clock import office_date

BE_OFFSET = 543
FIRST_MONTH = 10  # the fiscal year starts on 1 October
# Below this a "fiscal year" is surely a Christian-era year passed by mistake (2027 instead of 2570).
_SMALLEST_BE_YEAR = 2400
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year (BE) a date falls in: 1 Oct 2025 .. 30 Sep 2026 is 2569.

    A datetime is read as its date in Thailand (it must be timezone-aware): 30 Sep 2026 18:00 UTC
    is already 1 Oct in Bangkok, in fiscal year 2570.
    """
    if isinstance(day, dt.datetime):
        if day.tzinfo is None or day.utcoffset() is None:
            raise ValueError(f"a timezone-aware datetime is required, got naive {day.isoformat()}")
        day = office_date(day)
    ending_year = day.year + 1 if day.month >= FIRST_MONTH else day.year
    return ending_year + BE_OFFSET


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a fiscal year named in BE."""
    _require_be(fiscal_year_be)
    ending_year = fiscal_year_be - BE_OFFSET
    return dt.date(ending_year - 1, FIRST_MONTH, 1), dt.date(ending_year, 9, 30)


def current_fiscal_year() -> int:
    """The fiscal year (BE) it is now in Thailand (follows pendulum's time travel in tests)."""
    return fiscal_year_of(office_date())


def to_buddhist_era(year_ce: int) -> int:
    """2026 -> 2569."""
    return year_ce + BE_OFFSET


def fiscal_year_label(fiscal_year_be: int, *, thai_digits: bool = True) -> str:
    """How documents name a fiscal year: "ปีงบประมาณ พ.ศ. ๒๕๗๐"."""
    _require_be(fiscal_year_be)
    number = str(fiscal_year_be)
    return f"ปีงบประมาณ พ.ศ. {number.translate(_THAI_DIGITS) if thai_digits else number}"


def _require_be(fiscal_year_be: int) -> None:
    if fiscal_year_be < _SMALLEST_BE_YEAR:
        raise ValueError(
            f"fiscal years are named in the Buddhist Era (e.g. 2570), got {fiscal_year_be}: "
            f"did you mean {to_buddhist_era(fiscal_year_be)}?"
        )
