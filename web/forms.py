"""The memo form: what an officer types, checked field by field with messages in Thai.

The announcement is either one of the organisation's templates or a general announcement the
officer writes: its subject (ann_subject), preamble (ann_preamble, a paragraph a line), numbered
items (item_N and item_N_explanation, N from 1) and closing (ann_closing).
"""

import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from documents.thai_format import to_thai_digits
from models.document_kinds import DocumentKind, kind_named
from models.draft import (
    GENERAL,
    GENERAL_CLOSING,
    KIND_CLOSINGS,
    MAX_ITEMS,
    AnnouncementDraft,
    AnnouncementItem,
    AttachmentRef,
    GeneralAnnouncement,
    MemoDraft,
    draft_problems,
    general_form_values,
)

LABELS = {
    "unit": "ส่วนราชการ",
    "subject": "เรื่อง",
    "addressee": "เรียน",
    "origin": "ต้นเรื่อง",
    "facts": "ข้อเท็จจริง",
    "legal_basis": "ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ",
    "considerations": "ข้อพิจารณาและข้อเสนอ",
    "closing": "คำลงท้าย",
    "template": "แบบประกาศ",
    "measures": "มาตรการ",
    "ann_subject": "เรื่องของประกาศ",
    "ann_preamble": "ย่อหน้าเหตุผลของประกาศ",
    "ann_closing": "คำลงท้ายประกาศ",
    "ann_items": "ข้อของประกาศ",
    "replaces": "แทนที่ประกาศเดิม",
    "kind": "ชนิดเอกสาร",
    "doc_addressee": "เรียน (หนังสือเวียน)",
    "attachments": "สิ่งที่ส่งมาด้วย",
}
FIELDS = (
    "unit",
    "subject",
    "addressee",
    "origin",
    "facts",
    "legal_basis",
    "considerations",
    "closing",
    "template",
    "measures",
    "ann_subject",
    "ann_preamble",
    "ann_closing",
    "replaces",
    "kind",
    "doc_addressee",
)
ITEM_FIELD = re.compile(r"^item_(\d{1,3})(_explanation)?$")
MAX_ROWS = MAX_ITEMS + 10  # rows read from a post: more items than allowed are refused, not dropped
BLANK_ROWS = 2  # empty item rows offered below the written ones


@dataclass
class MemoForm:
    """The form's values as typed (strings), and what is wrong with them."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    # The files the form carries (checked and staged already: web.attachment_form).
    attachments: list[AttachmentRef] = field(default_factory=list)

    @classmethod
    def empty(cls, **defaults: str) -> "MemoForm":
        values = {name: defaults.get(name, "") for name in FIELDS}
        values["ann_closing"] = values["ann_closing"] or GENERAL_CLOSING
        values["kind"] = values["kind"] or DocumentKind.ANNOUNCEMENT.value
        return cls(values)

    @classmethod
    def from_values(cls, given: dict[str, str], *extra: str) -> "MemoForm":
        """From a post or a saved draft: the known fields, and the item rows written, renumbered
        from 1 so that row N is item N (an empty row in between is dropped)."""
        values = {name: str(given.get(name, "")) for name in (*FIELDS, *extra)}
        rows = []
        for number in range(1, MAX_ROWS + 1):
            text = str(given.get(f"item_{number}", "")).strip()
            explanation = str(given.get(f"item_{number}_explanation", "")).strip()
            if text or explanation:
                rows.append((text, explanation))
        for number, (text, explanation) in enumerate(rows, start=1):
            values[f"item_{number}"], values[f"item_{number}_explanation"] = text, explanation
        return cls(values)

    @classmethod
    def from_draft(cls, draft: MemoDraft) -> "MemoForm":
        form = cls.from_values(draft.form_values())
        form.attachments = draft.attached()
        return form

    def start_from(self, general: GeneralAnnouncement) -> None:
        """Replace the announcement's fields with `general` (to edit), keeping the memo's."""
        for name in [n for n in self.values if ITEM_FIELD.match(n)]:
            del self.values[name]
        self.values.update(general_form_values(general), template=GENERAL)

    def item_rows(self, extra: int = 0) -> list[dict]:
        """The item rows to show: the written ones, then BLANK_ROWS (+ extra) empty ones."""
        written = len(self._items())
        count = min(max(written + BLANK_ROWS, 3) + extra, MAX_ROWS)
        return [
            {
                "number": n,
                "label": to_thai_digits(n),
                "text": self.values.get(f"item_{n}", ""),
                "explanation": self.values.get(f"item_{n}_explanation", ""),
                "error": self.errors.get(f"item_{n}", "") or self.errors.get(f"item_{n}_explanation", ""),
            }
            for n in range(1, count + 1)
        ]

    def to_draft(self) -> MemoDraft | None:
        """The draft, or None with `errors` filled in (in Thai) when something must be fixed."""
        try:
            return MemoDraft.model_validate(self._fields())
        except ValidationError as error:
            for name, problem in draft_problems(error):
                self.errors.setdefault(name, f"{_label(name)}: {problem}")
            return None

    def preview_draft(self) -> MemoDraft:
        """The draft as typed so far, unchecked: the preview shows what is there while writing."""
        fields = self._fields()
        fields["attachments"] = list(self.attachments) or None
        announcement = fields["announcement"]
        if announcement is None:  # a report memo
            return MemoDraft.model_construct(**fields)
        general = announcement.get("general")
        if general is not None:
            items = [AnnouncementItem.model_construct(**item) for item in general["items"]]
            general = GeneralAnnouncement.model_construct(**{**general, "items": items})
        fields["announcement"] = AnnouncementDraft.model_construct(
            template=announcement["template"], data=announcement["data"], general=general, replaces=None
        )
        fields["attachments"] = list(self.attachments) or None
        return MemoDraft.model_construct(**fields)

    def _fields(self) -> dict:
        v = self.values
        return {
            "unit": v["unit"],
            "subject": v["subject"],
            "addressee": v["addressee"],
            "origin": v["origin"],
            "facts": v["facts"],
            "legal_basis": _lines(v["legal_basis"]),
            "considerations": v["considerations"],
            "closing": v["closing"] or "จึงเรียนมาเพื่อโปรดพิจารณา",
            "kind": v.get("kind") or None,
            "announcement": self._announcement(),
            "attachments": [a.model_dump() for a in self.attachments] or None,
        }

    def _announcement(self) -> dict | None:
        v = self.values
        if kind_named(v.get("kind", "")) is DocumentKind.REPORT:
            return None  # a report memo issues no document of its own
        replaces = v.get("replaces", "").strip() or None  # a publication id from the list
        if v["template"] != GENERAL:
            return {
                "template": v["template"],
                "data": {"measures": _lines(v["measures"])} if _lines(v["measures"]) else {},
                "general": None,
                "replaces": replaces,
            }
        general = {
            "subject": v["ann_subject"],
            "preamble": _lines(v["ann_preamble"]),
            "items": self._items(),
            "closing": _closing_for(v.get("kind", ""), v["ann_closing"].strip()),
            # A circular's addressee; the other kinds have none (models.draft refuses one).
            "addressee": v.get("doc_addressee", "").strip() or None
            if kind_named(v.get("kind", "")) is DocumentKind.CIRCULAR
            else None,
        }
        return {"template": GENERAL, "data": {}, "general": general, "replaces": replaces}

    def _items(self) -> list[dict]:
        numbers = sorted(int(m[1]) for name in self.values if (m := ITEM_FIELD.match(name)) and not m[2])
        return [
            {"text": self.values[f"item_{n}"], "explanation": self.values.get(f"item_{n}_explanation", "")}
            for n in numbers
            if self.values[f"item_{n}"] or self.values.get(f"item_{n}_explanation")
        ]


def _closing_for(kind: str, typed: str) -> str:
    """The closing as typed, or the kind's own where the announcement's default was left (as
    models.draft does on sending, so the preview shows what will be sent)."""
    if typed and typed != GENERAL_CLOSING:
        return typed
    return KIND_CLOSINGS.get(kind_named(kind), GENERAL_CLOSING)  # type: ignore[call-overload]


def _label(name: str) -> str:
    if match := ITEM_FIELD.match(name):
        number = to_thai_digits(int(match[1]))
        return f"คำอธิบายข้อ {number}" if match[2] else f"ข้อ {number}"
    return LABELS.get(name, name)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
