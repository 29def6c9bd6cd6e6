"""Staff acknowledgements (รับทราบ) of a published memo's announcement: a circular (หนังสือเวียน)
or any announcement the drafter or an administrator asks the staff to acknowledge.

The request and each acknowledgement are evidence (an assessor asks who has acknowledged a
circular, and when): both are insert-only (database triggers refuse UPDATE and DELETE, the
application's PostgreSQL role has no UPDATE or DELETE on them) and covered by the audit chain.
Reminders are state: one row per person per office day, so the daily round sends at most one.
"""

import datetime as dt

from sqlmodel import Field, SQLModel, UniqueConstraint

from models.clock import utcnow


# Who must acknowledge a published memo: the people chosen when it was asked, frozen (a person
# appointed later is not counted as "has not"; one deactivated later stays on the list).
class AcknowledgementRequest(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    memo_id: int = Field(foreign_key="memo.id", unique=True)  # once per memo
    publication_id: int = Field(foreign_key="publication.id")
    # What is acknowledged: the revision every signer approved and the announcement as published.
    revision_sha256: str
    announcement_sha256: str
    asked_by_id: int = Field(foreign_key="person.id")
    # everyone | units | positions, and the codes chosen (comma-separated), as the asker said it.
    scope: str = "everyone"
    scope_codes: str = ""
    recipient_ids_json: str  # [person id, ...], sorted
    remind_after_working_days: int = 3
    at: dt.datetime = Field(default_factory=utcnow)


# One person's รับทราบ, made by that person signed in; once per request (a second is a no-op).
class Acknowledgement(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("request_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="acknowledgementrequest.id", index=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    revision_sha256: str  # the hashes the person acknowledged (the request's, when they did)
    announcement_sha256: str
    via: str = "web"  # web | cli | api
    at: dt.datetime = Field(default_factory=utcnow)


# The reminder a person got on one office day for the circulars they had not acknowledged.
class AcknowledgementReminder(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("person_id", "day"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    day: dt.date  # the office day (Asia/Bangkok)
    memo_ids: str = ""  # comma-separated: what the reminder named
    state: str = "sending"  # sending | sent | failed | no-channel
    channels: int = 0  # confirmed channels it went to
    error: str = ""
    at: dt.datetime = Field(default_factory=utcnow)
