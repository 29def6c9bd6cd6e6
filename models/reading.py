"""Which revision of a memo each person has seen, so a revised memo can show them what changed."""

import datetime as dt

from sqlmodel import Field, SQLModel, UniqueConstraint

from models.clock import utcnow


# Current state, not history (one row per person and memo, updated in place): the revision the
# person last opened, and the one they had seen before it, the base of "what changed since".
class MemoReading(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("memo_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    seen_revision: int  # the revision number shown at the last visit
    compared_from: int | None = None  # the revision seen before that one, while it differs
    at: dt.datetime = Field(default_factory=utcnow)
