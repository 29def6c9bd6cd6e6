"""Where an organisation's notifications go, what was sent, and escalated steps."""

import datetime as dt

from sqlmodel import Field, SQLModel, UniqueConstraint, col

from models.clock import utcnow


# An Apprise URL (mailto://, json://, line://, tgram://, ...) configured by the organisation, or
# one a person added on /account (origin "self": services.notices.own_channels). Two URLs of
# Saraban's own name a person's place without holding a secret: saraban-mail://ADDRESS (sent
# through the office's mail server, SARABAN_MAIL_URL) and saraban-line://ORG/USERID (pushed
# through the office's LINE Official Account).
class NotificationChannel(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str
    url: str  # may carry a password: never shown or logged in clear
    recipient_username: str | None = None  # a personal channel; None for a shared one
    purpose: str = "all"  # digest | publication | all | work (a person's own: never a publication's)
    active: bool = True
    # A channel a person adds is used only once the code of its test message came back: until
    # then a typo'd address (or someone else's) receives nothing but that test. The
    # organisation file's channels are the operator's word: confirmed as loaded.
    confirmed: bool = True
    origin: str = "organisation"  # organisation | self
    added_at: dt.datetime | None = None


# The purposes that make a channel a person's own (their work notices, digests, security notices).
PERSONAL_PURPOSES = ("all", "digest", "work")


def usable_personal_channel(organisation_id: int, username: str) -> list:
    """The conditions a row must meet to carry `username`'s own notices: one place for the
    sender, the digest and the administrator's list of who has none."""
    return [
        NotificationChannel.organisation_id == organisation_id,
        NotificationChannel.active,
        NotificationChannel.confirmed,
        NotificationChannel.recipient_username == username,
        col(NotificationChannel.purpose).in_(PERSONAL_PURPOSES),
    ]


# A one-time code, kept only as an HMAC (services.notices.codes): the code of a new channel's
# test message, to be typed back on /account ("confirm"), or the code a person sends to the
# office's LINE account to link their LINE user to themselves ("line-link"). Used once; expires.
class NotificationCode(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    purpose: str  # confirm | line-link
    channel_id: int | None = Field(default=None, foreign_key="notificationchannel.id", index=True)
    code_hash: str = Field(index=True)
    expires_at: dt.datetime
    tries: int = 0  # wrong codes typed against it: past the limit it is void
    used_at: dt.datetime | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)


# The office's LINE Official Account (Messaging API channel): people link their LINE to Saraban
# by sending it a code, and notices are pushed through it. The channel secret checks LINE's
# webhook signatures and the access token authorises pushes: both sealed (models.sealed), never
# shown back, never logged. `basic_id` (@xxxx) is what people add as a friend: shown to them.
class LineAccount(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", unique=True)
    basic_id: str = ""
    channel_secret_sealed: str
    access_token_sealed: str
    updated_by: str
    updated_at: dt.datetime = Field(default_factory=utcnow)


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
