"""The list of common misspellings is checked, not trusted: every right form is a Royal Institute
headword (or a dictionary word, or made of them), no wrong form is, and correct text stays clean."""

from pathlib import Path

import pytest
from pythainlp.corpus.common import thai_orst_words

from documents.proofreading import lexicon as lex
from documents.proofreading.proofread import proofread

SEEDS = Path(__file__).parents[4] / "shared" / "seeds"
ENTRIES = lex.misspelling_entries()
# The typos the seeds really contain: the only places a listed wrong form may appear in them.
SEED_TYPOS = {"003": ["กฏหมาย"], "001": ["ปลดการทุจริต"]}


def spelling(text: str) -> list:
    return [w for w in proofread(text) if w.kind == "spelling"]


def test_the_list_is_large_and_without_repeats():
    wrongs = [wrong for wrong, _, _ in ENTRIES]
    assert len(wrongs) >= 150
    assert len(set(wrongs)) == len(wrongs)
    assert all(wrong != right for wrong, right, _ in ENTRIES)


@pytest.mark.parametrize(("wrong", "right", "source"), ENTRIES)
def test_entry_is_a_misspelling_of_a_real_word(wrong, right, source):
    orst = thai_orst_words()
    assert wrong not in orst, f"{wrong} is a Royal Institute headword: not a misspelling"
    parts = lex.tokenize(right)
    assert right in orst or right in lex.words() or all(p.text in lex.words() for p in parts), right


@pytest.mark.parametrize(("wrong", "right", "source"), ENTRIES)
def test_right_form_proofreads_clean_and_wrong_form_is_found(wrong, right, source):
    assert spelling(f"ตามที่{right}แล้ว") == []
    (found,) = spelling(f"ตามที่{wrong}แล้ว")
    assert (found.text, found.suggestion) == (wrong, right)


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_listed_wrong_forms_occur_in_the_seeds_only_as_their_real_typos(seed):
    text = seed.read_text(encoding="utf-8")
    present = sorted(wrong for wrong, right, _ in ENTRIES if wrong in text.replace(right, ""))
    assert present == SEED_TYPOS.get(seed.name[:3], [])
