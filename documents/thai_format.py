"""Thai formatting shared by every document: Thai digits, Buddhist Era dates, signature lines.

Official documents print numbers as Thai digit characters (U+0E50-U+0E59), never as a font trick,
so that a copied or searched text reads the same as the printed one.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from pythainlp.util import arabic_digit_to_thai_digit, thai_strftime

from documents.context import Capacity, Signatory
from models.clock import OFFICE_TZ

OFFICE_ZONE = ZoneInfo(OFFICE_TZ)

# thai_strftime adds 543 to the year itself; "%-d" drops the leading zero, as offices write dates.
_FULL_DATE = "%-d %B พ.ศ. %Y"  # ประกาศ ณ วันที่ ๔ มีนาคม พ.ศ. ๒๕๖๔
_MEMO_DATE = "%-d %B %Y"  # the memo's วันที่ field omits "พ.ศ."
_SHORT_DATE = "%-d %b %y"  # minutes and initials are written short: ๘ มี.ค. ๖๔


def to_thai_digits(text: str | int) -> str:
    """Replace Arabic digits by Thai digits; every other character stays as it is."""
    return arabic_digit_to_thai_digit(str(text)) if str(text) else ""


def thai_number(n: int) -> str:
    """The label of a numbered item: 1 -> "๑."."""
    return f"{to_thai_digits(n)}."


def thai_date_full(date: dt.date) -> str:
    """The form announcements use: "๔ มีนาคม พ.ศ. ๒๕๖๔"."""
    return thai_strftime(_as_datetime(date), _FULL_DATE, thaidigit=True)


def thai_date_memo(date: dt.date) -> str:
    """The form of the memo's วันที่ field: "๔ มีนาคม ๒๕๖๔"."""
    return thai_strftime(_as_datetime(date), _MEMO_DATE, thaidigit=True)


def thai_date_short(date: dt.date) -> str:
    """The form of minutes and initials: "๘ มี.ค. ๖๔"."""
    return thai_strftime(_as_datetime(date), _SHORT_DATE, thaidigit=True)


def _as_datetime(date: dt.date) -> dt.datetime:
    # thai_strftime is typed for datetime; a plain date gets midnight so both are accepted.
    if isinstance(date, dt.datetime):
        return date
    return dt.datetime(date.year, date.month, date.day)


def signature_lines(signatory: Signatory) -> list[str]:
    """The lines printed under a signature: rank, "(full name)", then the position lines.

    An acting signer prints their own post followed by the capacity word, then the post acted for,
    e.g. "ปลัดเทศบาล ปฏิบัติหน้าที่" / "นายกเทศมนตรีตำบลโคกพุทรา": the reader must see both who signs
    and on whose authority.
    """
    lines = [signatory.rank] if signatory.rank else []
    lines.append(f"({signatory.full_name})")
    return lines + _position_lines(signatory)


def _position_lines(signatory: Signatory) -> list[str]:
    capacity = Capacity(signatory.capacity)  # also accepts the plain string read from a database
    if capacity is Capacity.SELF:
        return [signatory.position_title]
    if not signatory.acting_for_title:
        raise ValueError(
            f"{signatory.full_name} signs as {capacity.value!r} but acting_for_title (the post acted for) is empty"
        )
    return [f"{signatory.position_title} {capacity.value}", signatory.acting_for_title]


def thai_datetime(moment: dt.datetime) -> str:
    """A stored (UTC) moment as read in the office: "๒ ธ.ค. ๒๕๖๙ ๐๙:๑๕ น." (Asia/Bangkok, BE year)."""
    local = moment.astimezone(OFFICE_ZONE) if moment.tzinfo else moment.replace(tzinfo=dt.UTC).astimezone(OFFICE_ZONE)
    return thai_strftime(local.replace(tzinfo=None), "%-d %b %Y %H:%M", thaidigit=True) + " น."
