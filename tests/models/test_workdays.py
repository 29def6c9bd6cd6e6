"""Working days: the receipt day, N working days after it, due at 16:30 Asia/Bangkok.

Every expected date below was worked out by hand on the 2026/2027 calendar; the weekday is in the
case id so that a reader can check it against a wall calendar.
"""

import datetime as dt
import logging

import pendulum
import pytest
import yaml

from models.fiscal import fiscal_year_of
from models.holiday_calendar import (
    THAI_PUBLIC_HOLIDAYS_FILE,
    HolidayCalendar,
    HolidayFileError,
    _warn_uncovered_year,
    load_holiday_calendar,
)
from models.workdays import (
    OFFICE_CLOSING_TIME,
    add_working_days,
    closing_moment,
    is_working_day,
    next_working_day,
    receipt_day,
    working_days_between,
    working_days_overdue,
)

BANGKOK = dt.timezone(dt.timedelta(hours=7))


def bkk(text: str) -> dt.datetime:
    """A moment read off a Bangkok wall clock: "2026-11-20 17:00"."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=BANGKOK)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture(scope="module")
def thai() -> HolidayCalendar:
    return HolidayCalendar.thai_public_holidays()


# --- which days are working days ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "working"),
    [
        pytest.param("2026-11-23", True, id="Mon-ordinary"),
        pytest.param("2026-11-21", False, id="Sat"),
        pytest.param("2026-11-22", False, id="Sun"),
        pytest.param("2026-11-24", True, id="Tue-Loy-Krathong-is-not-a-day-off"),
        pytest.param("2026-05-01", True, id="Fri-Labour-Day-not-a-government-holiday"),
        pytest.param("2026-04-13", False, id="Mon-Songkran"),
        pytest.param("2026-04-15", False, id="Wed-Songkran"),
        pytest.param("2026-04-16", True, id="Thu-after-Songkran"),
        pytest.param("2026-06-01", False, id="Mon-substitute-for-Visakha-Bucha"),
        pytest.param("2026-12-07", False, id="Mon-substitute-for-5-December"),
        pytest.param("2026-12-31", False, id="Thu-New-Years-Eve"),
        pytest.param("2027-01-01", False, id="Fri-New-Year"),
        pytest.param("2027-01-04", True, id="Mon-first-working-day-of-2027"),
        pytest.param("2026-01-02", False, id="Fri-cabinet-special-day"),
        pytest.param("2026-09-30", True, id="Wed-last-day-of-FY2569"),
        pytest.param("2026-10-01", True, id="Thu-first-day-of-FY2570"),
        pytest.param("2026-10-13", False, id="Tue-Navamindra-Day"),
    ],
)
def test_is_working_day(thai, date, working):
    assert is_working_day(day(date), thai) is working


def test_a_datetime_is_read_on_the_bangkok_calendar(thai):
    # Friday 20 Nov 2026 20:00 UTC is already Saturday in Bangkok.
    assert is_working_day(dt.datetime(2026, 11, 20, 16, 59, tzinfo=dt.UTC), thai)
    assert not is_working_day(dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.UTC), thai)


# --- due dates ---------------------------------------------------------------------------------

DUE_CASES = [
    # Friday evening and the cut-off
    ("Fri-10:00-n1", "2026-11-20 10:00", 1, "2026-11-23"),
    ("Fri-16:29-n1-before-closing", "2026-11-20 16:29", 1, "2026-11-23"),
    ("Fri-16:30-n1-at-closing-counts-from-Mon", "2026-11-20 16:30", 1, "2026-11-24"),
    ("Fri-17:00-n1-evening", "2026-11-20 17:00", 1, "2026-11-24"),
    ("Fri-23:59-n3", "2026-11-20 23:59", 3, "2026-11-26"),
    # n = 0: within the receipt day
    ("Fri-10:00-n0-same-day", "2026-11-20 10:00", 0, "2026-11-20"),
    ("Fri-17:00-n0-Monday", "2026-11-20 17:00", 0, "2026-11-23"),
    # weekend arrivals
    ("Sat-09:00-n0", "2026-11-21 09:00", 0, "2026-11-23"),
    ("Sat-09:00-n1", "2026-11-21 09:00", 1, "2026-11-24"),
    ("Sun-23:59-n1", "2026-11-22 23:59", 1, "2026-11-24"),
    ("Mon-00:01-n1", "2026-11-23 00:01", 1, "2026-11-24"),
    ("Mon-10:00-n5-a-whole-week", "2026-11-23 10:00", 5, "2026-11-30"),
    # Songkran week (Mon 13 - Wed 15 April 2026) and Chakri Day (Mon 6 April)
    ("Fri-before-Songkran-n1", "2026-04-10 10:00", 1, "2026-04-16"),
    ("Thu-before-Songkran-n2", "2026-04-09 10:00", 2, "2026-04-16"),
    ("Mon-during-Songkran-n0", "2026-04-13 09:00", 0, "2026-04-16"),
    ("Fri-evening-before-Chakri-Day-n1", "2026-04-03 17:00", 1, "2026-04-08"),
    # New Year: Thu 31 Dec 2026 and Fri 1 Jan 2027 closed
    ("Wed-30-Dec-n1", "2026-12-30 10:00", 1, "2027-01-04"),
    ("Wed-30-Dec-after-hours-n1", "2026-12-30 16:30", 1, "2027-01-05"),
    ("New-Year-2026-and-special-2-Jan-n0", "2026-01-01 09:00", 0, "2026-01-05"),
    # substitute days
    ("Fri-before-Mon-substitute-7-Dec-n1", "2026-12-04 10:00", 1, "2026-12-08"),
    ("substitute-and-Constitution-Day-n3", "2026-12-04 10:00", 3, "2026-12-11"),
    ("Fri-before-Visakha-substitute-n2", "2026-05-29 10:00", 2, "2026-06-04"),
    ("Makha-Bucha-substitute-2027-n1", "2027-02-19 10:00", 1, "2027-02-23"),
    # a holiday week: 28, 29, 30 July 2026 (King's Birthday, Asalha Bucha, Buddhist Lent)
    ("Mon-before-three-holidays-n1", "2026-07-27 10:00", 1, "2026-07-31"),
    # crossing the fiscal year (30 Sep -> 1 Oct)
    ("Tue-29-Sep-2026-n2-due-in-FY2570", "2026-09-29 10:00", 2, "2026-10-01"),
    ("Wed-30-Sep-2026-after-hours-n0", "2026-09-30 17:00", 0, "2026-10-01"),
    ("Tue-28-Sep-2027-n3-due-in-FY2571", "2027-09-28 10:00", 3, "2027-10-01"),
    ("Fri-9-Oct-2026-over-Navamindra-Day-n2", "2026-10-09 10:00", 2, "2026-10-14"),
]


@pytest.mark.parametrize(("arrival", "n", "due_day"), [pytest.param(*case[1:], id=case[0]) for case in DUE_CASES])
def test_add_working_days(thai, arrival, n, due_day):
    due = add_working_days(bkk(arrival), n, thai)
    assert due == closing_moment(day(due_day))
    assert due.date() == day(due_day)
    assert due.time() == OFFICE_CLOSING_TIME
    assert due.utcoffset() == dt.timedelta(hours=7)


def test_a_deadline_crossing_30_september_lands_in_the_next_fiscal_year(thai):
    arrival = bkk("2026-09-29 10:00")
    due = add_working_days(arrival, 2, thai)
    assert (fiscal_year_of(arrival), fiscal_year_of(due)) == (2569, 2570)


def test_an_arrival_given_in_utc_is_read_in_bangkok(thai):
    # 09:45 UTC on Friday is 16:45 in Bangkok: after closing, received Monday.
    friday_after_hours = dt.datetime(2026, 11, 20, 9, 45, tzinfo=dt.UTC)
    assert receipt_day(friday_after_hours, thai) == day("2026-11-23")
    assert add_working_days(friday_after_hours, 1, thai) == closing_moment(day("2026-11-24"))
    # 17:30 UTC on Sunday is 00:30 on Monday in Bangkok: received Monday.
    assert receipt_day(dt.datetime(2026, 11, 22, 17, 30, tzinfo=dt.UTC), thai) == day("2026-11-23")


def test_pendulum_datetimes_are_accepted(thai):
    arrival = pendulum.datetime(2026, 11, 20, 17, 0, tz="Asia/Bangkok")
    assert add_working_days(arrival, 1, thai) == closing_moment(day("2026-11-24"))


def test_negative_n_is_refused(thai):
    with pytest.raises(ValueError, match="negative"):
        add_working_days(bkk("2026-11-20 10:00"), -1, thai)


def test_a_naive_arrival_is_refused(thai):
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_days(dt.datetime(2026, 11, 20, 10, 0), 1, thai)


def test_next_working_day_skips_weekend_and_holidays(thai):
    assert next_working_day(day("2026-12-30"), thai) == day("2027-01-04")
    assert next_working_day(day("2026-04-10"), thai) == day("2026-04-16")


def _hourly(first: str, last: str):
    moment, end = bkk(first), bkk(last)
    while moment <= end:
        yield moment
        moment += dt.timedelta(minutes=30)


def test_properties_hold_for_every_half_hour_over_new_year(thai):
    """Due is a working day at 16:30, after the arrival, never earlier for a later arrival,
    and exactly n+1 office days close between arrival and due (the receipt day and n more)."""
    for n in range(0, 6):
        previous_due = None
        for arrival in _hourly("2026-12-24 00:00", "2027-01-08 23:30"):
            due = add_working_days(arrival, n, thai)
            assert is_working_day(due, thai) and due.time() == OFFICE_CLOSING_TIME
            assert due > arrival
            assert previous_due is None or due >= previous_due
            assert working_days_between(arrival, due, thai) == n + 1
            previous_due = due


# --- working days between, overdue -------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [
        pytest.param("2026-11-23 16:30", "2026-11-23 16:30", 0, id="same-moment"),
        pytest.param("2026-11-23 16:30", "2026-11-24 16:29", 0, id="not-a-whole-day-yet"),
        pytest.param("2026-11-23 16:30", "2026-11-24 16:30", 1, id="one-day-closed"),
        pytest.param("2026-11-23 16:30", "2026-11-28 12:00", 4, id="Tue-to-Fri-then-weekend"),
        pytest.param("2026-11-23 16:30", "2026-11-30 08:00", 4, id="weekend-adds-nothing"),
        pytest.param("2026-12-04 16:30", "2026-12-11 16:30", 3, id="substitute-and-Constitution-Day"),
        pytest.param("2026-04-10 16:30", "2026-04-17 16:30", 2, id="across-Songkran"),
        pytest.param("2026-09-30 16:30", "2026-10-02 16:30", 2, id="across-the-fiscal-year"),
        pytest.param("2026-11-30 08:00", "2026-11-23 16:30", 0, id="backwards-is-zero"),
    ],
)
def test_working_days_between(thai, a, b, count):
    assert working_days_between(bkk(a), bkk(b), thai) == count


@pytest.mark.parametrize(
    ("now_utc", "overdue"),
    [
        pytest.param("2026-11-23T09:00:00Z", 0, id="Mon-16:00-not-due-yet"),
        pytest.param("2026-11-23T10:00:00Z", 0, id="Mon-17:00-late-but-not-a-day"),
        pytest.param("2026-11-24T09:29:00Z", 0, id="Tue-16:29"),
        pytest.param("2026-11-24T09:30:00Z", 1, id="Tue-16:30"),
        pytest.param("2026-11-28T03:00:00Z", 4, id="Sat"),
        pytest.param("2026-12-08T01:00:00Z", 9, id="Tue-8-Dec-after-substitute-Monday"),
    ],
)
def test_overdue_follows_the_clock(thai, now_utc, overdue):
    due = closing_moment(day("2026-11-23"))
    with pendulum.travel_to(pendulum.parse(now_utc), freeze=True):
        assert working_days_overdue(due, thai) == overdue


def test_overdue_with_an_explicit_now(thai):
    due = closing_moment(day("2026-11-23"))
    assert working_days_overdue(due, thai, now=bkk("2026-11-25 17:00")) == 2


# --- the calendar data and an organisation's own file ------------------------------------------


def test_shipped_calendar_covers_the_current_and_next_year(thai):
    assert thai.covers(2026) and thai.covers(2027)
    assert thai.holiday_name(day("2026-04-13")) == "วันสงกรานต์"
    assert thai.holiday_name(day("2026-06-01")) == "วันหยุดชดเชยวันวิสาขบูชา"
    assert thai.holiday_name(day("2026-11-23")) is None
    assert thai == HolidayCalendar.from_file(THAI_PUBLIC_HOLIDAYS_FILE)
    assert hash(thai) == hash(HolidayCalendar.from_file(THAI_PUBLIC_HOLIDAYS_FILE))


def test_shipped_file_rows_are_consistent():
    """Every weekend holiday has its substitute on the next free working day, and every row of
    the file is in a covered year, has a Thai name and a known kind."""
    document = yaml.safe_load(THAI_PUBLIC_HOLIDAYS_FILE.read_text(encoding="utf-8"))
    rows = document["holidays"]
    listed = {row["date"] for row in rows}
    substitutes = {row["substitute_for"]: row["date"] for row in rows if row["kind"] == "substitute"}
    for row in rows:
        assert row["date"].year in document["years"]
        assert row["kind"] in {"holiday", "substitute", "special"}
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in row["name"])
        if row["kind"] == "holiday" and row["date"].weekday() >= 5:
            substitute = substitutes.get(row["date"])
            assert substitute is not None, f"no substitute day for {row['date']} {row['name']}"
            expected = row["date"] + dt.timedelta(days=1)
            while expected.weekday() >= 5 or expected in listed - {substitute}:
                expected += dt.timedelta(days=1)
            assert substitute == expected, row
        if row["kind"] == "substitute":
            assert row["date"].weekday() < 5


def test_lunar_holidays_have_their_dates():
    """The lunar dates are the error-prone part of the data: pin them so an edit is deliberate."""
    thai = HolidayCalendar.thai_public_holidays()
    by_name: dict[str, list[dt.date]] = {}
    for date, name in thai.holidays.items():
        by_name.setdefault(name, []).append(date)
    assert sorted(by_name["วันมาฆบูชา"]) == [day("2026-03-03"), day("2027-02-21")]
    assert sorted(by_name["วันวิสาขบูชา"]) == [day("2026-05-31"), day("2027-05-20")]
    assert sorted(by_name["วันอาสาฬหบูชา"]) == [day("2026-07-29"), day("2027-07-18")]
    assert sorted(by_name["วันเข้าพรรษา"]) == [day("2026-07-30"), day("2027-07-19")]


ORGANISATION_FILE = """\
# เทศบาลตำบลโคกพุทรา: local decisions on top of the official list
holidays:
  - {date: 2026-11-24, name: "วันลอยกระทง (หยุดตามประกาศเทศบาล)"}
working_days:
  - {date: 2026-01-02, reason: "เปิดทำการตามคำสั่งจังหวัด"}
  - {date: 2026-11-28, reason: "ทำงานวันเสาร์ชดเชย"}
"""


@pytest.fixture
def kokphutsa(tmp_path) -> HolidayCalendar:
    path = tmp_path / "holidays.yaml"
    path.write_text(ORGANISATION_FILE, encoding="utf-8")
    return load_holiday_calendar(path)


def test_an_organisation_adds_an_office_holiday(kokphutsa, thai):
    assert not is_working_day(day("2026-11-24"), kokphutsa)
    assert add_working_days(bkk("2026-11-23 10:00"), 1, kokphutsa) == closing_moment(day("2026-11-25"))
    assert is_working_day(day("2026-11-24"), thai), "the shipped calendar is not changed"


def test_an_organisation_removes_a_listed_day_and_works_a_saturday(kokphutsa):
    assert is_working_day(day("2026-01-02"), kokphutsa)
    assert is_working_day(day("2026-11-28"), kokphutsa)
    assert add_working_days(bkk("2026-11-27 17:00"), 0, kokphutsa) == closing_moment(day("2026-11-28"))
    assert kokphutsa.covers(2026), "the official years stay covered"


def test_a_later_layer_wins():
    base = HolidayCalendar().with_changes(holidays={day("2026-11-24"): "A"})
    assert base.with_changes(working_days={day("2026-11-24"): "open"}).is_holiday(day("2026-11-24")) is False
    reopened = base.with_changes(working_days={day("2026-11-24"): "open"})
    assert reopened.with_changes(holidays={day("2026-11-24"): "B"}).holiday_name(day("2026-11-24")) == "B"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("holidays:\n  - {date: 2026-13-01, name: x}\n", "not a date"),
        ("holidays:\n  - {date: 2026-11-24}\n", "has no name"),
        ("holidays:\n  - {date: 2026-11-24, name: a}\n  - {date: 2026-11-24, name: b}\n", "listed twice"),
        ("holidays:\n  - {date: 2026-11-24, name: a}\nworking_days:\n  - {date: 2026-11-24}\n", "both"),
        ("holiday:\n  - {date: 2026-11-24, name: a}\n", "unknown key"),
        ("years: [2570]\nholidays: []\n", "Gregorian"),  # 2570 is the BE name of 2027
        ("- just a list\n", "expected a mapping"),
    ],
)
def test_a_bad_organisation_file_names_the_problem(tmp_path, text, message):
    path = tmp_path / "holidays.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HolidayFileError, match=message):
        HolidayCalendar.from_file(path)


def test_a_year_without_data_falls_back_to_weekends_and_says_so_once(thai, caplog):
    caplog.set_level(logging.WARNING, logger="models.holiday_calendar")
    _warn_uncovered_year.cache_clear()  # the warning is once per process; start this test afresh
    # 1 January 2029 is surely a holiday, but nobody has entered 2029 yet.
    assert is_working_day(day("2029-01-01"), thai)
    assert is_working_day(day("2029-01-02"), thai)
    warnings = [r for r in caplog.records if "2029" in r.getMessage()]
    assert len(warnings) == 1
    assert "no data for 2029" in warnings[0].getMessage()
