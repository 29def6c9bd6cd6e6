"""Non-breaking spaces (U+00A0) where a Thai reader never expects a line to break.

Offices notice "พ.ศ." at the end of one line and "๒๕๖๑" at the start of the next, "ข้อ" apart from
its number, and a person's name split from the surname. LibreOffice and Word break a line at any
ordinary space; at U+00A0 they do not, and Thai line breaking leaves it alone too (checked by
converting and reading the PDF's lines, tests/documents/pdf/test_print_details.py).

Applied to the text of every run as the .docx is written (documents.docx.thai.add_thai_runs): the
text people typed and the text the builders generate alike. The stored text, the announcement's
words and everything hashed from them keep their ordinary spaces; only the printed file changes.
Only a single ordinary space is replaced: doubled spaces stay, so proofreading still reports them.
"""

from __future__ import annotations

import re

from pythainlp.tokenize import word_tokenize

NBSP = "\u00a0"

_DIGITS = frozenset("0123456789๐๑๒๓๔๕๖๗๘๙")
_THAI_RUN = re.compile("[\u0e01-\u0e4e]+")

# A label that introduces a number: "พ.ศ. ๒๕๖๑", "ข้อ ๒", "มาตรา ๑๒", "เขต ๒", "เวลา ๐๙.๓๐ น.", and every
# "...ที่ <number>" (ฉบับที่, ครั้งที่, ลำดับที่, ระยะที่, มิติที่, วันที่, เลขที่, หมู่ที่).
_LABELS = (
    "พ.ศ.", "ค.ศ.", "ข้อ", "มาตรา", "หมวด", "วรรค", "เขต", "หน้า", "ร้อยละ", "เวลา", "โทร.", "โทรศัพท์",
    "โทรสาร", "ที่",
)  # fmt: skip
# What follows a number as its unit or month: "๕ คน", "๑๐,๐๐๐ บาท", "๔ มีนาคม", "๘ มี.ค.".
_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
    "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
_MONTH_ABBREVIATIONS = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
_UNITS = (
    *_MONTHS, *_MONTH_ABBREVIATIONS, "บาท", "สตางค์", "คน", "ราย", "วัน", "เดือน", "ปี", "ชั่วโมง",
    "นาที", "น.", "ครั้ง", "หน้า", "ฉบับ", "เล่ม", "ชุด", "เครื่อง", "หลัง", "ไร่", "งาน",
    "ตารางวา", "ตารางเมตร", "กิโลเมตร", "เมตร", "กิโลกรัม", "ลิตร", "ล้าน", "แสน", "หมื่น", "พัน",
)  # fmt: skip


_MONTH_NAMES = _MONTHS + _MONTH_ABBREVIATIONS
# How far a check reads on either side of a space.
_BEFORE = max(len(word) for word in (*_LABELS, *_MONTH_NAMES))
_AFTER = max(len(word) for word in (*_UNITS, "พ.ศ."))
_SPACE = re.compile("(?<=\\S) (?=\\S)")  # one space between two words


def _bound(before: str, after: str) -> bool:
    """Whether the single space between `before` and `after` sits inside a phrase kept together."""
    if after[:1] in _DIGITS:
        # label + number, the groups of a phone number ("๐ ๓๕๖๑ ๐๘๙๑"), month + year
        return before.endswith(_LABELS) or before[-1:] in _DIGITS or before.endswith(_MONTH_NAMES)
    if before[-1:] in _DIGITS:
        return after.startswith(_UNITS)  # number + unit or month
    return after.startswith("พ.ศ.") and before.endswith(_MONTH_NAMES)  # "มีนาคม พ.ศ. ๒๕๖๔"


# Titles of address that start a person's name: "นางสาวสมหญิง แดงโสภา", "นาย สมชาย ใจดี".
TITLES = ("นางสาว", "นาง", "นาย")
_TITLE = re.compile("|".join(TITLES))


def bind_phrases(text: str) -> str:
    """`text` with U+00A0 for the single spaces inside a phrase that must stay on one line."""
    if " " not in text:
        return text
    return _bind_names(_SPACE.sub(lambda space: _replacement(text, space.start()), text))


def _replacement(text: str, at: int) -> str:
    return NBSP if _bound(text[max(0, at - _BEFORE) : at], text[at + 1 : at + 1 + _AFTER]) else " "


def _bind_names(text: str) -> str:
    """Keep title, given name and surname on one line.

    "นาย" also begins words that are no name (นายกเทศมนตรี, นายอำเภอ, นายทะเบียน), so the run of
    Thai letters is cut into words, and a title counts only when it is a word of its own followed
    by the given name, then one space and the surname.
    """
    spaces = set()
    for run in _THAI_RUN.finditer(text):
        if not _TITLE.search(run.group()):
            continue
        ending = _title_ending(run.group())
        if ending is None:
            continue
        after_run = run.end()
        if ending == len(run.group()):  # the title stands alone: "นาย สมชาย ใจดี"
            given = _THAI_RUN.match(text, after_run + 1) if text[after_run : after_run + 1] == " " else None
            if given is None:
                continue
            spaces.add(after_run)
            after_run = given.end()
        if _THAI_RUN.match(text, after_run + 1) and text[after_run : after_run + 1] == " ":
            spaces.add(after_run)
        else:
            spaces.discard(run.end())  # a title and a given name without a surname: nothing to keep
    if not spaces:
        return text
    return "".join(NBSP if index in spaces else character for index, character in enumerate(text))


def _title_ending(run: str) -> int | None:
    """Where the last title word of a run of Thai letters ends (the given name follows it), if any."""
    position, ending = 0, None
    for word in _words(run):
        position += len(word)
        if word in TITLES:
            ending = position
    return ending


def _words(run: str) -> list[str]:
    # PyThaiNLP loads its dictionary on the first call (about half a second, once per process).
    return word_tokenize(run, keep_whitespace=False)
