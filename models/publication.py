"""What was published for a memo: the frozen files and their hashes."""

import datetime as dt

from sqlmodel import Field, SQLModel, UniqueConstraint

from models.clock import utcnow


# The announcement as published, bound to the approved revision. Insert-only (0008).
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
    # The publication request record an assessor asks for: who asked, who approved, who posted.
    requested_by_id: int | None = Field(default=None, foreign_key="person.id")  # the drafter
    approved_by_id: int | None = Field(default=None, foreign_key="person.id")  # the last signer
    posted_by: str = ""  # a username, or "system" for automatic channels
    announcement_pdf_path: str = ""
    announcement_pdf_sha256: str = ""
    memo_pdf_path: str = ""
    memo_pdf_sha256: str = ""
    # The certificate both PDFs were signed with (PAdES), kept so that they still verify after
    # the organisation changes its certificate; the key itself is never in the database.
    signing_certificate_pem: str = ""
    signing_certificate_sha256: str = ""  # "AB:CD:...", as `openssl x509 -fingerprint -sha256` prints it
    signing_certificate_subject: str = ""
    notice_board_posted_on: dt.date | None = None  # ปิดประกาศ
    notice_board_remove_on: dt.date | None = None
    # The audit chain's head ("SEQ:MAC") just before this publication's own entry, printed on
    # the public page and the feed: whoever keeps it can later check that history up to it was
    # not rewritten (`saraban audit verify --head`).
    audit_head: str = ""
    # The announcement as published (0013): its own subject, its title as on paper
    # ("ประกาศ<organisation> เรื่อง <subject>") and its words (services.printing.rendering's AnnouncementText
    # as JSON, the text whose hash the signers approved). Empty on rows published before.
    announcement_subject: str = ""
    announcement_title: str = ""
    announcement_words_json: str = ""
    # What was issued (0030, models.document_kinds): an announcement, an order, a circular or a
    # report; "announcement" on rows published before. An order's or a circular's own number as
    # printed ("๑/๒๕๗๐", "อท ๕๓๗๐๑/ว ๑๒"), "" for the kinds that have none.
    document_kind: str = "announcement"
    document_number: str = ""

    @property
    def is_circular(self) -> bool:
        """A circular to staff (หนังสือเวียน): its recipients acknowledge it once published."""
        return self.document_kind == "circular"


# One channel an announcement goes out on (website, notice board, a social channel), and how it went.
class PublicationChannel(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("publication_id", "channel"),)
    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id", index=True)
    channel: str  # "website", "notice-board", or a notification channel's name
    status: str = "pending"  # pending | sending | posted | failed
    # When a sender claimed the row: a row left "sending" by a process that died is not sent
    # again by itself (it may have gone out); it turns "failed" for the officer to check.
    sending_since: dt.datetime | None = None
    attempts: int = 0
    last_error: str = ""
    link: str = ""  # where it can be seen
    posted_at: dt.datetime | None = None
    # The notice board is posted by hand: who put it up (a person of the organisation) and on
    # which day, recorded by that person (services.publication.notice_board); None for the other channels.
    posted_by_id: int | None = Field(default=None, foreign_key="person.id")
    posted_on: dt.date | None = None


# A published announcement cancelled (a wrong date, a measure withdrawn): its number, files and
# public page stay, marked cancelled with the date and reason, and `saraban verify` says so.
# Insert-only, one per publication, covered by the audit chain.
class PublicationCancellation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id", unique=True)
    person_id: int = Field(foreign_key="person.id")  # the administrator who cancelled it
    reason: str
    # The later announcement that replaces it (แทนที่), when it was superseded rather than cancelled.
    superseded_by_id: int | None = Field(default=None, foreign_key="publication.id")
    at: dt.datetime = Field(default_factory=utcnow)
