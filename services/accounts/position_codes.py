"""A position's code (the name configuration files and the CLI use) made from its Thai title,
for an administrator who adds a position by its title alone.

The code is made once, when the position is added, and stored: it never follows a later
rename, so files and scripts that name it keep working. It is the title romanised (Royal Thai
General System, PyThaiNLP's rule-based engine: no model to download), cut to a readable length,
and numbered when the organisation already has it."""

import re

from pythainlp.transliterate import romanize

MAX_LENGTH = 32
FALLBACK = "position"


def code_from_title(title: str, taken: set[str]) -> str:
    """A code for `title` that none of `taken` (the organisation's codes) is."""
    base = _slug(title) or FALLBACK
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _slug(title: str) -> str:
    words = []
    for word in title.split():
        latin = word if word.isascii() else _romanised(word)
        words.append(re.sub(r"[^a-z0-9]+", "-", latin.lower()).strip("-"))
    return "-".join(w for w in words if w)[:MAX_LENGTH].strip("-")


def _romanised(word: str) -> str:
    try:
        return romanize(word, engine="royin")
    except Exception:  # noqa: BLE001  (a word the engine cannot read: the caller numbers a fallback)
        return ""
