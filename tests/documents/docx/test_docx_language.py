"""Latin text carries a Latin language and Thai text the Thai one, in every run of every document."""

import dataclasses
import re

import pytest
from docx.oxml.ns import qn

from documents.docx.announcement import build_announcement_docx
from documents.docx.continuation import ContinuationMark
from documents.docx.language import script_segments
from documents.docx.memo import build_memo_docx
from documents.text.announcement_examples import example_names, load_announcement_example
from documents.text.sample_004 import announcement_004, memo_004
from tests.documents.docx_inspect import attr, part_xml, reopen

THAI_LETTER = re.compile("[\u0e01-\u0e4e]")
LATIN_LETTER = re.compile("[A-Za-z]")
LATIN_SAMPLE = "(Integrity And Transparency Assessment : ITA)"


def _documents() -> dict[str, bytes]:
    memo = memo_004()
    with_mark = build_memo_docx(memo, continuations=[ContinuationMark(1, "ข้อพิจารณา", 20)])
    documents = {"memo-004": with_mark, "announcement-004": build_announcement_docx(announcement_004())}
    for name in example_names():
        documents[name] = build_announcement_docx(load_announcement_example(name))
    return documents


DOCUMENTS = _documents()


def _defaults(data: bytes) -> dict[str, str]:
    lang = part_xml(data, "word/styles.xml").find(f"{{{_W}}}docDefaults/{{{_W}}}rPrDefault/{{{_W}}}rPr/{{{_W}}}lang")
    return {name: attr(lang, name) for name in ("val", "eastAsia", "bidi")}


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _text_runs(data: bytes):
    """(run text, its effective w:lang attributes) for every run with text, headers included."""
    defaults = _defaults(data)
    parts = ["word/document.xml", "word/header1.xml", "word/header2.xml"]
    for name in parts:
        try:
            root = part_xml(data, name)
        except KeyError:  # the announcement of one page may have no header part
            continue
        for run in root.iter(qn("w:r")):
            text = "".join(t.text or "" for t in run.findall(qn("w:t")))  # its own text, not a text box's
            if text:
                lang = run.find("w:rPr/w:lang", {"w": _W})
                own = {} if lang is None else {k: attr(lang, k) for k in defaults if attr(lang, k)}
                yield text, defaults | own


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_latin_runs_are_latin_and_thai_runs_are_thai(name):
    runs = list(_text_runs(DOCUMENTS[name]))
    assert runs
    for text, lang in runs:
        if LATIN_LETTER.search(text):
            assert not THAI_LETTER.search(text), f"a run mixes scripts: {text!r}"
            assert lang["val"] == "en-US", f"Latin run {text!r} tagged {lang}"
        else:
            assert (lang["val"], lang["bidi"]) == ("th-TH", "th-TH"), f"Thai run {text!r} tagged {lang}"


def test_the_004_memo_has_its_latin_phrase_as_one_english_run():
    runs = [(text, lang["val"]) for text, lang in _text_runs(DOCUMENTS["memo-004"])]
    assert (LATIN_SAMPLE, "en-US") in runs
    assert sum(text == LATIN_SAMPLE for text, _ in runs) == 3  # ต้นเรื่อง, ข้อเท็จจริง, ข้อกฎหมาย ๓


def test_the_page_number_field_is_tagged_thai():
    header = reopen(DOCUMENTS["memo-004"]).sections[0].header._element
    langs = {attr(lang, "val") for lang in header.iter(qn("w:lang"))}
    assert len(list(header.iter(qn("w:r")))) == 7  # "- ", the field's five runs, " -"
    assert langs == {"th-TH"}  # LibreOffice draws the digit Thai only in Thai-tagged text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ภาครัฐ (Integrity And Transparency Assessment : ITA) ประจำปี",
            [("ภาครัฐ ", False), ("(Integrity And Transparency Assessment : ITA)", True), (" ประจำปี", False)],
        ),
        ("พ.ศ.2546 มาตรา 8 วรรค 1", [("พ.ศ.2546 มาตรา 8 วรรค 1", False)]),
        ("ระบบ e-Office ของสำนักงาน", [("ระบบ ", False), ("e-Office", True), (" ของสำนักงาน", False)]),
        ("Email : bansong2557@gmail.com", [("Email : bansong2557@gmail.com", True)]),
        ("ข้อพิจารณา...", [("ข้อพิจารณา...", False)]),
    ],
)
def test_script_segments(text, expected):
    assert script_segments(text) == expected
    assert "".join(segment for segment, _ in script_segments(text)) == text


def test_a_latin_word_inside_a_memo_field_is_tagged_latin():
    ctx = dataclasses.replace(memo_004(), subject="ระบบ e-Saraban ของเทศบาล")
    runs = [(text, lang["val"]) for text, lang in _text_runs(build_memo_docx(ctx))]
    assert ("e-Saraban", "en-US") in runs
