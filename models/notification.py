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


# How a person wants to hear of work: at once when it arrives, in the daily digest, or both.
NOTIFY_MODES = ("both", "immediate", "digest")
DEFAULT_NOTIFY_MODE = "both"


# A person's choice (no row: DEFAULT_NOTIFY_MODE). A setting, not history: it may be changed.
class NotificationPreference(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", unique=True)
    mode: str = DEFAULT_NOTIFY_MODE  # one of NOTIFY_MODES
    updated_at: dt.datetime = Field(default_factory=utcnow)


# An outbox row: the transaction that moved a memo to a new wait (or escalated it) records that
# work arrived, and the notice sender later works out who may act and notifies them.
class WorkArrival(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    wait_key: str  # services.outbox.work_arrivals.wait_key: which wait of the memo this is
    reason: str = "moved"  # moved | escalated
    created_at: dt.datetime = Field(default_factory=utcnow)
    claimed_until: dt.datetime | None = None
    resolved_at: dt.datetime | None = Field(default=None, index=True)  # its notices were made


# One immediate notification to one person on one of their channels, for one wait of a memo:
# at most one row per (memo, wait, person, channel), so nobody is told twice of the same arrival.
class WorkNotice(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("memo_id", "wait_key", "person_id", "channel"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    memo_id: int = Field(foreign_key="memo.id", index=True)
    wait_key: str
    person_id: int = Field(foreign_key="person.id")
    channel: str  # the NotificationChannel's name (its URL is read at sending time)
    title: str
    body: str
    state: str = Field(default="pending", index=True)  # pending | sent | failed | moot
    attempts: int = 0
    next_attempt_at: dt.datetime = Field(default_factory=utcnow)
    claimed_until: dt.datetime | None = None
    last_error: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)
    sent_at: dt.datetime | None = None


# What a person must hear of their own account, and an administrator of another's: an
# administrator reset their password or PIN, added a signer, appointed someone to a position,
# changed a chain (services.accounts.security_notices). Kept for the account and admin pages,
# and sent on the recipient's own channels by the notice sender (services.notices.security_sender).
# Never holds a secret: a one-time PIN travels once, at the reset, and is not kept.
class SecurityNotice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)  # who is told
    title: str
    body: str
    state: str = Field(default="pending", index=True)  # pending | sent | failed | no-channel
    attempts: int = 0
    next_attempt_at: dt.datetime = Field(default_factory=utcnow)
    claimed_until: dt.datetime | None = None
    last_error: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)
    sent_at: dt.datetime | None = None
