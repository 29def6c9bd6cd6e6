"""Mixed Thai (๐-๙) and Arabic (0-9) digits in one document: report the minority style."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit

from documents.proofreading.warning import ProofreadWarning

_RUN = re.compile(r"[0-9]+|[๐-๙]+")
# Digits inside Latin words, URLs, e-mail addresses and code are not prose numbers.
_LATIN_CHUNK = re.compile(r"\S*(?:[A-Za-z@]|://)\S*")


def digit_warnings(lines: Sequence[str]) -> list[ProofreadWarning]:
    runs = [(number, m) for number, line in enumerate(lines, start=1) for m in _prose_runs(line)]
    thai = [(n, m) for n, m in runs if m.group()[0] >= "๐"]
    arabic = [(n, m) for n, m in runs if m.group()[0] < "๐"]
    if not thai or not arabic:
        return []
    # Ties go against Arabic digits: official documents are written in Thai digits.
    minority, style = (arabic, "thai") if len(arabic) <= len(thai) else (thai, "arabic")
    return [_warning(number, match, style) for number, match in minority]


def _prose_runs(line: str) -> list[re.Match[str]]:
    skipped = [m.span() for m in _LATIN_CHUNK.finditer(line)]
    return [m for m in _RUN.finditer(line) if not any(a <= m.start() < b for a, b in skipped)]


def _warning(number: int, match: re.Match[str], majority: str) -> ProofreadWarning:
    digits = match.group()
    if majority == "thai":
        return ProofreadWarning(
            "mixed-digits",
            number,
            match.start() + 1,
            digits,
            arabic_digit_to_thai_digit(digits),
            "เอกสารใช้เลขไทยเป็นหลัก แต่ตรงนี้ใช้เลขอารบิก (the document uses Thai digits; these are Arabic)",
        )
    return ProofreadWarning(
        "mixed-digits",
        number,
        match.start() + 1,
        digits,
        thai_digit_to_arabic_digit(digits),
        "เอกสารใช้เลขอารบิกเป็นหลัก แต่ตรงนี้ใช้เลขไทย (the document uses Arabic digits; these are Thai)",
    )
