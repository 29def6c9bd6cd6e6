"""An announcement's words as the paragraphs a reader sees on paper, for a web page.

The same order and numbering as documents.docx.announcement: preamble, the measures heading,
each measure numbered on its first line ("๑. ...") with its explanation paragraphs after it, then
the closing lines. Plain strings: the page escapes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from documents.text.announcement_text import AnnouncementText
from documents.thai_format import thai_number


@dataclass(frozen=True)
class ReadingParagraph:
    text: str
    measure: bool = False  # the numbered first line of a measure
    explanation: bool = False  # a paragraph under a measure


def announcement_title(organisation_name: str, subject: str) -> str:
    """The title printed at the top of the announcement: "ประกาศ<organisation> เรื่อง <subject>"."""
    return f"ประกาศ{organisation_name} เรื่อง {subject}"


def reading_paragraphs(text: AnnouncementText) -> list[ReadingParagraph]:
    paragraphs = [ReadingParagraph(p) for p in text.preamble]
    if text.measures_heading:
        paragraphs.append(ReadingParagraph(text.measures_heading))
    for number, measure in enumerate(text.measures, start=1):
        first, *rest = _lines(measure)
        paragraphs.append(ReadingParagraph(f"{thai_number(number)} {first}", measure=True))
        paragraphs += [ReadingParagraph(line, explanation=True) for line in rest]
    paragraphs += [ReadingParagraph(line) for line in _lines(text.closing)]
    return paragraphs


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# What each kind's title says before "<organisation> เรื่อง <subject>" (models.document_kinds).
_TITLE_WORDS = {"": "ประกาศ", "announcement": "ประกาศ", "order": "คำสั่ง"}


def document_title(text: AnnouncementText) -> str:
    """The published document's title: "ประกาศ<organisation> เรื่อง ...", "คำสั่ง<organisation>
    เรื่อง ...", and for a circular or a report "หนังสือเวียน<organisation> เรื่อง ..." /
    "รายงาน เรื่อง ..." (neither prints such a heading: this names it in lists and feeds)."""
    if text.kind == "circular":
        return f"หนังสือเวียน{text.organisation_name} เรื่อง {text.subject}"
    if text.kind == "report":
        return f"รายงาน เรื่อง {text.subject}"
    return f"{_TITLE_WORDS[text.kind]}{text.organisation_name} เรื่อง {text.subject}"
