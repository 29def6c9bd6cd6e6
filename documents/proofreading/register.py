"""The register number in the "ที่" header must read "<prefix>/<running number>" in Thai digits."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pythainlp.util import arabic_digit_to_thai_digit

from documents.proofreading.warning import ProofreadWarning

# "ที่ อท ๕๓๗๐๑.๔/๓๐", "ที่...อท.๕๓๗๐๑.๔/ ๓๐" (dotted leader), "ที่: ...". A register number always
# has a slash, which keeps body lines starting with ที่ ("ที่ประชุม...") out.
_HEADER = re.compile(r"^\s*ที่(?:[\s.:…]+)(?P<value>[^\s.…][^/\n]*/\s*[0-9๐-๙]+)\s*$")
_LOOSE = re.compile(r"[\s.]")  # spacing and the dot after the letters vary between typists


def register_warnings(lines: Sequence[str], prefix: str | None) -> list[ProofreadWarning]:
    if not prefix:
        return []
    found = []
    for number, line in enumerate(lines, start=1):
        match = _HEADER.match(line)
        if match:
            found += _check(number, match, prefix.strip())
    return found


def _check(number: int, match: re.Match[str], prefix: str) -> list[ProofreadWarning]:
    value = match["value"].strip()
    head, _, running = value.rpartition("/")
    wanted = f"{prefix}/{arabic_digit_to_thai_digit(running.strip())}"
    if value == wanted:
        return []
    column = match.start("value") + 1
    if _loose(head) == _loose(prefix):
        return [
            ProofreadWarning(
                "register-format",
                number,
                column,
                value,
                wanted,
                "รูปแบบเลขที่หนังสือไม่ตรงตามแบบของหน่วยงาน เช่น เว้นวรรค จุด หรือเลขอารบิก "
                "(the register number is not in the office's form: spacing, dots or Arabic digits)",
            )
        ]
    return [
        ProofreadWarning(
            "register-format",
            number,
            column,
            value,
            wanted,
            f"รหัสหน่วยงานในเลขที่หนังสือไม่ตรงกับ “{prefix}” (the register number's prefix is not “{prefix}”)",
        )
    ]


def _loose(text: str) -> str:
    return arabic_digit_to_thai_digit(_LOOSE.sub("", text))
