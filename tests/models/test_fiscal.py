"""Fiscal-year arithmetic: 1 October to 30 September, named in BE by the year it ends in."""

import datetime as dt

import pendulum
import pytest

from models.fiscal import (
    current_fiscal_year,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
    to_buddhist_era,
)

UTC = dt.UTC
BANGKOK = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (dt.date(2026, 9, 30), 2569),  # last day of FY 2569
        (dt.date(2026, 10, 1), 2570),  # first day of FY 2570
        (dt.date(2026, 11, 22), 2570),  # "today" in this project's story
        (dt.date(2026, 12, 31), 2570),  # the calendar year ends, the fiscal year does not
        (dt.date(2027, 1, 1), 2570),
        (dt.date(2027, 9, 30), 2570),
        (dt.date(2027, 10, 1), 2571),
        (dt.date(2024, 2, 29), 2567),  # leap day
    ],
)
def test_fiscal_year_of_a_date(day, fiscal_year):
    assert fiscal_year_of(day) == fiscal_year


@pytest.mark.parametrize(
    ("moment", "fiscal_year"),
    [
        (dt.datetime(2026, 9, 30, 16, 59, tzinfo=UTC), 2569),  # 23:59 in Bangkok, still 30 Sep
        (dt.datetime(2026, 9, 30, 17, 0, tzinfo=UTC), 2570),  # midnight in Bangkok: 1 Oct
        (dt.datetime(2026, 10, 1, 0, 0, tzinfo=BANGKOK), 2570),
        (dt.datetime(2026, 9, 30, 23, 59, tzinfo=BANGKOK), 2569),
    ],
)
def test_a_datetime_is_read_on_the_bangkok_calendar(moment, fiscal_year):
    assert fiscal_year_of(moment) == fiscal_year


def test_a_naive_datetime_is_refused_rather_than_guessed():
    with pytest.raises(ValueError, match="timezone-aware"):
        fiscal_year_of(dt.datetime(2026, 9, 30, 23, 0))


@pytest.mark.parametrize(
    ("fiscal_year", "first", "last"),
    [
        (2569, dt.date(2025, 10, 1), dt.date(2026, 9, 30)),
        (2570, dt.date(2026, 10, 1), dt.date(2027, 9, 30)),
        (2571, dt.date(2027, 10, 1), dt.date(2028, 9, 30)),
    ],
)
def test_bounds_are_1_october_to_30_september(fiscal_year, first, last):
    assert fiscal_year_bounds(fiscal_year) == (first, last)
    assert fiscal_year_of(first) == fiscal_year_of(last) == fiscal_year
    assert fiscal_year_of(first - dt.timedelta(days=1)) == fiscal_year - 1
    assert fiscal_year_of(last + dt.timedelta(days=1)) == fiscal_year + 1


def test_consecutive_fiscal_years_tile_the_calendar_without_gap_or_overlap():
    for year in range(2560, 2580):
        assert fiscal_year_bounds(year + 1)[0] - fiscal_year_bounds(year)[1] == dt.timedelta(days=1)


@pytest.mark.parametrize("christian_era_year", [2026, 2027, 70])
def test_a_christian_era_year_is_refused(christian_era_year):
    with pytest.raises(ValueError, match="Buddhist Era"):
        fiscal_year_bounds(christian_era_year)


@pytest.mark.parametrize(
    ("fiscal_year", "thai_digits", "label"),
    [
        (2570, True, "ปีงบประมาณ พ.ศ. ๒๕๗๐"),
        (2569, True, "ปีงบประมาณ พ.ศ. ๒๕๖๙"),
        (2570, False, "ปีงบประมาณ พ.ศ. 2570"),
    ],
)
def test_fiscal_year_label(fiscal_year, thai_digits, label):
    assert fiscal_year_label(fiscal_year, thai_digits=thai_digits) == label


def test_buddhist_era():
    assert to_buddhist_era(2026) == 2569
    assert to_buddhist_era(2027) == 2570


@pytest.mark.parametrize(
    ("now_utc", "fiscal_year"),
    [
        ("2026-11-22T03:00:00Z", 2570),
        ("2026-09-30T16:59:59Z", 2569),  # 23:59:59 on 30 Sep in Bangkok
        ("2026-09-30T17:00:00Z", 2570),  # 00:00 on 1 Oct in Bangkok: the cycle's new year has begun
    ],
)
def test_current_fiscal_year_follows_the_clock_in_bangkok(now_utc, fiscal_year):
    with pendulum.travel_to(pendulum.parse(now_utc), freeze=True):
        assert current_fiscal_year() == fiscal_year
