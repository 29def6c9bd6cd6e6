"""The publication request kept beside a publication: the form the integrity assessment (ITA)
asks for (who asked to publish, who approved, who posted, when, where), made from the records
once the announcement is published, and its files' hashes. History: written once, never changed."""

import datetime as dt

from sqlmodel import Field, SQLModel

from models.clock import utcnow


class PublicationRequest(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id", unique=True)
    address: str  # the public address printed on the form
    docx_path: str
    docx_sha256: str
    pdf_path: str = ""  # signed with the organisation's key (PAdES); empty without LibreOffice
    pdf_sha256: str = ""
    made_at: dt.datetime = Field(default_factory=utcnow)
