"""The registers of orders (คำสั่ง) and circulars (หนังสือเวียน ว): a running number per
organisation, kind and CALENDAR year (Buddhist Era), given when the document is published.

Apart from the memos' register (models.register, per fiscal year): an order's number says how
many orders the office issued this year, whatever memos asked for them. Taken the same way, by
one atomic UPDATE ... RETURNING on the counter row in the publication's transaction, so numbers
have no gaps and are never given twice; the entry says which memo each number went to.
"""

import datetime as dt

from sqlalchemy import text
from sqlmodel import Field, Session, SQLModel, UniqueConstraint, select

from models.clock import utcnow


# The last number given for one organisation, kind and calendar year.
class DocumentRegisterCounter(SQLModel, table=True):
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    kind: str = Field(primary_key=True)  # models.document_kinds.NUMBERED
    year: int = Field(primary_key=True)  # calendar year, Buddhist Era
    last_number: int = 0


# Every number given, and the memo whose document carries it. Insert-only (0030).
class DocumentRegisterEntry(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "kind", "year", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    kind: str
    year: int
    number: int
    memo_id: int = Field(foreign_key="memo.id", unique=True)
    subject: str
    taken_at: dt.datetime = Field(default_factory=utcnow)


def next_document_number(session: Session, *, organisation_id: int, kind: str, year: int) -> int:
    """The number the next document of `kind` would get: to render before publishing (the
    publication takes it, and renders again in the rare case another took it first)."""
    last = session.exec(
        select(DocumentRegisterCounter.last_number).where(
            DocumentRegisterCounter.organisation_id == organisation_id,
            DocumentRegisterCounter.kind == kind,
            DocumentRegisterCounter.year == year,
        )
    ).first()
    return (last or 0) + 1


def take_document_number(
    session: Session, *, organisation_id: int, kind: str, year: int, memo_id: int, subject: str
) -> int:
    """The next running number of `kind` in `year`; kept only if the caller's transaction commits."""
    keys = {"org": organisation_id, "kind": kind, "year": year}
    session.execute(
        text(
            "INSERT INTO documentregistercounter (organisation_id, kind, year, last_number) "
            "VALUES (:org, :kind, :year, 0) ON CONFLICT DO NOTHING"
        ),
        keys,
    )
    number = session.execute(
        text(
            "UPDATE documentregistercounter SET last_number = last_number + 1 "
            "WHERE organisation_id = :org AND kind = :kind AND year = :year RETURNING last_number"
        ),
        keys,
    ).scalar_one()
    session.add(
        DocumentRegisterEntry(
            organisation_id=organisation_id, kind=kind, year=year, number=number, memo_id=memo_id, subject=subject
        )
    )
    return number
