"""Dates typed as day/month/Buddhist Era year, in Thai or Arabic digits; anything else refused."""

import datetime as dt

import pytest

from models.be_dates import BadDate, be_date_text, parse_be_date

DEC_2 = dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    "typed",
    [
        "๒/๑๒/๒๕๖๙",
        "2/12/2569",
        "02/12/2569",
        "02122569",
        "๐๒๑๒๒๕๖๙",
        "2-12-2569",
        "2.12.2569",
        " 2 / 12 / 2569 ",
        "2 ธ.ค. 2569",
        "๒ ธันวาคม พ.ศ. ๒๕๖๙",
        "2 ธค 2569",
    ],
)
def test_day_month_be_year_in_any_digits(typed):
    assert parse_be_date(typed) == DEC_2


def test_the_run_together_form_is_day_first_not_month_first():
    # the bug: "02122569" was stored as 12 February 2569 CE
    assert parse_be_date("02122569") == dt.date(2026, 12, 2)
    assert parse_be_date("12022569") == dt.date(2026, 2, 12)


@pytest.mark.parametrize(
    "typed, says",
    [
        ("2/12/2026", "Western year"),  # a CE year by habit
        ("2/12/26", "two-digit year"),  # which century, which era?
        ("021269", "cannot"),  # six digits: ambiguous
        ("2026-12-02", "day first"),  # what a native date input sends: CE, year first
        ("31/2/2569", "no day 31"),  # no such day
        ("12/31/2569", "no day 12 in month 31"),  # month first, the American way
        ("2/12/3569", "BE year"),  # no office types that year
        ("", "BE year"),
        ("พรุ่งนี้", "cannot"),
    ],
)
def test_refused_with_a_message_saying_what_to_type(typed, says):
    with pytest.raises(BadDate) as refused:
        parse_be_date(typed)
    message = str(refused.value)
    assert "พ.ศ." in message and "(" in message  # Thai, with English in brackets
    assert says in message or says == "cannot"


def test_shown_back_in_be():
    assert be_date_text(DEC_2) == "2/12/2569"
    assert parse_be_date(be_date_text(DEC_2)) == DEC_2
