"""The memo form: what an officer types, checked field by field with messages in Thai."""

from dataclasses import dataclass, field

from pydantic import ValidationError

from documents.announcement_text import TEMPLATES_DIR
from models.draft import MemoDraft, draft_problems

LABELS = {
    "unit": "ส่วนราชการ", "subject": "เรื่อง", "addressee": "เรียน", "origin": "ต้นเรื่อง",
    "facts": "ข้อเท็จจริง", "legal_basis": "ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ", "considerations": "ข้อพิจารณาและข้อเสนอ",
    "closing": "คำลงท้าย", "template": "แบบประกาศ", "measures": "มาตรการ",
}
FIELDS = ("unit", "subject", "addressee", "origin", "facts", "legal_basis", "considerations", "closing",
          "template", "measures")


@dataclass
class MemoForm:
    """The form's values as typed (strings), and what is wrong with them."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def empty(cls, **defaults: str) -> "MemoForm":
        return cls({name: defaults.get(name, "") for name in FIELDS})

    @classmethod
    def from_draft(cls, draft: MemoDraft) -> "MemoForm":
        return cls(draft.form_values())

    def to_draft(self) -> MemoDraft | None:
        """The draft, or None with `errors` filled in (in Thai) when something must be fixed."""
        v = self.values
        data = {"measures": _lines(v["measures"])} if _lines(v["measures"]) else {}
        try:
            return MemoDraft.model_validate({
                "unit": v["unit"], "subject": v["subject"], "addressee": v["addressee"], "origin": v["origin"],
                "facts": v["facts"], "legal_basis": _lines(v["legal_basis"]), "considerations": v["considerations"],
                "closing": v["closing"] or "จึงเรียนมาเพื่อโปรดพิจารณา",
                "announcement": {"template": v["template"], "data": data}})
        except ValidationError as error:
            for name, problem in draft_problems(error):
                self.errors.setdefault(name, f"{LABELS.get(name, name)}: {problem}")
            return None


def templates_for(kind: str) -> list[str]:
    """The announcement templates an organisation of this kind can start from."""
    folder = TEMPLATES_DIR / kind
    return sorted(p.name.removesuffix(".txt.j2") for p in folder.glob("*.txt.j2")) if folder.is_dir() else []


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
