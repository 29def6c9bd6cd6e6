"""Thai dates in the text: impossible ones, Gregorian years written as BE, and disagreements.

Recognised: "๔ มีนาคม ๒๕๖๔", "๔ มีนาคม พ.ศ. ๒๕๖๔", "๑๕ เดือน มิถุนายน พ.ศ. ๒๕๖๒", "8 มี.ค. 2564",
"๘ มี.ค. ๖๔" (two-digit BE year), in Thai or Arabic digits. A year after "ค.ศ." is Gregorian.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit

from documents.proofreading.warning import ProofreadWarning

MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
_ABBREVIATIONS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
_MONTH_NUMBER = {name: i for i, name in enumerate(MONTHS, 1)} | {
    a.replace(".", ""): i for i, a in enumerate(_ABBREVIATIONS, 1)
}
_ABBREVIATION = "|".join(re.escape(a[:-1]).replace(r"\.", r"\.\s?") + r"\.?" for a in _ABBREVIATIONS)
_DATE = re.compile(
    rf"(?<![0-9๐-๙])(?P<day>[0-9๐-๙]{{1,2}})\s*(?:เดือน\s*)?(?P<month>{'|'.join(MONTHS)}|{_ABBREVIATION})"
    r"\s*(?P<era>พ\.\s?ศ\.|พุทธศักราช|ค\.\s?ศ\.)?\s*(?P<year>[0-9๐-๙]{4}|[0-9๐-๙]{2})(?![0-9๐-๙])"
)
_GREGORIAN_LOOKING = range(1900, 2300)  # as BE years these would be 1357-1757 CE: no memo is that old
_MEMO_HEADER = re.compile(r"^\s*วันที่\s")
_ANNOUNCEMENT_LINE = re.compile(r"^\s*ประกาศ\s*ณ\s*วันที่")


@dataclass(frozen=True)
class ExpectedDates:
    """Dates the caller knows from the record; the text is checked against them."""

    memo: dt.date | None = None  # the memo's วันที่
    announcement: dt.date | None = None  # "ประกาศ ณ วันที่" of the announcement


@dataclass(frozen=True)
class FoundDate:
    line: int
    column: int
    text: str
    date: dt.date | None  # None when impossible
    gregorian_year: bool  # written as 2021 where a BE year was expected


def thai_date(day: dt.date, *, era: bool = True) -> str:
    """ "๔ มีนาคม พ.ศ. ๒๕๖๔" (era=False: "๔ มีนาคม ๒๕๖๔", the memo header style)."""
    year = f"พ.ศ. {day.year + 543}" if era else str(day.year + 543)
    return arabic_digit_to_thai_digit(f"{day.day} {MONTHS[day.month - 1]} {year}")


def find_dates(lines: Sequence[str]) -> Iterator[FoundDate]:
    for number, line in enumerate(lines, start=1):
        for match in _DATE.finditer(line):
            yield _parse(number, match)


def _parse(number: int, match: re.Match[str]) -> FoundDate:
    day = int(thai_digit_to_arabic_digit(match["day"]))
    month = _MONTH_NUMBER[re.sub(r"[.\s]", "", match["month"])]
    year = int(thai_digit_to_arabic_digit(match["year"]))
    christian = bool(match["era"]) and match["era"].startswith("ค")
    gregorian_looking = not christian and year in _GREGORIAN_LOOKING
    if len(match["year"]) == 2:
        year += 2500  # "๖๔" in "๘ มี.ค. ๖๔" is BE 2564
    if not (christian or gregorian_looking):
        year -= 543
    valid = 1 <= day <= calendar.monthrange(year, month)[1]
    date = dt.date(year, month, day) if valid else None
    return FoundDate(number, match.start() + 1, match.group(), date, gregorian_looking)


def date_warnings(lines: Sequence[str], expected: ExpectedDates | None = None) -> list[ProofreadWarning]:
    found = list(find_dates(lines))
    warnings = [w for d in found for w in _single_date_warnings(d)]
    memo = _first_on(found, lines, _MEMO_HEADER)
    announcement = _first_on(found, lines, _ANNOUNCEMENT_LINE)
    expected = expected or ExpectedDates()
    warnings += _against_expected(memo, expected.memo, era=False)
    warnings += _against_expected(announcement, expected.announcement, era=True)
    warnings += _order(memo, announcement, expected)
    return warnings


def _single_date_warnings(found: FoundDate) -> list[ProofreadWarning]:
    if found.date is None:
        return [
            ProofreadWarning(
                "date-invalid", found.line, found.column, found.text, "ตรวจสอบวันที่", "ไม่มีวันที่นี้ในปฏิทิน (no such date)"
            )
        ]
    if found.gregorian_year:
        suggestion = thai_date(found.date, era="พ.ศ" in found.text)
        return [
            ProofreadWarning(
                "date-year",
                found.line,
                found.column,
                found.text,
                suggestion,
                "ปีดูเหมือนเป็นปีคริสต์ศักราช แต่หนังสือราชการใช้ปีพุทธศักราช "
                "(a Gregorian-looking year: official documents use the Buddhist Era)",
            )
        ]
    return []


def _first_on(found: list[FoundDate], lines: Sequence[str], pattern: re.Pattern[str]) -> FoundDate | None:
    return next((d for d in found if pattern.match(lines[d.line - 1])), None)


def _against_expected(found: FoundDate | None, expected: dt.date | None, *, era: bool) -> list[ProofreadWarning]:
    if found is None or expected is None or found.date in (None, expected):
        return []
    return [
        ProofreadWarning(
            "date-mismatch",
            found.line,
            found.column,
            found.text,
            thai_date(expected, era=era),
            "วันที่ในเอกสารไม่ตรงกับวันที่ที่บันทึกไว้ในระบบ (the date differs from the record)",
        )
    ]


def _order(memo: FoundDate | None, announcement: FoundDate | None, expected: ExpectedDates) -> list[ProofreadWarning]:
    """The memo asks for the announcement, so it cannot be dated after it."""
    memo_date = expected.memo or (memo.date if memo else None)
    announcement_date = expected.announcement or (announcement.date if announcement else None)
    if memo_date is None or announcement_date is None or memo_date <= announcement_date:
        return []
    line, column, text = (memo.line, memo.column, memo.text) if memo else (1, 1, "")
    return [
        ProofreadWarning(
            "date-mismatch",
            line,
            column,
            text,
            "ตรวจสอบวันที่ของบันทึกและประกาศ",
            f"บันทึกลงวันที่ {thai_date(memo_date)} หลังวันที่ของประกาศ {thai_date(announcement_date)} "
            "(the memo is dated after its announcement)",
        )
    ]
