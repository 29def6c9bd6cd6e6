"""Reading a date a person typed: day/month/Buddhist Era year, in Thai or Arabic digits.

Thai offices write dates day first with the BE year (๒/๑๒/๒๕๖๙). A browser's date picker and
Python's own parsers assume the Western year, so "02122569" once became 12 February 2569 CE.
Every date field (web and CLI) reads through `parse_be_date`; what cannot be read one way only
is refused with a message saying how to type it, never guessed.
"""

import datetime as dt
import re

from models.digits import arabic_digits, thai_digits

BE_OFFSET = 543
# A BE year an office types today: 2400-2799 BE (1857-2256 CE). A four-digit year below that
# is a Western year typed by habit; refusing it is the point of this module.
BE_YEARS = range(2400, 2800)
HOW_TO_TYPE = "วันที่ต้องเป็นวัน/เดือน/ปี พ.ศ. เช่น ๒/๑๒/๒๕๖๙ (type the date as day/month/BE year, e.g. 2/12/2569)"
PLACEHOLDER = "วว/ดด/ปปปป เช่น ๒/๑๒/๒๕๖๙"

# Full and abbreviated Thai month names, so "๒ ธ.ค. ๒๕๖๙" and "2 ธันวาคม 2569" read too.
MONTHS = "มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม".split()
SHORT_MONTHS = "ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค.".split()
_MONTH_NUMBERS = {name: n for names in (MONTHS, SHORT_MONTHS) for n, name in enumerate(names, start=1)}
_MONTH_NUMBERS.update({name.replace(".", ""): n for name, n in list(_MONTH_NUMBERS.items())})
_SEPARATED = re.compile(r"^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d+)$")
_NAMED = re.compile(r"^(\d{1,2})\s*([^\d\s]+)\s*(?:พ\.?ศ\.?)?\s*(\d+)$")
_RUN_TOGETHER = re.compile(r"^(\d{2})(\d{2})(\d{4})$")  # ddmmyyyy, as typed on a number pad


class BadDate(ValueError):
    """The text is not one date: the message (Thai, English in brackets) says what to type."""


def parse_be_date(typed: str, *, label: str = "วันที่") -> dt.date:
    """The date of `typed`, read as day, month and BE year; BadDate when it is not exactly one."""
    text = arabic_digits(typed.strip())
    if not text:
        raise BadDate(f"กรุณาระบุ{label} {HOW_TO_TYPE}")
    day, month, year = _parts(text, label)
    return _date(day, month, _be_year(year, label), label)


def be_date_text(date: dt.date) -> str:
    """A date as the fields show it back: "2/12/2569" (Arabic digits, for editing)."""
    return f"{date.day}/{date.month}/{date.year + BE_OFFSET}"


def _parts(text: str, label: str) -> tuple[int, int, str]:
    if match := _SEPARATED.match(text) or _RUN_TOGETHER.match(text):
        return int(match[1]), int(match[2]), match[3]
    if (match := _NAMED.match(text)) and match[2] in _MONTH_NUMBERS:
        return int(match[1]), _MONTH_NUMBERS[match[2]], match[3]
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        raise BadDate(
            f"{label}: ให้พิมพ์วันก่อน แล้วเดือน แล้วปี พ.ศ. เช่น ๒/๑๒/๒๕๖๙ "
            "(day first, then the month, then the BE year, e.g. 2/12/2569)"
        )
    raise BadDate(f'{label} "{text}" อ่านไม่ได้ {HOW_TO_TYPE}')


def _be_year(year: str, label: str) -> int:
    if len(year) != 4:
        raise BadDate(
            f"{label}: ปีต้องเป็น พ.ศ. สี่หลัก เช่น ๒๕๖๙ (the year must be the four-digit BE year, "
            f"e.g. 2569; a two-digit year is ambiguous)"
        )
    value = int(year)
    if value not in BE_YEARS:
        if 1900 <= value < 2400:
            raise BadDate(
                f"{label}: ปี {thai_digits(value)} เป็นปี ค.ศ. ให้ใช้ปี พ.ศ. ({thai_digits(value + BE_OFFSET)}) "
                f"(the year {value} looks like a Western year: type the BE year; did you mean {value + BE_OFFSET}?)"
            )
        raise BadDate(f"{label}: ปี พ.ศ. {thai_digits(value)} ไม่น่าจะถูกต้อง {HOW_TO_TYPE}")
    return value - BE_OFFSET


def _date(day: int, month: int, year_ce: int, label: str) -> dt.date:
    try:
        return dt.date(year_ce, month, day)
    except ValueError:
        raise BadDate(
            f"{label}: ไม่มีวันที่ {thai_digits(day)} เดือน {thai_digits(month)} ปี พ.ศ. {thai_digits(year_ce + BE_OFFSET)} ให้พิมพ์วันก่อนเดือน "
            f"(there is no day {day} in month {month} of {year_ce + BE_OFFSET} BE: day first, then the month)"
        ) from None
