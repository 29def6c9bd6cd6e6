"""What a signing PIN must be: long enough, and not one of the first guesses anyone would try.

Pure rules, no database: the same check runs wherever a PIN is set (admin, own change, org
load, a reset code). A refused PIN raises BadPin with the reason in Thai and English.
"""

import datetime as dt
import itertools

from models.digits import arabic_digits, thai_digits
from models.settings import get_settings

MAX_DIGITS = 12
# The most used PINs that the rules below do not already catch (runs, one repeated digit,
# repeated blocks such as 121212 or 123123, dates): keypad shapes and "lucky" numbers.
COMMON_PINS = frozenset(
    {
        "112233",
        "111222",
        "123321",
        "159753",
        "147258",
        "147852",
        "258369",
        "789456",
        "456789",
        "987654",
        "102030",
        "010203",
        "135790",
        "246810",
        "159357",
        "753951",
        "741852",
        "963852",
        "852456",
        "124578",
        "12344321",
        "11223344",
        "12341234",
        "11112222",
        "13579246",
        "24681357",
        "147258369",
        "123456789",
    }
)


class BadPin(ValueError):
    """The PIN is not acceptable; the message says why and what to do, in Thai and English."""


def normalised_pin(typed: str) -> str:
    """The PIN as stored and compared: Arabic digits, no surrounding spaces."""
    return arabic_digits(typed.strip())


def check_new_pin(typed: str, min_digits: int | None = None) -> str:
    """The normalised PIN if it may be used as a signing PIN; BadPin otherwise."""
    pin = normalised_pin(typed)
    least = min_digits or get_settings().pin_min_digits
    if not (pin.isascii() and pin.isdigit()) or len(pin) > MAX_DIGITS:
        raise BadPin(
            f"รหัส PIN ต้องเป็นตัวเลขเท่านั้น {thai_digits(least)}-{thai_digits(MAX_DIGITS)} หลัก "
            f"(the PIN is digits only, {least} to {MAX_DIGITS} of them)"
        )
    if len(pin) < least:
        raise BadPin(f"รหัส PIN ต้องมีอย่างน้อย {thai_digits(least)} หลัก (the PIN needs at least {least} digits)")
    reason = weakness(pin)
    if reason:
        raise BadPin(reason)
    return pin


def weakness(pin: str) -> str:
    """Why this all-digit PIN is too easy to guess, or "" when it is not."""
    if len(set(pin)) == 1:
        return "รหัส PIN ต้องไม่ใช่ตัวเลขเดียวซ้ำกัน (the PIN must not repeat one digit)"
    if _run(pin):
        return "รหัส PIN ต้องไม่เรียงตัวเลขต่อกัน เช่น ๑๒๓๔๕๖ (the PIN must not be a run such as 123456 or 654321)"
    if pin in COMMON_PINS or _repeated_block(pin):
        return "รหัส PIN นี้ใช้กันมากและเดาง่าย กรุณาเลือกตัวเลขอื่น (this PIN is among the most common: choose another)"
    if _date_like(pin):
        return (
            "รหัส PIN ดูเหมือนวันที่ เช่น วันเกิด กรุณาเลือกตัวเลขที่ไม่ใช่วันที่ "
            "(the PIN looks like a date, such as a birthday: choose digits that are not a date)"
        )
    return ""


def _run(pin: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    return steps in ({1}, {9})  # 123456, 890123 / 654321, 210987


def _repeated_block(pin: str) -> bool:
    # 121212, 123123, 520520, 12341234: a block of at most half the PIN, said again and again.
    return any(len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size) for size in range(2, len(pin) // 2 + 1))


def _date_like(pin: str) -> bool:
    """A birthday is the first thing a guesser tries: day-month-year and year-month-day, with
    two-digit years, and with four-digit Christian or Buddhist Era years in 8-digit PINs."""
    if len(pin) == 6:
        return _is_date(pin[0:2], pin[2:4]) or _is_date(pin[4:6], pin[2:4]) or _is_date(pin[2:4], pin[0:2])
    if len(pin) == 8:
        return (_plausible_year(pin[4:8]) and (_is_date(pin[0:2], pin[2:4]) or _is_date(pin[2:4], pin[0:2]))) or (
            _plausible_year(pin[0:4]) and _is_date(pin[6:8], pin[4:6])
        )
    return False


def _is_date(day: str, month: str) -> bool:
    try:
        dt.date(2000, int(month), int(day))  # a leap year: 29 February counts
    except ValueError:
        return False
    return True


def _plausible_year(year: str) -> bool:
    return 1900 <= int(year) <= 2099 or 2440 <= int(year) <= 2642  # CE, or BE (CE + 543)
