"""Proofreading findings where a person sees them: marked in the documents' text on the page (the
form's live preview) and listed under the form field where each was typed.

A finding names its document and part ("announcement", "ข้อ ๒"); the papers (_papers.html) mark
each text they print with the findings of its part (the `marked` filter), and the memo form
lists each finding under the field that part comes from (by_field).
"""

from collections.abc import Iterable, Mapping

from markupsafe import Markup, escape

from documents.thai_format import to_thai_digits
from models.draft import GENERAL

# The memo form's field each part of the memo is typed in (documents.proofreading.passages).
MEMO_FIELDS = {
    "เรื่อง": "subject",
    "เรียน": "addressee",
    "ต้นเรื่อง": "origin",
    "ข้อเท็จจริง": "facts",
    "ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ": "legal_basis",
    "ข้อพิจารณาและข้อเสนอ": "considerations",
    "ท้ายบันทึก": "closing",
}
GENERAL_FIELDS = {"เรื่อง": "ann_subject", "ความนำ": "ann_preamble", "ท้ายประกาศ": "ann_closing"}
ELSEWHERE = ""  # a finding in text the form does not hold (a template's own words): listed above the form


def by_place(findings: Iterable[dict]) -> dict[str, list[dict]]:
    """The findings by "document|section", as the `marked` filter looks them up."""
    places: dict[str, list[dict]] = {}
    for finding in findings:
        places.setdefault(f"{finding.get('document', '')}|{finding.get('section', '')}", []).append(finding)
    return places


def marked(text: object, marks: Mapping[str, list[dict]] | None, document: str, section: str) -> Markup:
    """`text`, escaped, with each finding of its part in a <mark> titled with the suggestion."""
    text = str(text)
    findings = (marks or {}).get(f"{document}|{section}", [])
    # By place only: a word found twice is two findings, each at both places (dicts do not compare).
    spans = sorted(
        (
            (start, start + len(f["text"]), f)
            for f in findings
            if f.get("text")
            for start in _occurrences(text, f["text"])
        ),
        key=lambda span: span[:2],
    )
    out, position = [], 0
    for start, end, finding in spans:
        if start < position:  # overlaps a mark already made
            continue
        title = f"{finding['text']} → {finding['suggestion']}: {finding.get('message', '')}"
        out += [
            escape(text[position:start]),
            Markup('<mark class="finding" title="{}">{}</mark>').format(title, text[start:end]),
        ]
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)


def _occurrences(text: str, part: str) -> Iterable[int]:
    start = text.find(part)
    while start != -1:
        yield start
        start = text.find(part, start + len(part))


def by_field(findings: Iterable[dict], values: Mapping[str, str]) -> dict[str, list[dict]]:
    """The findings under the memo form's fields (`values`: the form as typed); ELSEWHERE holds
    those in text the form does not hold."""
    general = values.get("template") == GENERAL
    items = _typed_items(values)
    fields: dict[str, list[dict]] = {}
    for finding in findings:
        section = finding.get("section", "")
        if finding.get("document") == "memo":
            name = MEMO_FIELDS.get(section, ELSEWHERE)
        elif section.startswith("ข้อ ") and section != "ข้อ":
            name = _measure_field(section, items) if general else "measures"
        else:
            name = GENERAL_FIELDS.get(section, ELSEWHERE) if general else ELSEWHERE
        fields.setdefault(name, []).append(finding)
    return fields


def _typed_items(values: Mapping[str, str]) -> list[str]:
    """The general announcement's item fields that hold text, in order: ข้อ ๑ is the first of them."""
    numbers = sorted(int(name[5:]) for name in values if name.startswith("item_") and name[5:].isdigit())
    return [f"item_{n}" for n in numbers if values.get(f"item_{n}") or values.get(f"item_{n}_explanation")]


def _measure_field(section: str, items: list[str]) -> str:
    for number, name in enumerate(items, start=1):
        if section == f"ข้อ {to_thai_digits(number)}":
            return name
    return ELSEWHERE
