"""Thai spelling: known misspellings, typos that split into valid words, and unknown words.

Precision matters more than recall (officers ignore a noisy checker), so a candidate is only
reported when a frequent or curated word one edit away explains it much better than the words
it was split into. Nothing is corrected: each finding carries a suggestion for the proofreader.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache

from documents.proofreading import lexicon as lex
from documents.proofreading.lexicon import THAI_WORD, Token
from documents.proofreading.warning import ProofreadWarning

MIN_SUGGESTION_FREQ = 20  # rarer dictionary words are mostly archaic or technical: poor suggestions
CURATED_FREQ = 5000  # curated words are often compounds the (finely segmented) corpus never counts
MIN_LIKELIHOOD_RATIO = 2000  # typos in the seeds score 5,000-900,000; correct word pairs seen so far up to 700
MAX_REPEATS = 2  # a spelling used more often than this in one document is deliberate: a name
MIN_UNKNOWN_LEN = 3  # one- and two-letter fragments are abbreviations (งค, อท, พ.ศ.)

# Names are not in any dictionary: skip signature lines "(นางสาวลออ วิลัย)" and titled names.
_NAME_SPANS = re.compile(
    r"\([\u0e00-\u0e7f .]{1,60}\)|(?:นางสาว|นาง|นาย(?!ก|อำเภอ))[\u0e01-\u0e4e]+(?: [\u0e01-\u0e4e]+)?"
)


@cache
def _misspelling_pattern() -> re.Pattern[str]:
    wrongs = sorted(lex.misspellings(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, wrongs)))


def spelling_warnings(lines: Sequence[str]) -> list[ProofreadWarning]:
    document = "\n".join(lines)
    found: list[ProofreadWarning] = []
    for number, line in enumerate(lines, start=1):
        found += _line_warnings(number, line, document)
    return found


def _line_warnings(number: int, line: str, document: str) -> list[ProofreadWarning]:
    # A line is checked once as if no spelling in it were deliberate (kept: the memo form's
    # preview proofreads the same lines again at each pause in the typing); only when one of its
    # guesses is repeated throughout this document (a name) is it checked again against it.
    spans = _line_spans(line)
    if any(
        guessed and _deliberate(line[start:end], suggestion, document) for start, end, suggestion, _, guessed in spans
    ):
        spans = tuple(_spans(line, document))
    return [_warning(number, line, start, end, suggestion, message) for start, end, suggestion, message, _ in spans]


_Span = tuple[int, int, str, str, bool]  # start, end, suggestion, message, guessed (a typo or unknown word)


@lru_cache(maxsize=4096)
def _line_spans(line: str) -> tuple[_Span, ...]:
    return tuple(_spans(line, None))


def _spans(line: str, document: str | None) -> Iterator[_Span]:
    """The findings of one line; `document` None: no spelling in it is taken as deliberate."""
    taken = [m.span() for m in _NAME_SPANS.finditer(line)]
    for start, end, suggestion, message in _known(line):
        taken.append((start, end))
        yield start, end, suggestion, message, False
    tokens = lex.tokenize(line)
    for start, end, suggestion, message in [*_split_typos(tokens, taken, document), *_unknown(tokens, taken, document)]:
        yield start, end, suggestion, message, True


def _warning(number: int, line: str, start: int, end: int, suggestion: str, message: str) -> ProofreadWarning:
    return ProofreadWarning("spelling", number, start + 1, line[start:end], suggestion, message)


def _known(line: str) -> Iterator[tuple[int, int, str, str]]:
    for match in _misspelling_pattern().finditer(line):
        right = lex.misspellings()[match.group()]
        if not _covered_by(line, match.start(), match.end(), right):
            yield match.start(), match.end(), right, f"สะกดผิดที่พบบ่อย: ควรเป็น “{right}” (a common misspelling)"


def _covered_by(line: str, start: int, end: int, right: str) -> bool:
    """True when the match lies inside the correct form itself ("สร้างสรร" in "สร้างสรรค์")."""
    position = line.find(right, max(0, end - len(right)))
    while position != -1 and position <= start:
        if position + len(right) >= end:
            return True
        position = line.find(right, position + 1)
    return False


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


def _split_typos(
    tokens: list[Token], taken: list[tuple[int, int]], document: str | None
) -> Iterator[tuple[int, int, str, str]]:
    """A typo inside a word often splits into valid words (ปัด+ประกาศ): test joins of 2-3 tokens."""
    for size in (2, 3):
        for i in range(len(tokens) - size + 1):
            window = tokens[i : i + size]
            start, end = window[0].start, window[-1].end
            if _overlaps(start, end, taken):
                continue
            suggestion = _split_typo_suggestion(tokens, i, size, document)
            if suggestion:
                taken.append((start, end))
                yield start, end, suggestion, f"อาจพิมพ์ผิด: “{suggestion}” หรือไม่ (possibly a typo for “{suggestion}”)"


def _split_typo_suggestion(tokens: list[Token], i: int, size: int, document: str | None) -> str | None:
    parts = [t.text for t in tokens[i : i + size]]
    joined = "".join(parts)
    if len(joined) < lex.MIN_CANDIDATE_LEN or joined in lex.words():
        return None
    if not all(THAI_WORD.fullmatch(p) for p in parts):
        return None
    best = _best_suggestion(joined, parts)
    if best is None or _deliberate(joined, best, document) or not _likelier(best, parts):
        return None
    return None if _context_explains(tokens, i, size) else best


def _context_explains(tokens: list[Token], i: int, size: int) -> bool:
    """True when an edge token forms a word with part of its outside neighbour.

    In เสนอ|แนว|ทางแก้ไข the join เสนอแนว is one edit from เสนอแนะ, but แนว+ทาง is แนวทาง: the
    split reading is the right one.
    """
    first, last = tokens[i].text, tokens[i + size - 1].text
    before = tokens[i - 1].text if i > 0 else ""
    after = tokens[i + size].text if i + size < len(tokens) else ""
    words = lex.words()
    return any(before[-n:] + first in words for n in range(1, len(before) + 1)) or any(
        last + after[:n] in words for n in range(1, len(after) + 1)
    )


def _best_suggestion(text: str, parts: Sequence[str]) -> str | None:
    # Dropping a whole token is not a typo fix: "ส"+"พร้อม" (from the name มุสพร้อม) is not พร้อม.
    without_a_part = {text.replace(p, "", 1) for p in parts}
    usable = [
        w
        for w in lex.one_edit_words(text) - without_a_part
        if w in lex.curated() or lex.frequency(w) >= MIN_SUGGESTION_FREQ
    ]
    return max(usable, key=lambda w: (w in lex.curated(), lex.frequency(w), w), default=None)


def _likelier(best: str, parts: Sequence[str]) -> bool:
    """Compare the word's frequency with what the split words would give if independent."""
    total = lex.corpus_size()
    log_split = math.log(total) + sum(math.log(max(lex.frequency(p), 1) / total) for p in parts)
    word_freq = max(lex.frequency(best), CURATED_FREQ if best in lex.curated() else 0)
    return math.log(word_freq) - log_split >= math.log(MIN_LIKELIHOOD_RATIO) if word_freq else False


def _deliberate(text: str, best: str, document: str | None) -> bool:
    """A spelling repeated throughout a document is a name (บ้านซ่อง), unless it misses curated vocabulary."""
    return document is not None and best not in lex.curated() and document.count(text) > MAX_REPEATS


def _unknown(
    tokens: list[Token], taken: list[tuple[int, int]], document: str | None
) -> Iterator[tuple[int, int, str, str]]:
    """Tokens outside the dictionary, reported only when a close word suggests a typo (else: a name)."""
    for token in tokens:
        text = token.text
        if len(text) < MIN_UNKNOWN_LEN or not THAI_WORD.fullmatch(text) or text in lex.words():
            continue
        if text in lex.names() or _overlaps(token.start, token.end, taken):
            continue
        best = _best_suggestion(text, ())
        if best and not _deliberate(text, best, document):
            taken.append((token.start, token.end))
            yield token.start, token.end, best, f"ไม่พบคำนี้ในพจนานุกรม: “{best}” หรือไม่ (not in the dictionary: “{best}”?)"
