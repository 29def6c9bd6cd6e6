"""Word lists behind the spelling checks, built once on first use (not at import time).

Everything comes from files bundled inside the pythainlp wheel (read with importlib.resources by
pythainlp.corpus.get_corpus) or from documents/proofreading/data/: nothing is downloaded. In particular this
module never calls pythainlp.corpus.download or get_corpus_path, which may fetch remote corpora.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from pythainlp.corpus import tnc
from pythainlp.corpus.common import (
    thai_family_names,
    thai_female_names,
    thai_male_names,
    thai_words,
)
from pythainlp.tokenize import word_tokenize

DATA_DIR = Path(__file__).parent / "data"

# Thai consonants, vowels and marks; leaves out digits, ฯ (U+0E2F), ๆ (U+0E46), ฿ and ๏.
THAI_LETTERS = "\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e"
THAI_WORD = re.compile(f"[{THAI_LETTERS}]+")

MIN_CANDIDATE_LEN = 4  # shorter dictionary words sit one edit from almost any short join


def _data_lines(name: str) -> list[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def curated() -> frozenset[str]:
    """Official-correspondence vocabulary (documents/proofreading/data/proofread_vocabulary.txt)."""
    return frozenset(_data_lines("proofread_vocabulary.txt"))


MISSPELLING_SOURCES = frozenset({"ri-list", "ri-dict", "ri-loan", "seed"})  # see the data file's header


@cache
def misspelling_entries() -> tuple[tuple[str, str, str], ...]:
    """(wrong, right, source) of documents/proofreading/data/proofread_misspellings.tsv, in file order."""
    entries = []
    for line in _data_lines("proofread_misspellings.tsv"):
        fields = line.split("\t")
        if len(fields) != 3 or fields[2] not in MISSPELLING_SOURCES:
            raise ValueError(f"proofread_misspellings.tsv: not wrong<TAB>right<TAB>source: {line!r}")
        entries.append((fields[0], fields[1], fields[2]))
    return tuple(entries)


@cache
def misspellings() -> dict[str, str]:
    """Known misspelling -> correct spelling (documents/proofreading/data/proofread_misspellings.tsv)."""
    return {wrong: right for wrong, right, _source in misspelling_entries()}


@cache
def words() -> frozenset[str]:
    """The dictionary: pythainlp's bundled word list plus the curated vocabulary."""
    return thai_words() | curated()


@cache
def names() -> frozenset[str]:
    """Thai given and family names: never reported as misspellings."""
    return thai_family_names() | thai_female_names() | thai_male_names()


@cache
def _frequencies() -> tuple[dict[str, int], int]:
    freqs = dict(tnc.word_freqs())  # Thai National Corpus unigram counts, bundled (tnc_freq.txt)
    return freqs, sum(freqs.values())


def frequency(word: str) -> int:
    return _frequencies()[0].get(word, 0)


def corpus_size() -> int:
    return _frequencies()[1]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@cache
def _delete_index() -> dict[str, tuple[str, ...]]:
    """Symmetric-delete index: a word and each one-deletion of it -> the dictionary words.

    Finding the words one edit from a string then costs len(string)+1 lookups instead of trying
    every Thai character at every position.
    """
    index: dict[str, list[str]] = {}
    for word in words():
        if len(word) >= MIN_CANDIDATE_LEN and THAI_WORD.fullmatch(word):
            for key in _deletes(word) | {word}:
                index.setdefault(key, []).append(word)
    return {key: tuple(found) for key, found in index.items()}


def is_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one substitution, insertion, deletion or adjacent swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) != len(b):
        short, long_ = sorted((a, b), key=len)
        return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


# A document is proofread again and again while it is typed (the memo form's live preview): the
# words and lines of its unchanged paragraphs are looked up, not worked out again. Bounded, so a
# long-running web worker does not keep every line ever typed.
_KEPT_WORDS = 65536
_KEPT_LINES = 4096


@lru_cache(maxsize=_KEPT_WORDS)
def one_edit_words(text: str) -> frozenset[str]:
    """Dictionary words (of at least MIN_CANDIDATE_LEN letters) exactly one edit from text."""
    index = _delete_index()
    found = {word for key in _deletes(text) | {text} for word in index.get(key, ())}
    return frozenset(word for word in found if is_one_edit(text, word))


def warm_up() -> None:
    """Build every cache now, e.g. when a web worker starts, so the first request is fast."""
    _delete_index()
    _frequencies()
    tokenize("ก")  # loads newmm's dictionary trie
    names()
    misspellings()


class Token(NamedTuple):
    start: int  # 0-based character offset in the line
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def tokenize(line: str) -> list[Token]:
    """newmm tokens with their offsets; whitespace is kept as tokens so joins never cross it."""
    return list(_tokens(line))


@lru_cache(maxsize=_KEPT_LINES)
def _tokens(line: str) -> tuple[Token, ...]:
    tokens, position = [], 0
    for piece in word_tokenize(line, engine="newmm", keep_whitespace=True):
        start = line.find(piece, position)  # newmm keeps every character, so this is `position`
        tokens.append(Token(start, piece))
        position = start + len(piece)
    return tuple(tokens)
