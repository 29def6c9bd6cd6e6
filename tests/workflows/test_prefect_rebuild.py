"""Saraban's database is the authority: Prefect's can be lost. On the session's stack, a run Prefect
no longer knows (as after a restore of an older Prefect backup) is replaced by one waiting where
the memo stands. (Prefect's whole database dropped on the production topology:
tests/workflows/test_topology.py, which shares that topology's start-up.)"""

import uuid

import pytest
from sqlmodel import select

from models import Memo, Publication
from models.db import session_scope
from models.enums import MemoStatus
from tests.builders import memo_in_review, sign
from tests.workflows.conftest import flow_run_id, wait_until_suspended, work_done
from workflows.delivery import Deliverer

pytestmark = pytest.mark.prefect


def test_a_run_prefect_no_longer_knows_is_replaced_by_one_waiting_where_the_memo_stands(delivering):
    memo_id = memo_in_review(None).id
    work_done(memo_id)
    with session_scope() as session:  # as if Prefect's database came back from before this run
        memo = session.get(Memo, memo_id)
        lost_run, memo.flow_run_id = memo.flow_run_id, str(uuid.uuid4())
    assert memo_id in Deliverer().rebuild()
    assert memo_id not in Deliverer().rebuild()  # its signal is pending: nothing twice
    work_done(memo_id)
    new_run = flow_run_id(memo_id)
    assert str(new_run) != lost_run
    wait_until_suspended(new_run)
    for signer in ("kanokporn", "phakphum", "phakphum"):
        sign(None, memo_id, signer)
    work_done(memo_id)
    with session_scope() as session:
        assert session.get(Memo, memo_id).status == MemoStatus.PUBLISHED
        assert len(session.exec(select(Publication).where(Publication.memo_id == memo_id)).all()) == 1
