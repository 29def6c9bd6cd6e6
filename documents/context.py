"""What the document builders need to know, as plain values.

The engine turns database records into these; the builders turn these into .docx bytes.
Nothing here touches the database, Prefect or the file system.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from models.decision_words import ACKNOWLEDGEMENT
from models.enums import Capacity


@dataclass(frozen=True)
class Signatory:
    """A signature block: rank, full name, own position and, when acting, whose post."""

    full_name: str  # "นางสาวสมหญิง แดงโสภา" (with the title of address)
    position_title: str  # the signer's own post: "ปลัดเทศบาล"
    rank: str = ""  # printed on its own line above the name: "ว่าที่ร้อยตรี"
    capacity: Capacity = Capacity.SELF
    acting_for_title: str = ""  # the post acted for, required unless capacity is SELF


@dataclass(frozen=True)
class Minute:
    """One superior's note on the memo (เกษียน), in the order it was written."""

    text: str  # "เรียน น.ทต.คพ\n- โปรดพิจารณา"; may hold several lines
    signatory: Signatory
    date: dt.date
    returned: bool = False  # True when the minute sends the memo back for revision
    disapproved: bool = False  # True when the minute ends the memo: ไม่อนุมัติ
    # An approval's word (models.decision_words: เห็นชอบ, or อนุมัติ at the last step), printed
    # when the signer wrote nothing, so an approving minute never stands as a bare signature.
    approval: str = ""

    @property
    def mark(self) -> str:
        """The bold first line that says what the minute decided, when it is not an approval."""
        return "ส่งคืนแก้ไข" if self.returned else "ไม่อนุมัติ" if self.disapproved else ""

    @property
    def lines(self) -> list[str]:
        """What the minute prints above the signature: the mark, then the signer's own words
        (or, for an approval without any, its word)."""
        own = self.text.splitlines() or ([self.approval] if self.approval and not self.mark else [])
        if self.approval == ACKNOWLEDGEMENT and own[:1] != [ACKNOWLEDGEMENT]:
            own = [ACKNOWLEDGEMENT, *own]  # a report's acknowledgement always says ทราบ, first
        return ([self.mark] if self.mark else []) + own


@dataclass(frozen=True)
class StageMark:
    """One preparation stage of the initials block: ร่าง, พิมพ์, ทาน or ตรวจ."""

    stage: str  # "ร่าง" | "พิมพ์" | "ทาน" | "ตรวจ"
    initials: str = ""  # empty when the stage is not recorded yet: prints "....."
    date: dt.date | None = None


@dataclass(frozen=True)
class Letterhead:
    organisation_name: str  # "เทศบาลตำบลโคกพุทรา"
    issuing_unit: str  # ส่วนราชการ line: "สป. (งค.)"
    phone: str = ""  # already in the form to print: "๐ ๓๕๖๑ ๐๘๙๑"
    fax: str = ""
    garuda_image: bytes | None = None  # PNG/JPEG supplied by the organisation
    garuda_preprinted: bool = False  # printed on Garuda paper: the emblem's room is left blank


@dataclass(frozen=True)
class MemoContext:
    """The memo (บันทึกข้อความ) as of one revision and the minutes recorded on it so far."""

    letterhead: Letterhead
    register_number: str  # "อท ๕๓๗๐๑.๔/๓๐", Thai digits already
    date: dt.date
    subject: str  # เรื่อง
    addressee: str  # เรียน
    origin: str  # ต้นเรื่อง
    facts: str  # ข้อเท็จจริง
    legal_basis: list[str]  # ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ, one item each, unnumbered
    considerations: str  # ข้อพิจารณาและข้อเสนอ
    drafter: Signatory
    closing: str = "จึงเรียนมาเพื่อโปรดพิจารณา"
    minutes: list[Minute] = field(default_factory=list)
    stages: list[StageMark] = field(default_factory=list)
    revision_label: str = ""  # "ฉบับแก้ไขครั้งที่ ๑" on revised memos, else ""
    attachments: list[str] = field(default_factory=list)  # สิ่งที่ส่งมาด้วย: each file's name, in order


@dataclass(frozen=True)
class AnnouncementContext:
    """The announcement (ประกาศ) text, already rendered from its Jinja2 template."""

    organisation_name: str  # printed after "ประกาศ": "ประกาศเทศบาลตำบลโคกพุทรา"
    subject: str
    preamble: list[str]  # paragraphs before the measures
    measures_heading: str  # the line that introduces the numbered measures ("" for none)
    measures: list[str]  # unnumbered; the builder numbers them ๑. ๒. ...
    closing: str  # "จึงประกาศมาให้ทราบด้วยทั่วกัน"
    date: dt.date  # printed "ประกาศ ณ วันที่ ๔ มีนาคม พ.ศ. ๒๕๖๔"
    signatory: Signatory
    garuda_image: bytes | None = None
    garuda_preprinted: bool = False  # printed on Garuda paper: the emblem's room is left blank
    # The same context serves an order (คำสั่ง) and a circular (หนังสือเวียน): kind says which
    # ("" for an announcement), number is its register number as printed ("๑/๒๕๗๐", "อท ๕๓๗๐๑/ว ๑๒";
    # "" before publication gives it one), addressee a circular's เรียน line.
    kind: str = ""
    number: str = ""
    addressee: str = ""
