"""The ITA catalogue an organisation adopted for a fiscal year: its items, each with the position
that answers for it.

The catalogue itself is data (a YAML file: docs/ita-catalogue.md, services/ita/catalogue_format.py);
these rows are what one organisation adopted of it. Every row carries its organisation, and every
read filters on it: one organisation never sees another's catalogue. The rows hold current state
(a later load updates an item not yet opened), so they are not insert-only; each change is in the
audit chain instead (action `ita.*`, subject `organisation:CODE`).
"""

import datetime as dt

from sqlmodel import Field, SQLModel, UniqueConstraint

from models.clock import utcnow

# Where an item's responsible position came from, weakest first: a later load recomputes the
# first two, and never replaces an administrator's choice.
FROM_CATALOGUE = "catalogue"  # the catalogue's default (`responsible:`)
FROM_ORGANISATION_FILE = "organisation-file"  # the organisation file's `ita:` section
FROM_ADMIN = "admin"  # chosen on /admin/ita for this year's item


# One catalogue adopted by one organisation for one fiscal year (BE).
class ItaCatalogue(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "fiscal_year"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    fiscal_year: int  # BE: 2570
    scheme: str  # "ITA ปีงบประมาณ พ.ศ. ๒๕๗๐ (OIT) องค์กรปกครองส่วนท้องถิ่น"
    agency_title: str = ""  # the kind of agency as the scheme names it: "องค์กรปกครองส่วนท้องถิ่น (อปท.)"
    opens_on: dt.date  # when yearly items open unless an item says otherwise (default 1 October)
    source_file: str = ""  # the file's name as loaded, for people (not a path to read again)
    content_sha256: str  # of the validated catalogue (comments and layout aside): same file, same hash
    # The whole validated file as canonical JSON (sources, uncertain notes ...), for what is not
    # in columns; the items' columns are what code reads.
    content_json: str
    adopted_by: str
    adopted_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


# One item of an adopted catalogue (O1, MOIT1 ...): what it needs, when, and who answers for it.
class ItaItem(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("catalogue_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    catalogue_id: int = Field(foreign_key="itacatalogue.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)  # the catalogue's, for the filter
    fiscal_year: int  # the catalogue's (BE)
    code: str  # "O1", "MOIT1": stable within the catalogue; the public page's URL uses it
    ordinal: int  # its place in the file, for listing in the scheme's order
    title: str  # Thai, as the scheme words it
    indicator: str  # Thai: the indicator (and sub-indicator) it belongs to
    shape: str  # announcement | order | circular | plan | report | disclosure
    cadence: str  # yearly | six-monthly | monthly | on-demand
    opens_on: dt.date | None = None  # a yearly item opening on another day than the catalogue's
    due_on: dt.date | None = None  # a fixed due date, or ...
    due_days_after_opening: int | None = None  # ... days after each opening (each period's)
    due_in_working_days: bool = False  # whether those days are working days (models.workdays)
    document_kinds: str = ""  # comma-separated: memo,announcement,order,report-memo
    templates: str = ""  # comma-separated template names the drafts start from
    attachments_json: str = "[]"  # the attachments expected (Thai descriptions), a JSON list
    circular_required: bool = False  # a หนังสือเวียน to staff, acknowledged by each
    publication_request_required: bool = False  # the publication request form beside the published file
    responsible_json: str = "[]"  # the catalogue's default position names, as written, a JSON list
    position_id: int = Field(foreign_key="position.id")  # who answers for the item now
    position_source: str = FROM_CATALOGUE  # FROM_CATALOGUE | FROM_ORGANISATION_FILE | FROM_ADMIN
    uncertain: str = ""  # where the catalogue is not sure of a number or title
    # Set by whatever opens the item's work for the year (the year opening); from then on a later
    # load of the catalogue leaves the item as it is.
    opened_at: dt.datetime | None = None
    updated_at: dt.datetime = Field(default_factory=utcnow)


# The organisation file's `ita:` section: this organisation's position for an item code, in any
# catalogue it adopts (services.accounts.org_loader writes it; services.ita applies it).
class ItaPositionChoice(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "item_code"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    item_code: str
    position_id: int = Field(foreign_key="position.id")


# One period of one item's work, opened once (the unique key makes a second opening a no-op,
# whoever runs it): the yearly item's year, a six-monthly report's half, a monthly report's month,
# or one on-demand round. It records who answered for it when it opened, when it is due, and
# what it produced: the saved draft opened for the holder (services.yearly.ita_opening), and the
# memo sent from it (ItaWorkMemo, written by the submission) and that memo's publication; or, for a
# disclosure item, the live address someone gave and confirmed.
class ItaWork(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("item_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="itaitem.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)  # the item's, for the filter
    fiscal_year: int  # the catalogue's (BE)
    period: str  # "2570", "2570-H1", "2570-M03" (the fiscal year's third month: December), "2570-D1"
    period_title: str  # "ปีงบประมาณ พ.ศ. ๒๕๗๐", "เดือนธันวาคม ๒๕๖๙" ...
    opened_at: dt.datetime = Field(default_factory=utcnow)
    opened_by: str = "system"  # "system" (the schedule) or the username who opened it by hand
    due_at: dt.datetime | None = None
    position_id: int = Field(foreign_key="position.id")  # who answered for it when it opened
    # None for a disclosure item; indexed: each submission from a saved draft looks for its work.
    draft_id: int | None = Field(default=None, foreign_key="saveddraft.id", index=True)
    # A disclosure item's live address, given (and later confirmed each year) by the responsible person.
    url: str = ""
    url_given_by: str = ""
    url_given_at: dt.datetime | None = None


# The memo sent from a period's draft: which memo answers the item is history, written once by
# the submission in its own transaction (with its audit entry) and never changed, so the item's
# public page cannot be pointed at another memo's publication by editing a row. A period may have
# several (a memo ended, and another sent for it); a memo answers one period at most.
class ItaWorkMemo(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    work_id: int = Field(foreign_key="itawork.id", index=True)
    memo_id: int = Field(foreign_key="memo.id", unique=True)
    recorded_at: dt.datetime = Field(default_factory=utcnow)
