"""What the web app keeps: login sessions and unsent drafts."""

import datetime as dt

from sqlalchemy import Index, false
from sqlmodel import Field, SQLModel

from models.clock import utcnow


# A signed-in browser. Only the token's SHA-256 is stored, so a copy of the database
# cannot be used to take over a session.
class WebSession(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    token_sha256: str = Field(unique=True, index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    csrf_token: str  # echoed in every form; a post without it is refused
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_seen_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime  # absolute end, however active the session is


# One try at logging in, recorded before the password is checked, so that parallel tries
# count each other (web.login_throttle). The username is kept only as a keyed hash: a password
# typed into the username field must not be readable in the database.
class LoginAttempt(SQLModel, table=True):
    __table_args__ = (
        Index("ix_loginattempt_address_at", "address", "at"),
        Index("ix_loginattempt_username_key_at", "username_key", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow)
    address: str  # the client's IP address
    username_key: str  # HMAC-SHA256 of the typed username, keyed by an instance secret
    succeeded: bool = False  # false until the password is found right: a try in progress counts
    # Whether somebody had the typed username: only such tries count toward blocking an address
    # (services.accounts.login_throttle).
    known_username: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


# A memo being written, not yet submitted (nothing is numbered or routed before submission).
class SavedDraft(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    content_json: str  # the form's fields as entered, valid or not
    updated_at: dt.datetime = Field(default_factory=utcnow)
    # Drafts the annual cycle opens: for whoever holds the drafting position, due by a date.
    position_id: int | None = Field(default=None, foreign_key="position.id")
    due_at: dt.datetime | None = None
    origin: str = ""  # "cycle 2570 participation-measures"
    note: str = ""  # what the drafter should know: the changes from last year's text
    # The memo the draft was sent as: kept (not deleted) so that Back to the draft's form, or its
    # old link, leads to that memo instead of "no such draft" (issue 20). Hidden from the lists.
    sent_memo_id: int | None = Field(default=None, foreign_key="memo.id")
