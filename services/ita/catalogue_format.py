"""The ITA catalogue file (docs/ita-catalogue.md): one scheme's items for one fiscal year and kind
of agency, as data. A catalogue of another year or scheme is another file, never a code change.

Everything a file may say is checked here, before anything is saved: a bad file is refused with
every problem listed, each naming the item (by its code) and the field to fix, in Thai and English.
"""

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from models.be_dates import BadDate, parse_be_date
from models.fiscal import fiscal_year_bounds
from services.errors import BadInput

FORMAT = 1  # `format:` of the files this code reads
# What an item asks for, as the ITA's evidence lists have it: a closed list, so that whatever opens
# an item's work knows every shape it may meet.
SHAPES = ("announcement", "order", "circular", "plan", "report", "disclosure")
CADENCES = ("yearly", "six-monthly", "monthly", "on-demand")
# The documents an item's chain produces (a plan travels as the memo's attachment; the circular
# and the publication request are the two `*_required` switches).
DOCUMENT_KINDS = ("memo", "announcement", "order", "report-memo")
Shape = Literal["announcement", "order", "circular", "plan", "report", "disclosure"]
Cadence = Literal["yearly", "six-monthly", "monthly", "on-demand"]
DocumentKind = Literal["memo", "announcement", "order", "report-memo"]
CODE_PATTERN = r"^[A-Za-z][A-Za-z0-9.\-]{0,15}$"  # O1, MOIT1, O10.1: it ends up in a public URL


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def _a_date(value: Any) -> Any:
    """A YAML date (2027-03-31, Western) or a Thai one as people write it (๓๑/๓/๒๕๗๐)."""
    if isinstance(value, str):
        try:
            return parse_be_date(value)
        except BadDate as error:
            raise ValueError(str(error)) from None
    return value


Day = Annotated[dt.date, BeforeValidator(_a_date)]


class Source(_Strict):
    title: str = Field(min_length=1)  # "คู่มือการประเมินคุณธรรมและความโปร่งใส ... พ.ศ. ๒๕๖๘"
    publisher: str = ""  # "สำนักงาน ป.ป.ช."
    year: int | None = None  # BE
    url: str = ""
    note: str = ""  # what was taken from it, or how sure


class Agency(_Strict):
    # The organisations' `kind` (models.organisation) this catalogue is for: loading it for an
    # organisation of another kind is refused (a public-health catalogue for a municipality).
    kinds: list[str] = Field(min_length=1)
    title: str = ""  # as the scheme names the group: "องค์กรปกครองส่วนท้องถิ่น (อปท.)"


class Documents(_Strict):
    kinds: list[DocumentKind] = Field(default_factory=list)
    templates: list[str] = Field(default_factory=list)  # template names the drafts start from
    attachments: list[str] = Field(default_factory=list)  # what is attached (สิ่งที่ส่งมาด้วย), in Thai
    circular_required: bool = False
    publication_request_required: bool = False


class Due(_Strict):
    """A fixed date, or days after the item opens (each period's opening, for a repeating item).
    (Not `on:`: YAML reads a bare `on` as true.)"""

    date: Day | None = None
    days_after_opening: int | None = Field(default=None, ge=0, le=366)
    working_days: bool = False  # the days are working days (models.workdays), not calendar days

    @model_validator(mode="after")
    def _one_way(self) -> "Due":
        if (self.date is None) == (self.days_after_opening is None):
            raise ValueError(
                "ให้ระบุ date (วันที่) หรือ days_after_opening (จำนวนวันหลังเปิดงาน) อย่างใดอย่างหนึ่ง "
                "(give either `date` or `days_after_opening`, not both or neither)"
            )
        if self.working_days and self.date is not None:
            raise ValueError("working_days ใช้กับ days_after_opening เท่านั้น (working_days goes with days_after_opening)")
        return self


class Item(_Strict):
    code: str = Field(pattern=CODE_PATTERN)
    title: str = Field(min_length=1)
    indicator: str = Field(min_length=1)
    sub_indicator: str = ""
    shape: Shape
    cadence: Cadence
    opens_on: Day | None = None  # a yearly item that opens on another day (after the results: August)
    due: Due | None = None
    documents: Documents = Field(default_factory=Documents)
    # The default position: a code or a Thai title (or short title); several are tried in turn,
    # so one catalogue fits offices whose posts are titled differently.
    responsible: list[str] = Field(min_length=1)
    uncertain: str = ""  # where the number, the title or the wording is not sure

    @field_validator("responsible", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> "Item":
        needs = {"announcement": "announcement", "order": "order", "report": "report-memo"}
        if self.shape in needs and needs[self.shape] not in self.documents.kinds:
            raise ValueError(
                f"รายการแบบ {self.shape} ต้องมี {needs[self.shape]} ใน documents.kinds "
                f"(a {self.shape} item needs {needs[self.shape]} in documents.kinds)"
            )
        if self.shape == "circular" and not self.documents.circular_required:
            raise ValueError(
                "รายการแบบ circular ต้องมี documents.circular_required: true "
                "(a circular item needs documents.circular_required: true)"
            )
        if self.shape == "plan" and not self.documents.attachments:
            raise ValueError(
                "รายการแบบ plan ต้องระบุแผนใน documents.attachments (a plan item names the plan in documents.attachments)"
            )
        if self.opens_on is not None and self.cadence != "yearly":
            raise ValueError("opens_on ใช้กับรายการรายปีเท่านั้น (opens_on is for yearly items only)")
        if self.due is None and self.cadence != "on-demand":
            raise ValueError("ต้องระบุ due (กำหนดส่ง) (due is required, except for on-demand items)")
        if self.due is not None and self.due.date is not None and self.cadence in ("six-monthly", "monthly"):
            raise ValueError(
                "รายการที่ทำซ้ำทุกเดือนหรือทุกหกเดือนใช้ due.days_after_opening (a repeating item's due is "
                "days_after_opening, counted from each period's opening)"
            )
        return self


class Catalogue(_Strict):
    format: Literal[1] = 1  # FORMAT
    scheme: str = Field(min_length=1)
    fiscal_year: int = Field(ge=2400, le=2799)  # BE
    agency: Agency
    opens_on: Day | None = None  # yearly items open on this day (default: 1 October)
    sources: list[Source] = Field(min_length=1)
    uncertain: str = ""
    items: list[Item] = Field(min_length=1)

    @property
    def first_day(self) -> dt.date:
        return self.opens_on or fiscal_year_bounds(self.fiscal_year)[0]


def read_catalogue_file(path: Path) -> Catalogue:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise BadInput(f"อ่านไฟล์ {path} ไม่ได้ (cannot read {path}: {error})") from error
    return parse_catalogue(raw, name=path.name)


def parse_catalogue(raw: object, *, name: str = "catalogue") -> Catalogue:
    """The catalogue `raw` (the file's YAML) describes, or BadInput listing every problem."""
    try:
        catalogue = Catalogue.model_validate(raw)
    except ValidationError as error:
        lines = [_place(raw, e["loc"]) + _explain(e) for e in error.errors()]
        raise _refused(name, lines) from error
    lines = _problems(catalogue)
    if lines:
        raise _refused(name, lines)
    return catalogue


def _problems(catalogue: Catalogue) -> list[str]:
    """What pydantic cannot see item by item: codes repeated, dates outside the fiscal year."""
    lines, seen = [], set()
    first, last = fiscal_year_bounds(catalogue.fiscal_year)
    if catalogue.opens_on and not first <= catalogue.opens_on <= last:
        lines.append(f"ช่อง opens_on (field opens_on): {_outside(catalogue, catalogue.opens_on)}")
    for item in catalogue.items:
        where = f"รายการ {item.code} (item {item.code}), ช่อง"
        if item.code.upper() in seen:
            lines.append(f"{where} code (field code): รหัสซ้ำในไฟล์ (the code appears twice in the file)")
        seen.add(item.code.upper())
        for field, day in (("opens_on", item.opens_on), ("due.date", item.due and item.due.date)):
            if day and not first <= day <= last:
                lines.append(f"{where} {field} (field {field}): {_outside(catalogue, day)}")
    return lines


def _outside(catalogue: Catalogue, day: dt.date) -> str:
    first, last = fiscal_year_bounds(catalogue.fiscal_year)
    return (
        f"วันที่ {day.isoformat()} อยู่นอกปีงบประมาณ {catalogue.fiscal_year} "
        f"(the date is outside fiscal year {catalogue.fiscal_year}: {first.isoformat()} to {last.isoformat()})"
    )


def _refused(name: str, lines: list[str]) -> BadInput:
    listed = "\n".join(f"  {line}" for line in lines)
    return BadInput(f"แคตตาล็อก ITA {name} ไม่ถูกต้อง ไม่ได้บันทึกสิ่งใด (invalid ITA catalogue, nothing saved):\n{listed}")


def _place(raw: object, loc: tuple) -> str:
    """ "รายการ O4 (item O4), ช่อง due.date (field due.date): " from pydantic's location."""
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
        code = _code_at(raw, loc[1])
        field = ".".join(map(str, loc[2:])) or "(ทั้งรายการ)"
        return f"รายการ {code} (item {code}), ช่อง {field} (field {field}): "
    field = ".".join(map(str, loc)) or "(ทั้งไฟล์)"
    return f"ช่อง {field} (field {field}): "


def _code_at(raw: object, index: int) -> str:
    items = raw.get("items") if isinstance(raw, dict) else None
    item = items[index] if isinstance(items, list) and index < len(items) else None
    code = item.get("code") if isinstance(item, dict) else None
    return str(code) if code else f"ที่ {index + 1} (number {index + 1})"


def _explain(problem: dict) -> str:
    kind, context = problem["type"], problem.get("ctx", {})
    if kind == "missing":
        return "ต้องกรอก (required)"
    if kind in ("string_too_short", "too_short"):
        return "ต้องไม่ว่าง (must not be empty)"
    if kind == "literal_error":
        return f"ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้ {context.get('expected')} (must be one of {context.get('expected')})"
    if kind == "extra_forbidden":
        return "ไม่รู้จักช่องนี้ (unknown field)"
    if kind == "string_pattern_mismatch":
        return (
            "รหัสต้องขึ้นต้นด้วยตัวอักษรอังกฤษ ตามด้วยตัวอักษร ตัวเลข . หรือ - ไม่เกิน ๑๖ ตัว เช่น O1 MOIT1 "
            "(a code starts with a Latin letter, then letters, digits, . or -, at most 16, e.g. O1, MOIT1)"
        )
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"ค่าไม่อยู่ในช่วงที่ใช้ได้ (out of range: {problem['msg']})"
    if kind == "value_error":
        return str(problem["msg"]).removeprefix("Value error, ")
    return f"ไม่ถูกต้อง ({problem['msg']})"
