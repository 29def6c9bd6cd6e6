"""Character-level checks: invisible characters, spacing, doubled marks, leftover placeholders."""

from __future__ import annotations

import re
from collections.abc import Sequence

from documents.proofreading import lexicon as lex
from documents.proofreading.warning import ProofreadWarning

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff\u2060]+")
_DOUBLE_SPACE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")  # leading indentation and trailing blanks are harmless
_SARA_E_E = re.compile("\u0e40\u0e40")
# Above/below vowels and tone marks (ั ิ ี ึ ื ุ ู ฺ ็ ่ ้ ๊ ๋ ์ ํ ๎): doubled, they stack invisibly;
# two different tone marks on one consonant are always a typo too.
_REPEATED_MARK = re.compile(r"([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\1+|[\u0e48-\u0e4b]{2,}")

# Unrendered template syntax, and blanks left in a form. Dots: runs of 5+ are a blank to fill,
# except in the file copy's initials block (".....ร่าง" = stage not signed yet). Runs of 3-4 are
# typographic: the dotted leader "ที่...อท" and the next-page catchword "ข้อพิจารณา..." in seed 004.
_PLACEHOLDER = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\$\{.*?\}|\[\[.*?\]\]|(?<![A-Za-z])(?:X{3,}|x{3,})(?![A-Za-z])|\.{5,}|…{2,}|_{5,}"
)
_STAGE_BLANK = re.compile(r"^\s*(?:\.{3,}|…+)\s*(?:ร่าง|พิมพ์|ทาน|ตรวจ)")

_SPLIT_SPACE = re.compile(f"(?<=[{lex.THAI_LETTERS}]) (?=[{lex.THAI_LETTERS}])")
_PREFIXES = frozenset({"การ", "ความ"})  # nominalisers: they never end a phrase, so a space after one is stray


def mark_warnings(lines: Sequence[str]) -> list[ProofreadWarning]:
    found: list[ProofreadWarning] = []
    for number, line in enumerate(lines, start=1):
        found += _zero_width(number, line)
        found += _double_space(number, line)
        found += _sara_e_e(number, line)
        found += _repeated_marks(number, line)
        found += _placeholders(number, line)
        found += _split_words(number, line)
    return found


def _zero_width(number: int, line: str) -> list[ProofreadWarning]:
    return [
        ProofreadWarning(
            "zero-width",
            number,
            m.start() + 1,
            m.group(),
            "ลบอักขระที่มองไม่เห็น",
            "มีอักขระความกว้างศูนย์ (มองไม่เห็น) ทำให้ค้นหาและตัดคำผิดพลาด "
            "(an invisible zero-width character: it breaks search and line breaking)",
        )
        for m in _ZERO_WIDTH.finditer(line)
    ]


def _double_space(number: int, line: str) -> list[ProofreadWarning]:
    return [
        ProofreadWarning(
            "double-space",
            number,
            m.start() + 1,
            m.group(),
            "เว้นวรรคเพียงหนึ่งช่อง",
            "เว้นวรรคซ้อนกัน (two or more spaces in a row)",
        )
        for m in _DOUBLE_SPACE.finditer(line)
    ]


def _sara_e_e(number: int, line: str) -> list[ProofreadWarning]:
    return [
        ProofreadWarning(
            "sara-e-e",
            number,
            m.start() + 1,
            m.group(),
            "แ",
            "พิมพ์สระเอสองตัว (เเ) แทนสระแอ (แ) (two sara e typed for sara ae)",
        )
        for m in _SARA_E_E.finditer(line)
    ]


def _repeated_marks(number: int, line: str) -> list[ProofreadWarning]:
    return [
        ProofreadWarning(
            "repeated-mark",
            number,
            m.start() + 1,
            m.group(),
            m.group()[0],
            "วรรณยุกต์หรือสระซ้อนกัน มองเห็นเป็นตัวเดียวแต่เป็นข้อความผิด "
            "(a doubled vowel or tone mark: it looks like one but the text is wrong)",
        )
        for m in _REPEATED_MARK.finditer(line)
    ]


def _placeholders(number: int, line: str) -> list[ProofreadWarning]:
    if _STAGE_BLANK.match(line):
        return []
    return [
        ProofreadWarning(
            "placeholder",
            number,
            m.start() + 1,
            m.group(),
            "กรอกข้อความจริงแทน",
            "มีช่องว่างหรือตัวแทนข้อความที่ยังไม่ได้กรอก (a blank or template placeholder left unfilled)",
        )
        for m in _PLACEHOLDER.finditer(line)
    ]


def _split_words(number: int, line: str) -> list[ProofreadWarning]:
    """A single space inside a word ("เข้า มามีส่วนร่วม"), a leftover of copying from PDF."""
    if not _SPLIT_SPACE.search(line):
        return []
    tokens = lex.tokenize(line)
    ends = {t.end: i for i, t in enumerate(tokens)}
    found = []
    for m in _SPLIT_SPACE.finditer(line):
        i = ends.get(m.start())
        if i is not None and i + 2 < len(tokens) and (joined := _split_word(tokens, i)):
            found.append(
                ProofreadWarning(
                    "split-word",
                    number,
                    m.start() + 1,
                    " ",
                    joined,
                    f"มีช่องว่างแทรกกลางคำ: “{joined}” (a stray space inside a word)",
                )
            )
    return found


def _split_word(tokens: list[lex.Token], i: int) -> str | None:
    """The word the space at tokens[i+1] splits, if it is certain enough; tokens[i] ends before it."""
    left, right = tokens[i].text, tokens[i + 2].text
    if left in _PREFIXES:
        return left + right
    for a in (1, 2):
        for b in (1, 2):
            before = "".join(t.text for t in tokens[max(i - a + 1, 0) : i + 1])
            after = "".join(t.text for t in tokens[i + 2 : i + 2 + b])
            if before + after in lex.curated():
                return before + after
    return None
