"""What an evidence pack holds: its items, the files each recorded, and the checks of those files.

Both the pack's writer (services.yearly.evidence) and its index (services.yearly.evidence_index) read these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

RECORD_FILE = "publication.json"  # in each item's folder
ATTACHMENT = "attachment"  # the role of a file published with the announcement, kept under its SHA-256


@dataclass(frozen=True)
class RecordedFile:
    role: str  # memo | announcement | memo-pdf | announcement-pdf | attachment
    path: Path
    sha256: str  # as recorded at publication


@dataclass(frozen=True)
class FileCheck:
    role: str
    name: str
    recorded_sha256: str
    actual_sha256: str  # "" when the file is gone
    in_pack: bool

    @property
    def matches(self) -> bool:
        return self.actual_sha256 == self.recorded_sha256

    @property
    def problem(self) -> str:
        if self.matches:
            return ""
        if not self.actual_sha256:
            return f"{self.name}: ไม่พบไฟล์ (the file is missing)"
        return (
            f"{self.name}: SHA-256 ไม่ตรงกับที่บันทึกไว้ (does not match the recorded hash: "
            f"recorded {self.recorded_sha256}, now {self.actual_sha256})"
        )


@dataclass(frozen=True)
class EndedMemo:
    """A memo of the year that ended without publication: listed apart in the pack, never as evidence."""

    organisation: str
    register_number: str
    subject: str
    how: str  # withdrawn | disapproved | cancelled (models.enums.MemoStatus)
    how_text: str  # ถอนเรื่อง | ไม่อนุมัติ | ยกเลิกเรื่อง
    by: str  # the person's full name
    at: str  # ISO time
    reason: str


@dataclass(frozen=True)
class EvidenceItem:
    folder: str  # <org code>/memo-<id>, relative to the pack
    record: dict  # publication.json without the file checks
    documents: list[RecordedFile]  # what the folder holds: the memo, then the announcement
    recorded: list[RecordedFile]  # every file the publication recorded by hash
    checks: list[FileCheck] = field(default_factory=list)  # filled once the folder is written

    @property
    def problems(self) -> list[str]:
        return [f"{self.folder}/{check.problem}" for check in self.checks if not check.matches]
