"""proofread_revision: the memo and the announcement of a revision, checked together, each warning
placed where a person finds it; the shape the memo's flow stores and the memo page shows."""

import json

import pytest
from sqlmodel import select

from models import Memo, Revision
from models.db import session_scope
from services.errors import BadInput
from services.memo_life.memos import submit_memo
from services.memo_life.proofreading import proofread_revision
from services.printing.document_context import current_revision
from tests.builders import PIN, draft_004, load_kokphutsa, submitted_memo

FIELDS = {"document", "section", "paragraph", "sentence", "kind", "message", "suggestion", "text"}


@pytest.fixture
def org(engine):
    load_kokphutsa(engine)
    return engine


def report(engine, memo_id: int) -> list[dict]:
    with session_scope(engine) as session:
        memo = session.get(Memo, memo_id)
        return proofread_revision(session, memo, current_revision(session, memo))


def test_the_004_memo_and_announcement_as_submitted_have_no_warning(org):
    assert report(org, submitted_memo(org).id) == []


def test_a_revision_with_mistakes_in_both_documents(org):
    draft = draft_004()
    measures = ["รับฟังความคิดเห็นของประชาชนและผู้มีส่วนได้ส่วนเสีย", "จัดประชุมประชาคมเพื่อรับฟังความคิดเห็นปีละ 2 ครั้ง"]
    mistaken = draft.model_copy(
        update={
            "facts": draft.facts.replace("เปิดโอกาส", "เปิดโอกาศ"),
            "announcement": draft.announcement.model_copy(update={"data": {"measures": measures}}),
        }
    )
    with session_scope(org) as session:
        memo_id = submit_memo(session, username="somying", pin=PIN, draft=mistaken, proofread_confirmed=True).id
    found = report(org, memo_id)
    assert [(w["document"], w["section"], w["paragraph"], w["kind"], w["text"], w["suggestion"]) for w in found] == [
        ("memo", "ข้อเท็จจริง", 1, "spelling", "โอกาศ", "โอกาส"),
        ("announcement", "ข้อ ๒", 1, "mixed-digits", "2", "๒"),
    ]
    for warning in found:
        assert FIELDS <= set(warning)
        assert warning["text"] in warning["sentence"]
        assert "(" in warning["message"]  # Thai, with English in parentheses
    assert json.loads(json.dumps(found, ensure_ascii=False)) == found  # stored as JSON by the flow


def test_a_revision_of_another_memo_is_refused(org):
    first, second = submitted_memo(org), submitted_memo(org)
    with session_scope(org) as session:
        revision = session.exec(select(Revision).where(Revision.memo_id == second.id)).one()
        with pytest.raises(BadInput, match="belongs to memo"):
            proofread_revision(session, session.get(Memo, first.id), revision)
