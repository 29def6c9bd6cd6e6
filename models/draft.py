"""What a drafter writes: the memo's fields and the announcement it asks for.

A revision stores exactly this, as canonical JSON, and its SHA-256 is what approvals bind to.
Every path that writes a memo (web form, API, CLI file, the annual cycle) validates it here, so
that what would fail later (a subject longer than a .docx title may be, a character XML
cannot hold) is refused at the door with a message that says what to fix.
"""

import hashlib
import json
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from models.audit import canonical_json
from models.document_kinds import WRITTEN_IN_FULL, DocumentKind, kind_named

# Characters XML 1.0 cannot carry (a .docx is XML): C0 controls other than tab and newline.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_DATA_CHARS = 20_000  # the announcement's variables, as JSON
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def _xml_safe(text: str) -> str:
    if _NOT_XML.search(text):
        raise ValueError("contains a control character")
    return text


Text = Annotated[str, AfterValidator(_xml_safe)]


# The template name of an announcement the drafter writes in full (no template's wording).
GENERAL = "general"
GENERAL_TITLE = "ประกาศทั่วไป (เขียนเรื่องและข้อความเอง)"  # how a person names it (a file, the API)
GENERAL_CLOSING = "จึงประกาศมาให้ทราบด้วยทั่วกัน"
MAX_ITEMS = 50
# Each kind's closing when the drafter gives none (an order's is its "ทั้งนี้ ตั้งแต่ ..." line).
ORDER_CLOSING = "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"
CIRCULAR_CLOSING = "จึงเรียนมาเพื่อโปรดทราบและถือปฏิบัติ"
REPORT_CLOSING = "จึงเรียนมาเพื่อโปรดทราบ"
MEMO_CLOSING = "จึงเรียนมาเพื่อโปรดพิจารณา"
KIND_CLOSINGS = {DocumentKind.ORDER: ORDER_CLOSING, DocumentKind.CIRCULAR: CIRCULAR_CLOSING}
MAX_PREAMBLE = 20


def _one_line(text: str) -> str:
    # An item's text is the numbered line: its explanation goes in its own field.
    return " ".join(text.split())


# One numbered item (ข้อ) of a general announcement, and the paragraphs that explain it.
class AnnouncementItem(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: Annotated[Text, AfterValidator(_one_line)] = Field(min_length=1, max_length=2000, description="ข้อ")
    explanation: Text = Field(default="", max_length=5000, description="คำอธิบาย: one paragraph per line")


# An announcement on any topic, written by the drafter: its own subject, reason, items and closing.
class GeneralAnnouncement(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # Printed "เรื่อง <subject>"; the public title is "ประกาศ<organisation> เรื่อง <subject>".
    subject: Text = Field(min_length=1, max_length=250, description="เรื่อง (ของประกาศ)")
    preamble: list[Annotated[Text, Field(min_length=1, max_length=5000)]] = Field(
        min_length=1, max_length=MAX_PREAMBLE, description="ย่อหน้าเหตุผล one paragraph each"
    )
    items: list[AnnouncementItem] = Field(default_factory=list, max_length=MAX_ITEMS, description="ข้อ ๑, ๒ ...")
    closing: Text = Field(default=GENERAL_CLOSING, min_length=1, max_length=1000, description="คำลงท้าย")
    # A circular's addressee (เรียน ...): its staff. None for the other kinds, and then left out
    # of the canonical JSON, so general announcements stored before keep their hashes.
    addressee: Text | None = Field(default=None, min_length=1, max_length=200, description="เรียน (หนังสือเวียน)")


class AnnouncementDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template: str = Field(default="participation-measures", min_length=1, max_length=100)
    data: dict[str, Any] = Field(default_factory=dict)  # the template's variables
    # The drafter's own text when template is GENERAL (None otherwise, and then left out of the
    # canonical JSON, so revisions stored before it existed keep their hashes).
    general: GeneralAnnouncement | None = None
    # The published announcement (its publication id) this one replaces: once this one is
    # published, that one shows "แทนที่ด้วย ...". None, left out of the canonical JSON, otherwise.
    replaces: int | None = Field(default=None, ge=1)

    @field_validator("template", mode="before")
    @classmethod
    def _general_by_title(cls, template: object) -> object:
        return GENERAL if isinstance(template, str) and " ".join(template.split()) == GENERAL_TITLE else template

    @model_validator(mode="after")
    def _general_matches_template(self) -> "AnnouncementDraft":
        if self.template == GENERAL and self.general is None:
            raise ValueError("general announcement missing")
        if self.template != GENERAL and self.general is not None:
            raise ValueError("general text given with a template")
        return self

    @field_validator("data")
    @classmethod
    def _bounded(cls, data: dict[str, Any]) -> dict[str, Any]:
        if len(json.dumps(data, ensure_ascii=False)) > MAX_DATA_CHARS:
            raise ValueError(f"too long: at most {MAX_DATA_CHARS} characters")
        for text in _strings(data):
            _xml_safe(text)
        return data


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.keys()) + list(value.values())
    return [s for item in value for s in _strings(item)] if isinstance(value, list) else []


# One file sent with the memo (สิ่งที่ส่งมาด้วย), as the revision names it: its bytes are kept apart
# (services.memo_life.attachments), by this SHA-256. Being in the draft puts it in the revision's
# hash: a signer approving a revision approves exactly these files, and whether each is published.
class AttachmentRef(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Annotated[Text, AfterValidator(_one_line)] = Field(
        min_length=1, max_length=200, description="ชื่อไฟล์หรือคำอธิบาย"
    )
    size: int = Field(ge=1, description="bytes")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    published: bool = Field(default=False, description="เผยแพร่พร้อมประกาศ")


MAX_ATTACHMENTS = 5  # documents.attachment_check.MAX_FILES: models cannot import documents


class MemoDraft(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    unit: Text = Field(min_length=1, max_length=64, description="code of the sending unit (ส่วนราชการ)")
    # A .docx keeps the subject as its title, which may hold 255 characters at most.
    subject: Text = Field(min_length=1, max_length=250, description="เรื่อง")
    addressee: Text = Field(min_length=1, max_length=200, description="เรียน")
    origin: Text = Field(min_length=1, max_length=5000, description="ต้นเรื่อง")
    facts: Text = Field(min_length=1, max_length=5000, description="ข้อเท็จจริง")
    legal_basis: list[Annotated[Text, Field(max_length=1000)]] = Field(
        min_length=1, max_length=30, description="ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ"
    )
    considerations: Text = Field(min_length=1, max_length=5000, description="ข้อพิจารณาและข้อเสนอ")
    closing: Text = Field(default=MEMO_CLOSING, max_length=200)
    # What the memo asks for (models.document_kinds); None is an announcement and is left out of
    # the canonical JSON, so every memo stored before kinds existed keeps its hash.
    kind: DocumentKind | None = None
    # The document's text: an announcement's template or written text, an order's or a
    # circular's written text (template "general"); None for a report memo, which asks for none.
    announcement: AnnouncementDraft | None = None
    # None when there are none, and then left out of the canonical JSON: revisions stored before
    # attachments existed keep their hashes.
    attachments: list[AttachmentRef] | None = Field(default=None, max_length=MAX_ATTACHMENTS)

    @field_validator("attachments")
    @classmethod
    def _distinct_files(cls, attachments: list[AttachmentRef] | None) -> list[AttachmentRef] | None:
        if not attachments:
            return None
        if len({a.sha256 for a in attachments}) != len(attachments):
            raise ValueError("the same file attached twice")
        return attachments

    @field_validator("kind", mode="before")
    @classmethod
    def _kind_by_title(cls, kind: object) -> object:
        kind = kind_named(kind)
        return None if kind in (DocumentKind.ANNOUNCEMENT, "") else kind

    @model_validator(mode="after")
    def _text_fits_kind(self) -> "MemoDraft":
        kind = self.document_kind()
        if kind is DocumentKind.REPORT:
            if self.announcement is not None:
                raise ValueError("a report memo asks for no document")
            if "closing" not in self.model_fields_set or self.closing == MEMO_CLOSING:
                self.closing = REPORT_CLOSING  # a report is put up to be noted (เสนอเพื่อโปรดทราบ)
            return self
        if self.announcement is None:
            raise ValueError("document text missing")
        general = self.announcement.general
        if kind in WRITTEN_IN_FULL and general is None:
            raise ValueError("written text needed")
        if general is not None:
            _fit_general(kind, general)
        return self

    def document_kind(self) -> DocumentKind:
        # By title too: the form's live preview constructs a draft as typed, unvalidated.
        return DocumentKind(kind_named(self.kind)) if self.kind else DocumentKind.ANNOUNCEMENT

    def issued(self) -> "AnnouncementDraft":
        """The document's text (every kind but a report memo has one)."""
        if self.announcement is None:
            raise ValueError(f"a {self.document_kind().value} memo issues no document of its own")
        return self.announcement

    def attached(self) -> list[AttachmentRef]:
        return list(self.attachments or [])

    def form_values(self) -> dict[str, str]:
        """The draft as the memo form's fields (lists one item per line), for a saved draft."""
        return {
            "unit": self.unit,
            "subject": self.subject,
            "addressee": self.addressee,
            "origin": self.origin,
            "facts": self.facts,
            "legal_basis": "\n".join(self.legal_basis),
            "considerations": self.considerations,
            "closing": self.closing,
            "kind": self.document_kind().value,
            "template": self.announcement.template if self.announcement else GENERAL,
            "measures": "\n".join(self.announcement.data.get("measures", [])) if self.announcement else "",
            "replaces": str(self.announcement.replaces or "") if self.announcement else "",
            **general_form_values(self.announcement.general if self.announcement else None),
        }

    def canonical(self) -> str:
        return canonical_json(self.model_dump(mode="json", exclude_none=True))

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()


def _fit_general(kind: DocumentKind, general: GeneralAnnouncement) -> None:
    """A circular names its addressee, the other kinds do not; an order or a circular left with
    the announcement's closing gets its own kind's (what the form offers by default)."""
    if kind is DocumentKind.CIRCULAR and not general.addressee:
        raise ValueError("circular addressee missing")
    if kind is not DocumentKind.CIRCULAR and general.addressee is not None:
        raise ValueError("addressee only for a circular")
    closing = KIND_CLOSINGS.get(kind)
    if closing and general.closing == GENERAL_CLOSING:
        general.closing = closing


def general_form_values(general: GeneralAnnouncement | None) -> dict[str, str]:
    """A general announcement as the memo form's fields: ann_subject, ann_preamble (a paragraph
    a line), ann_closing, and item_N / item_N_explanation for each item (N from 1)."""
    if general is None:
        return {"ann_subject": "", "ann_preamble": "", "ann_closing": GENERAL_CLOSING, "doc_addressee": ""}
    values = {
        "doc_addressee": general.addressee or "",
        "ann_subject": general.subject,
        "ann_preamble": "\n".join(general.preamble),
        "ann_closing": general.closing,
    }
    for number, item in enumerate(general.items, start=1):
        values[f"item_{number}"] = item.text
        values[f"item_{number}_explanation"] = item.explanation
    return values


def draft_problems(error: ValidationError) -> list[tuple[str, str]]:
    """(field, what to fix in Thai and English) for each problem pydantic found in a draft."""
    return [
        (_field(problem["loc"]) or _whole_draft_field(problem), explain_problem(problem)) for problem in error.errors()
    ]


def _whole_draft_field(problem: dict) -> str:
    """The form's field for a problem found across the draft (the kind and its text)."""
    message = problem.get("msg", "")
    if "addressee" in message:
        return "doc_addressee"
    return "kind" if "asks for no document" in message else "template"


def _field(loc: tuple) -> str:
    if tuple(loc) in (("announcement",), ("kind",)):
        return "template" if loc[0] == "announcement" else "kind"
    if loc[-1:] == ("addressee",) and loc[:1] == ("announcement",):
        return "doc_addressee"
    if loc[:2] == ("announcement", "general"):
        return _general_field(loc[2:])
    names = [str(part) for part in loc if not isinstance(part, int)]
    return names[-1] if names and names[0] == "announcement" and len(names) > 1 else (names[0] if names else "")


def _general_field(loc: tuple) -> str:
    """The memo form's field for a problem in the general announcement: ann_subject,
    ann_preamble, ann_closing, ann_items, or item_3 / item_3_explanation (1-based)."""
    if not loc:
        return "ann_subject"
    if loc[0] == "items" and len(loc) >= 2 and isinstance(loc[1], int):
        suffix = "_explanation" if loc[2:] == ("explanation",) else ""
        return f"item_{loc[1] + 1}{suffix}"
    return f"ann_{loc[0]}"


def explain_problem(problem: dict) -> str:
    """One pydantic problem in words that say what to fix, Thai then English."""
    kind, context = problem["type"], problem.get("ctx", {})
    if kind in ("string_too_long", "too_long"):
        limit = context.get("max_length")
        unit = "ตัวอักษร" if kind == "string_too_long" else "รายการ"
        english = "characters" if kind == "string_too_long" else "items"
        return f"ยาวเกินไป ไม่เกิน {str(limit).translate(_THAI_DIGITS)} {unit} (too long: at most {limit} {english})"
    if kind in ("string_too_short", "too_short", "missing"):
        return "ต้องกรอก (required)"
    if kind == "value_error" and "control character" in problem["msg"]:
        return "มีอักขระควบคุมที่พิมพ์ไม่ได้ โปรดลบออก (contains a control character: remove it)"
    if kind == "value_error" and "too long" in problem["msg"]:
        return (
            f"ข้อมูลประกาศยาวเกินไป ไม่เกิน {str(MAX_DATA_CHARS).translate(_THAI_DIGITS)} ตัวอักษร "
            f"(announcement data too long: at most {MAX_DATA_CHARS} characters)"
        )
    if kind == "value_error" and "attached twice" in problem["msg"]:
        return "แนบไฟล์เดียวกันซ้ำ กรุณาเอาออกหนึ่งรายการ (the same file is attached twice: remove one)"
    if kind == "value_error" and "general announcement missing" in problem["msg"]:
        return "ต้องเขียนเรื่องและข้อความของประกาศ (write the announcement's subject and text)"
    if kind == "value_error" and "general text given" in problem["msg"]:
        return (
            'ข้อความประกาศที่เขียนเองใช้ได้กับแบบ "ประกาศทั่วไป" เท่านั้น '
            "(your own announcement text goes with the general announcement only)"
        )
    if kind == "value_error":
        for needle, words in _KIND_PROBLEMS.items():
            if needle in problem["msg"]:
                return words
    if kind == "enum":
        return "เลือกชนิดเอกสารจากรายการ: ประกาศ คำสั่ง หนังสือเวียน หรือรายงาน (choose a document kind from the list)"
    if kind == "extra_forbidden":
        return "ไม่รู้จักช่องนี้ (unknown field)"
    return f"ไม่ถูกต้อง ({problem['msg']})"


# The problems models.document_kinds brings, in words that say what to fix.
_KIND_PROBLEMS = {
    "asks for no document": (
        "บันทึกรายงานเสนอเพื่อโปรดทราบ ไม่มีประกาศหรือคำสั่งแนบ ให้ลบข้อความเอกสารออกหรือเลือกชนิดเอกสารอื่น "
        "(a report memo issues no announcement or order: remove the document text or choose another kind)"
    ),
    "document text missing": "ต้องเลือกแบบประกาศหรือเขียนข้อความเอกสาร (choose an announcement kind or write the document)",
    "written text needed": (
        'คำสั่งและหนังสือเวียนต้องเขียนเรื่องและข้อความเอง (เลือกแบบ "ประกาศทั่วไป") '
        "(an order or a circular is written in full: write its subject and text)"
    ),
    "circular addressee missing": "หนังสือเวียนต้องระบุผู้รับ (เรียน) (a circular needs its addressee: เรียน ...)",
    "addressee only for a circular": "ช่องเรียนของเอกสารใช้กับหนังสือเวียนเท่านั้น (an addressee goes with a circular only)",
}
