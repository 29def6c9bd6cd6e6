"""Thai fiscal years: 1 October to 30 September, named by the Buddhist Era year they end in."""

import datetime as dt

BE_OFFSET = 543


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year (BE) a date falls in: 1 Oct 2025 .. 30 Sep 2026 is 2569."""
    ending_year = day.year + 1 if day.month >= 10 else day.year
    return ending_year + BE_OFFSET


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a fiscal year named in BE."""
    ending_year = fiscal_year_be - BE_OFFSET
    return dt.date(ending_year - 1, 10, 1), dt.date(ending_year, 9, 30)
