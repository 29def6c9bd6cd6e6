"""Register numbers (เลขที่หนังสือ): prefix + running number per organisation and fiscal year.

The number is taken inside the caller's transaction by one atomic UPDATE ... RETURNING on the
counter row. That row lock serialises concurrent requests on PostgreSQL and SQLite alike, and
a rolled-back transaction gives its number back with it, so numbers have no gaps and are
never used twice.
"""

import datetime as dt

from sqlalchemy import text
from sqlmodel import Field, Session, SQLModel, UniqueConstraint

from models.clock import utcnow


# The last number handed out for one organisation in one fiscal year.
class RegisterCounter(SQLModel, table=True):
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    fiscal_year: int = Field(primary_key=True)  # Buddhist Era
    last_number: int = 0


# Every number handed out, and what it was given to.
class RegisterEntry(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "fiscal_year", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    fiscal_year: int
    number: int
    subject: str
    taken_at: dt.datetime = Field(default_factory=utcnow)


def take_register_number(session: Session, *, organisation_id: int, fiscal_year: int, subject: str) -> int:
    """The next running number; it is kept only if the caller's transaction commits."""
    keys = {"org": organisation_id, "fy": fiscal_year}
    session.execute(
        text(
            "INSERT INTO registercounter (organisation_id, fiscal_year, last_number) "
            "VALUES (:org, :fy, 0) ON CONFLICT DO NOTHING"
        ),
        keys,
    )
    number = session.execute(
        text(
            "UPDATE registercounter SET last_number = last_number + 1 "
            "WHERE organisation_id = :org AND fiscal_year = :fy RETURNING last_number"
        ),
        keys,
    ).scalar_one()
    session.add(RegisterEntry(organisation_id=organisation_id, fiscal_year=fiscal_year, number=number, subject=subject))
    return number
