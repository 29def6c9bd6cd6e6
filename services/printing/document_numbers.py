"""An order's or a circular's number, from its register, as printed (models.document_register).

Numbered per calendar year of the date the document prints (the last approval's office date),
given at publication: `expected_number` before the publication's transaction (to render the
files from a read), `take_number` inside it.
"""

import datetime as dt

from sqlmodel import Session

from models import Memo, Organisation
from models.document_kinds import NUMBERED, DocumentKind
from models.document_register import next_document_number, take_document_number
from services.printing.register_format import circular_number, order_number

BE_OFFSET = 543


def expected_number(session: Session, memo: Memo, issued_on: dt.date) -> str:
    """The number the memo's document would get if published now; "" for a kind without one."""
    if memo.document_kind not in NUMBERED:
        return ""
    year = issued_on.year + BE_OFFSET
    number = next_document_number(session, organisation_id=memo.organisation_id, kind=memo.document_kind, year=year)
    return _printed(session, memo, number, year)


def take_number(session: Session, memo: Memo, issued_on: dt.date) -> str:
    """The memo's document's number, taken from its kind's register for the calendar year of
    `issued_on`; kept only if the caller's transaction commits. "" for a kind without one."""
    if memo.document_kind not in NUMBERED:
        return ""
    year = issued_on.year + BE_OFFSET
    number = take_document_number(
        session,
        organisation_id=memo.organisation_id,
        kind=memo.document_kind,
        year=year,
        memo_id=memo.id,
        subject=memo.subject,
    )
    return _printed(session, memo, number, year)


def _printed(session: Session, memo: Memo, number: int, year: int) -> str:
    if memo.document_kind == DocumentKind.ORDER:
        return order_number(number, year)
    return circular_number(session.get(Organisation, memo.organisation_id).register_prefix, number)
