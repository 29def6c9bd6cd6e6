"""Every generated .docx, for every template family: no template tag left in any part, and the
same bytes for the same context (zip entries and core properties carry no clock)."""

import io
import re
import zipfile
from collections.abc import Callable

import pytest

from documents.docx.announcement import build_announcement_docx
from documents.docx.continuation import ContinuationMark
from documents.docx.memo import build_memo_docx
from documents.text.announcement_examples import example_names, load_announcement_example
from documents.text.sample_004 import memo_004

# Jinja2 ({{ }}, {% %}, {# #}) and the other placeholder styles a template might have used.
LEFTOVER_TAG = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\$\{|\[\[|\]\]")


def _builds() -> dict[str, Callable[[], bytes]]:
    builds = {
        f"announcement {name}": (lambda n: lambda: build_announcement_docx(load_announcement_example(n)))(name)
        for name in example_names()
    }
    builds["memo 004"] = lambda: build_memo_docx(memo_004())
    builds["memo 004 with a continuation mark"] = lambda: build_memo_docx(
        memo_004(), continuations=[ContinuationMark(1, "ข้อพิจารณา", 12)]
    )
    return builds


BUILDS = _builds()


@pytest.mark.parametrize("name", BUILDS)
def test_no_template_tag_left_in_any_part(name):
    with zipfile.ZipFile(io.BytesIO(BUILDS[name]())) as archive:
        leftovers = {
            part: LEFTOVER_TAG.findall(archive.read(part).decode("utf-8"))
            for part in archive.namelist()
            if part.endswith((".xml", ".rels"))
        }
    assert {part: tags for part, tags in leftovers.items() if tags} == {}


@pytest.mark.parametrize("name", BUILDS)
def test_same_context_same_bytes(name):
    first, second = BUILDS[name](), BUILDS[name]()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
