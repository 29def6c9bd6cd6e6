"""The sentence around a finding, as a person would search for it in the document.

Thai has no sentence punctuation: a space ends a sentence or a clause, and also stands around
numbers and abbreviations ("พ.ศ. ๒๕๖๔", "๔ ปี"). So a "sentence" here is the run of space-separated
clauses around the finding, widened clause by clause until it gives enough context to be found
with the document's search (MIN_CHARS), and never cut inside a clause. It is verbatim text of the
paragraph, so searching for it finds the place.
"""

from __future__ import annotations

import re

MIN_CHARS = 60  # about half a printed line of TH Sarabun 16 pt: enough to be unique in a memo
MAX_CHARS = 240  # a whole long paragraph is no help: stop widening past this
_CLAUSE = re.compile(r"\S+")


def sentence_around(text: str, start: int, end: int) -> str:
    """The clauses of `text` that contain text[start:end], widened to about MIN_CHARS."""
    clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(text)]
    if not clauses:
        return text.strip()
    first = _clause_index(clauses, start)
    last = max(first, _clause_index(clauses, max(start, end - 1)))
    while _length(clauses, first, last) < MIN_CHARS:
        widened = _widen(clauses, first, last)
        if widened is None or _length(clauses, *widened) > MAX_CHARS:
            break
        first, last = widened
    return text[clauses[first][0] : clauses[last][1]]


def _clause_index(clauses: list[tuple[int, int]], position: int) -> int:
    """The clause containing `position`, or the next one when it falls on a space."""
    for index, (_, clause_end) in enumerate(clauses):
        if position < clause_end:
            return index
    return len(clauses) - 1


def _length(clauses: list[tuple[int, int]], first: int, last: int) -> int:
    return clauses[last][1] - clauses[first][0]


def _widen(clauses: list[tuple[int, int]], first: int, last: int) -> tuple[int, int] | None:
    # Add the shorter neighbour first, so the finding stays near the middle of the excerpt.
    options = []
    if first > 0:
        options.append((first - 1, last))
    if last + 1 < len(clauses):
        options.append((first, last + 1))
    return min(options, key=lambda span: _length(clauses, *span), default=None)
