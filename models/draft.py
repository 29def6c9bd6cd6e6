"""What a drafter writes: the memo's fields and the announcement it asks for.

A revision stores exactly this, as canonical JSON, and its SHA-256 is what approvals bind to.
"""

import hashlib
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from models.audit import canonical_json


class AnnouncementDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template: str = Field(default="participation-measures", min_length=1)
    data: dict[str, Any] = Field(default_factory=dict)  # the template's variables


class MemoDraft(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    unit: str = Field(min_length=1, description="code of the sending unit (ส่วนราชการ)")
    subject: str = Field(min_length=1, description="เรื่อง")
    addressee: str = Field(min_length=1, description="เรียน")
    origin: str = Field(min_length=1, description="ต้นเรื่อง")
    facts: str = Field(min_length=1, description="ข้อเท็จจริง")
    legal_basis: list[str] = Field(min_length=1, description="ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ")
    considerations: str = Field(min_length=1, description="ข้อพิจารณาและข้อเสนอ")
    closing: str = "จึงเรียนมาเพื่อโปรดพิจารณา"
    announcement: AnnouncementDraft

    def form_values(self) -> dict[str, str]:
        """The draft as the memo form's fields (lists one item per line), for a saved draft."""
        return {"unit": self.unit, "subject": self.subject, "addressee": self.addressee, "origin": self.origin,
                "facts": self.facts, "legal_basis": "\n".join(self.legal_basis),
                "considerations": self.considerations, "closing": self.closing,
                "template": self.announcement.template,
                "measures": "\n".join(self.announcement.data.get("measures", []))}

    def canonical(self) -> str:
        return canonical_json(self.model_dump(mode="json"))

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()
