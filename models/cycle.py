"""The annual review cycle: what was opened for which organisation, fiscal year and item."""

import datetime as dt

from sqlmodel import Field, SQLModel, UniqueConstraint

from models.clock import utcnow


# One recurring item opened for one fiscal year; its existence makes a second run a no-op.
class CycleItem(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "fiscal_year", "item"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    fiscal_year: int  # the year opened (BE)
    item: str  # the announcement template that recurs: "participation-measures"
    previous_memo_id: int | None = Field(default=None, foreign_key="memo.id")  # last year's, if any
    review_draft_id: int = Field(foreign_key="saveddraft.id")
    announcement_draft_id: int = Field(foreign_key="saveddraft.id")
    opened_at: dt.datetime = Field(default_factory=utcnow)
