"""What was published for a memo: the frozen files and their hashes."""

import datetime as dt

from sqlmodel import Field, SQLModel

from models.clock import utcnow


# The announcement as published, bound to the approved revision.
class Publication(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", unique=True)
    revision_sha256: str  # the revision every step of the last round approved
    announcement_path: str
    announcement_sha256: str
    memo_path: str
    memo_sha256: str
    announcement_date: dt.date  # printed "ประกาศ ณ วันที่ ..."
    published_at: dt.datetime = Field(default_factory=utcnow)
