"""What the web app keeps: login sessions and unsent drafts."""

import datetime as dt

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
