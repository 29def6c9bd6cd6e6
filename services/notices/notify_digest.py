"""The daily digest: one Thai message per person listing what waits for them and what is overdue.

Built from plain values so that it can be tested without a database; the daily flow fills the
`DigestItem`s from the queue. Numbers and dates are printed with Thai digits, as the office writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from documents.thai_format import thai_date_short, to_thai_digits
from models.clock import office_date
from services.notices.notify import Notification

NOTHING_WAITING = "ไม่มีเรื่องรอพิจารณา"


@dataclass(frozen=True)
class DigestItem:
    """One step waiting for the person.

    `due` is the due moment (an aware datetime, read as its date in Thailand) or a date;
    `overdue_working_days` is how many whole working days it is past due (0 if not yet).
    """

    register_number: str
    subject: str
    step: str = ""
    due: dt.date | dt.datetime | None = None
    overdue_working_days: int = 0


def digest_for(
    person_name: str,
    waiting: Sequence[DigestItem],
    overdue: Sequence[DigestItem],
    *,
    link: str | None = None,
) -> Notification:
    """The digest for one person. `waiting` holds the steps not yet past due and `overdue` those
    past due: each step belongs to one list only. Overdue ones come first: they are the urgent ones.

    Title: "รอพิจารณา ๓ เรื่อง, เกินกำหนด ๑ เรื่อง" (a part is left out when its count is zero).
    """
    parts = []
    if waiting:
        parts.append(f"รอพิจารณา {to_thai_digits(len(waiting))} เรื่อง")
    if overdue:
        parts.append(f"เกินกำหนด {to_thai_digits(len(overdue))} เรื่อง")
    title = ", ".join(parts) or NOTHING_WAITING

    lines = [f"เรียน {person_name}", ""]
    if overdue:
        lines += _section(f"เรื่องที่เกินกำหนด {to_thai_digits(len(overdue))} เรื่อง", overdue)
    if waiting:
        lines += _section(f"เรื่องที่รอพิจารณา {to_thai_digits(len(waiting))} เรื่อง", waiting)
    if not (waiting or overdue):
        lines += [f"วันนี้{NOTHING_WAITING}", ""]
    if link:
        lines += [f"ดูรายการทั้งหมด: {link}", ""]
    lines.append("ระบบสารบรรณ (แจ้งเตือนอัตโนมัติ)")
    return Notification(title=title, body="\n".join(lines))


def _section(heading: str, items: Sequence[DigestItem]) -> list[str]:
    lines = [heading]
    for number, item in enumerate(items, start=1):
        lines.append(f"{to_thai_digits(number)}. {_describe(item)}")
    return [*lines, ""]


def _describe(item: DigestItem) -> str:
    text = " ".join(part for part in (item.register_number, f"เรื่อง {item.subject}") if part)
    if item.step:
        text += f" ({item.step})"
    if item.due is not None:
        text += f" กำหนด {thai_date_short(_as_office_date(item.due))}"
    if item.overdue_working_days > 0:
        text += f" เกินกำหนด {to_thai_digits(item.overdue_working_days)} วันทำการ"
    return text


def _as_office_date(due: dt.date | dt.datetime) -> dt.date:
    return office_date(due) if isinstance(due, dt.datetime) else due
