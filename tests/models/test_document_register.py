"""The orders' and circulars' registers (models.document_register): a running number per
organisation, kind and calendar year, apart from each other and from the memos' register."""

import pytest
from sqlmodel import select

from models import Memo, RegisterEntry
from models.db import session_scope
from models.document_register import DocumentRegisterEntry, next_document_number, take_document_number
from tests.builders import load_kokphutsa, submitted_memo

# Run on SQLite and PostgreSQL: the counter's upsert and the entry's constraints differ there.
pytestmark = pytest.mark.dialects


def take(engine, memo: Memo, kind: str, year: int) -> int:  # noqa: ANN001
    with session_scope(engine) as session:
        return take_document_number(
            session, organisation_id=memo.organisation_id, kind=kind, year=year, memo_id=memo.id, subject="ทดสอบ"
        )


def test_each_kind_counts_its_own_calendar_year_and_a_rollback_gives_its_number_back(engine):
    load_kokphutsa(engine)
    memos = [submitted_memo(engine) for _ in range(4)]
    assert [take(engine, memos[0], "order", 2570), take(engine, memos[1], "order", 2570)] == [1, 2]
    assert take(engine, memos[2], "circular", 2570) == 1, "a circular's register is its own"
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        take_document_number(
            session, organisation_id=memos[3].organisation_id, kind="order", year=2570, memo_id=memos[3].id, subject="x"
        )
        raise RuntimeError("the publication could not be made")
    with session_scope(engine) as session:
        org = memos[0].organisation_id
        assert next_document_number(session, organisation_id=org, kind="order", year=2570) == 3, "no gap"
        assert (
            session.exec(select(DocumentRegisterEntry.number).where(DocumentRegisterEntry.memo_id == memos[3].id)).all()
            == []
        )
    assert take(engine, memos[3], "order", 2571) == 1, "a new calendar year starts again"
    with session_scope(engine) as session:
        assert len(session.exec(select(RegisterEntry)).all()) == 4, "the memos' register took one each, as before"
