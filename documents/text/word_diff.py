"""Word-level differences between two versions of Thai text, for showing what a revision changed.

Thai is written without spaces between words, so a character diff cuts words in half and a
whitespace diff marks a whole paragraph as changed: the text is cut into words first (PyThaiNLP's
newmm, offline; spaces kept as tokens) and the word sequences are compared (difflib).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from pythainlp.tokenize import word_tokenize

SAME, INSERTED, DELETED = "same", "ins", "del"


@dataclass(frozen=True)
class Piece:
    kind: str  # SAME | INSERTED | DELETED
    text: str


def words(text: str) -> list[str]:
    return word_tokenize(text, engine="newmm", keep_whitespace=True) if text else []


def word_diff(old: str, new: str) -> list[Piece]:
    """The new text as pieces: unchanged, inserted and deleted runs of words, in reading order
    (a replaced run shows the deleted words before the inserted ones)."""
    before, after = words(old), words(new)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            _add(pieces, SAME, after[j1:j2])
            continue
        _add(pieces, DELETED, before[i1:i2])
        _add(pieces, INSERTED, after[j1:j2])
    return pieces


def _add(pieces: list[Piece], kind: str, tokens: list[str]) -> None:
    text = "".join(tokens)
    if not text:
        return
    if pieces and pieces[-1].kind == kind:
        pieces[-1] = Piece(kind, pieces[-1].text + text)
    else:
        pieces.append(Piece(kind, text))
