"""Which word continues on the next page, and which paragraph can carry its mark.

Works on two kinds of text: the paragraphs the builder wrote (exact) and each page's text as
pdftotext extracts it from LibreOffice's PDF (inexact: Thai vowel and tone marks come out
reordered or split off, "ทัง้ นี้" for "ทั้งนี้", and lines are re-spaced). So the PDF text is used only
to find *where* a page starts in the paragraphs, by comparing "skeletons" (the text without spaces,
combining marks and dots); the word itself is then cut from the builder's exact text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from pythainlp.tokenize import word_tokenize
from pythainlp.util import dict_trie
from pythainlp.util.trie import Trie

from documents.docx.continuation import ContinuationMark
from documents.proofreading.lexicon import names, words

# Above/below vowels, tone marks and other combining signs: the characters pdftotext misplaces.
_COMBINING = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_SKELETON_DROP = re.compile(f"[\\s{_COMBINING}.]")
_THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙\u0e33", "0123456789\u0e32")  # sara am: nikhahit + aa
_LETTER = re.compile(r"[\u0e01-\u0e2e\u0e40-\u0e44A-Za-z]")
# The "- ๒ -" page number at the top of page 2 on; its text layer holds "2" (see docx_page_number).
_PAGE_NUMBER_LINE = re.compile(r"^\s*-\s*[0-9๐-๙]+\s*-\s*$")
_COLUMN_GAP = re.compile(r"\s{3,}")  # -layout output puts table columns side by side
_TITLES_OF_ADDRESS = frozenset({"นาย", "นาง", "นางสาว"})  # "(นางสาวสมหญิง", not "(นางสาว"
MIN_KEY_LENGTH = 4  # a shorter page start matches too many places to be trusted


def skeleton(text: str) -> str:
    """The characters both the builder's text and pdftotext's agree on, in order."""
    return _SKELETON_DROP.sub("", text.translate(_THAI_TO_ARABIC))


@cache
def _dictionary() -> Trie:
    # The curated vocabulary keeps the memo's compounds whole ("ข้อพิจารณา", not "ข้อ" + "พิจารณา"),
    # the name lists keep names whole ("สมหญิง", not "สม" + "หญิง").
    return dict_trie(words() | names())


def warm_up() -> None:
    """Build the word trie now (a process that forks flow runs builds it once for all of them)."""
    _dictionary()


def first_word(text: str) -> str:
    """The first word of `text` as the continuation mark prints it, with its leading numbering.

    "ข้อพิจารณาและข้อเสนอ" -> "ข้อพิจารณา"; "๓. การประเมิน..." -> "๓. การประเมิน";
    "(นางสาวสมหญิง แดงโสภา)" -> "(นางสาวสมหญิง": a number, a bracket or a title of address alone
    would not tell the reader where to go on.
    """
    text = text.lstrip()
    length = 0
    for token in word_tokenize(text, custom_dict=_dictionary(), keep_whitespace=True):
        length += len(token)
        if _LETTER.search(token) and token not in _TITLES_OF_ADDRESS:
            break
    return text[:length].strip()


@dataclass(frozen=True)
class _Flow:
    """The paragraphs' skeletons end to end, with where each paragraph starts in it."""

    text: str
    starts: list[int]  # skeleton offset at which paragraph i starts
    offsets: list[list[int]]  # per paragraph: skeleton index -> index in the original text

    @classmethod
    def of(cls, paragraphs: Sequence[str]) -> _Flow:
        parts, starts, offsets, position = [], [], [], 0
        for paragraph in paragraphs:
            kept = [i for i, ch in enumerate(paragraph) if skeleton(ch)]
            parts.append(skeleton(paragraph))
            starts.append(position)
            offsets.append(kept)
            position += len(kept)
        return cls("".join(parts), starts, offsets)

    def locate(self, position: int) -> tuple[int, int]:
        """(paragraph, index in its original text) of a skeleton position."""
        paragraph = max(
            i for i, start in enumerate(self.starts) if start <= position and position - start < len(self.offsets[i])
        )
        return paragraph, self.offsets[paragraph][position - self.starts[paragraph]]


def page_body_lines(page_text: str) -> list[str]:
    """A page's non-empty lines without the page number line at its top."""
    lines = [line for line in page_text.splitlines() if line.strip()]
    if lines and _PAGE_NUMBER_LINE.match(lines[0]):
        lines = lines[1:]
    return lines


def page_start_key(page_text: str) -> str:
    """The skeleton of a page's first body text: the first column of its first lines, as many
    as it takes to be long enough to search for ("..........ทาน" alone leaves "ทาน")."""
    key = ""
    for line in page_body_lines(page_text):
        key += skeleton(_COLUMN_GAP.split(line.strip())[0])
        if len(key) >= MIN_KEY_LENGTH:
            break
    return key


def find_continuations(paragraphs: Sequence[str], pages: Sequence[str]) -> tuple[list[ContinuationMark], list[str]]:
    """The marks for the foot of every page but the last, and why any page has none.

    `paragraphs` are the texts of documents.docx.continuation.body_paragraphs, `pages` the text
    of each PDF page. A page gets no mark when its start cannot be found in the paragraphs, or no
    paragraph starts on it (one paragraph running over three pages): better no word than a wrong one.
    """
    flow = _Flow.of(paragraphs)
    marks: list[ContinuationMark] = []
    problems: list[str] = []
    page_start = 0  # skeleton position where the current page starts
    expected = 0  # where the next page should start if every page's text were found in order
    for page, (this_page, next_page) in enumerate(zip(pages, pages[1:], strict=False), start=1):
        expected += sum(len(skeleton(line)) for line in page_body_lines(this_page))
        key = page_start_key(next_page)
        found = _nearest_occurrence(flow.text, key, after=page_start + 1, near=expected)
        if found is None:
            problems.append(f"page {page + 1}: its first line was not found in the document text")
            continue
        paragraph, offset = flow.locate(found)
        anchor = paragraph if offset > 0 else _previous_with_text(flow, paragraph)
        if anchor is None or flow.starts[anchor] < page_start:
            problems.append(f"page {page}: no paragraph starts on it to carry the mark")
        elif not (word := first_word(paragraphs[paragraph][offset:])):
            problems.append(f"page {page + 1}: no word at its start")
        else:
            marks.append(ContinuationMark(page=page, word=word, paragraph=anchor))
        page_start = expected = found
    return marks, problems


def _nearest_occurrence(text: str, key: str, *, after: int, near: int) -> int | None:
    if len(key) < MIN_KEY_LENGTH:
        return None
    found = [m.start() for m in re.finditer(re.escape(key), text) if m.start() >= after]
    return min(found, key=lambda position: abs(position - near), default=None)


def _previous_with_text(flow: _Flow, paragraph: int) -> int | None:
    # Empty paragraphs (the signature's blank space) have no place of their own in the skeleton.
    for index in range(paragraph - 1, -1, -1):
        if flow.offsets[index]:
            return index
    return None
