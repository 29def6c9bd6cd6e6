"""Every memo can end (issue 20, finding 2): a memo could only end by being published, so a
duplicate sent by mistake had to be approved to publication. Now the drafter withdraws it before
any approval, a signer disapproves it at their step, an administrator cancels it on its way;
each on the record (who, why, which round), the memo's flow run told to finish, and `audit
verify` holding the status to the recorded ending."""

import pytest
from sqlmodel import select

from models import FlowSignal, Memo, MemoEnding
from models.db import session_scope
from models.enums import DecisionKind, MemoStatus
from models.rules import Refused
from services.audit.audit_verify import verify_audit
from services.memo_life.endings import end_memo, ended_text
from services.orchestration.flow_work import Work, next_work
from tests.builders import PIN, as_database_writer, load_kokphutsa, memo, memo_in_review, sign, submitted_memo

REASON = "ส่งซ้ำโดยไม่ตั้งใจ"


@pytest.fixture
def office(engine, home_without_office):
    load_kokphutsa(engine)
    return engine


def ended_signals(engine, memo_id: int) -> int:
    with session_scope(engine) as session:
        rows = session.exec(select(FlowSignal).where(FlowSignal.memo_id == memo_id, FlowSignal.reason == "ended"))
        return len(rows.all())


def finished_by_its_flow(engine, memo_id: int) -> bool:
    with session_scope(engine) as session:
        return next_work(session, memo_id).work is Work.DONE


@pytest.mark.parametrize("before", ["preparing", "in_review"])
def test_the_drafter_withdraws_before_any_approval(office, before):
    memo_id = (submitted_memo(office) if before == "preparing" else memo_in_review(office)).id
    end_memo("withdraw", memo_id=memo_id, username="somying", pin=PIN, reason=REASON, via="test", engine=office)
    assert memo(office, memo_id).status == MemoStatus.WITHDRAWN
    assert ended_signals(office, memo_id) == 1 and finished_by_its_flow(office, memo_id)
    with session_scope(office) as session:
        ending = session.exec(select(MemoEnding)).one()
        assert (ending.kind, ending.reason) == ("withdrawn", REASON)
        text = ended_text(session, session.get(Memo, memo_id))
    assert "ถอนเรื่องโดย" in text and REASON in text
    assert verify_audit(office).intact


def test_a_withdrawal_is_refused_to_others_after_an_approval_and_without_a_reason(office):
    memo_id = memo_in_review(office).id
    refusals = [
        ("kanokporn", REASON, "only the memo's drafter"),
        ("somying", "  ", "give the reason"),
    ]
    for username, reason, says in refusals:
        with pytest.raises(Refused, match=says):
            end_memo("withdraw", memo_id=memo_id, username=username, pin=PIN, reason=reason, via="test", engine=office)
    sign(office, memo_id, "kanokporn")
    with pytest.raises(Refused, match="cannot be withdrawn"):
        end_memo("withdraw", memo_id=memo_id, username="somying", pin=PIN, reason=REASON, via="test", engine=office)
    assert memo(office, memo_id).status == MemoStatus.IN_REVIEW


def test_a_signer_disapproves_and_the_memo_ends(office):
    memo_id = memo_in_review(office).id
    sign(office, memo_id, "kanokporn")
    with pytest.raises(Refused, match="disapproval needs a reason"):
        sign(office, memo_id, "phakphum", DecisionKind.DISAPPROVE, minute="")
    sign(office, memo_id, "phakphum", DecisionKind.DISAPPROVE, minute="ไม่เห็นควรออกประกาศในขณะนี้")
    assert memo(office, memo_id).status == MemoStatus.DISAPPROVED
    assert ended_signals(office, memo_id) == 1 and finished_by_its_flow(office, memo_id)
    with pytest.raises(Refused):
        sign(office, memo_id, "phakphum", capacity=None, step=2)  # nothing further can be decided
    with session_scope(office) as session:
        assert "ไม่อนุมัติที่ขั้นที่ ๒" in ended_text(session, session.get(Memo, memo_id))
    assert verify_audit(office).intact


def test_only_an_administrator_cancels_and_not_after_publication(office):
    memo_id = memo_in_review(office).id
    with pytest.raises(Refused, match="only an administrator"):
        end_memo("cancel", memo_id=memo_id, username="somying", pin=PIN, reason=REASON, via="test", engine=office)
    end_memo("cancel", memo_id=memo_id, username="kanokporn", pin=PIN, reason=REASON, via="test", engine=office)
    assert memo(office, memo_id).status == MemoStatus.CANCELLED
    with pytest.raises(Refused, match="not allowed while the memo is cancelled"):
        end_memo("cancel", memo_id=memo_id, username="kanokporn", pin=PIN, reason=REASON, via="test", engine=office)
    assert verify_audit(office).intact


def test_a_status_set_to_an_ending_out_of_band_is_named(office):
    memo_id = memo_in_review(office).id
    as_database_writer(office, "UPDATE memo SET status = 'withdrawn' WHERE id = :id", id=memo_id)
    problems = [str(p) for p in verify_audit(office).problems]
    assert any("recorded ending none" in p for p in problems), problems
