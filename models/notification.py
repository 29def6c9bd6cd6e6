"""Where an organisation's notifications go, what was sent, and escalated steps."""

import datetime as dt

from sqlmodel import Field, SQLModel, UniqueConstraint

from models.clock import utcnow


# An Apprise URL (mailto://, json://, line://, tgram://, ...) configured by the organisation.
class NotificationChannel(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str
    url: str  # may carry a password: never shown or logged in clear
    recipient_username: str | None = None  # a personal channel; None for a shared one
    purpose: str = "all"  # digest | publication | all
    active: bool = True


# Every notification sent or given up on, for the officer and the assessor to see.
class NotificationLog(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    channel: str
    recipient: str = ""
    title: str
    ok: bool
    attempts: int
    error: str = ""
    at: dt.datetime = Field(default_factory=utcnow)


# A step that stayed overdue too long, sent up to the position above.
class Escalation(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("memo_id", "round", "step_index"),)
    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    round: int
    step_index: int
    to_position_id: int = Field(foreign_key="position.id")
    at: dt.datetime = Field(default_factory=utcnow)
