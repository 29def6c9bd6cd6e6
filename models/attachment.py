"""The files a memo's revision carries (สิ่งที่ส่งมาด้วย): one insert-only row per file per revision.

The revision's own content (models.draft.AttachmentRef) names each file by name, size, SHA-256
and whether it is published with the announcement, so its hash binds them; these rows say the
same in a form the pages and publication can query, and are covered by the audit chain like the
revision (models.audit_records). A revision after a return has rows of its own: a file kept from
the revision before is a new row with the same SHA-256.
"""

import datetime as dt

from sqlmodel import Field, SQLModel, UniqueConstraint

from models.clock import utcnow


# One attached file of one revision, in the order the memo lists it (๑, ๒, ...).
class MemoAttachment(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("revision_id", "number"),
        UniqueConstraint("revision_id", "sha256"),
    )
    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    revision_id: int = Field(foreign_key="revision.id", index=True)
    number: int  # 1-based: the order printed under สิ่งที่ส่งมาด้วย
    name: str  # the file's name or description as the drafter gave it
    media_type: str  # judged from the content (documents.attachment_check), never from the name
    size: int
    sha256: str  # also the stored file's name (services.memo_life.attachments)
    published: bool  # เผยแพร่พร้อมประกาศ: listed and downloadable on the public page once published
    at: dt.datetime = Field(default_factory=utcnow)
