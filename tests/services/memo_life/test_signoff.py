"""The one sign-off path, without Prefect: who may sign, what a refusal leaves, doubles."""

from concurrent.futures import ThreadPoolExecutor

import pendulum
import pytest
from sqlmodel import select

from models import AuditEntry, Decision, Delegation, Revision, StageRecord
from models.db import session_scope
from models.enums import Capacity, DecisionKind, MemoStatus, Stage
from models.rules import Refused
from services.memo_life.memos import record_stage, revise_memo
from services.publication.publication import publish
from tests.builders import (
    PIN,
    draft_004,
    load_kokphutsa,
    memo,
    memo_in_review,
    operator_scope,
    prepare,
    sign,
    submitted_memo,
)


@pytest.fixture
def org(engine):
    load_kokphutsa(engine)
    return engine


def decisions(engine, memo_id: int) -> list[Decision]:
    with session_scope(engine) as session:
        return list(session.exec(select(Decision).where(Decision.memo_id == memo_id)))


def last_audit(engine) -> AuditEntry:
    with session_scope(engine) as session:
        return session.exec(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()


def test_the_chain_in_order_with_the_clerk_signing_the_last_step_as_acting_mayor(org):
    m = memo_in_review(org)
    assert sign(org, m.id, "kanokporn").capacity is Capacity.SELF
    assert sign(org, m.id, "phakphum", minute="เรียน น.ทต.คพ - โปรดพิจารณา").capacity is Capacity.SELF
    last = sign(org, m.id, "phakphum", minute="อนุมัติ")
    assert (last.step, last.capacity) == (2, Capacity.PERFORMING_DUTIES)
    assert memo(org, m.id).status is MemoStatus.APPROVED
    with session_scope(org) as session:
        revision = session.exec(select(Revision).where(Revision.memo_id == m.id)).one()
    assert {d.revision_sha256 for d in decisions(org, m.id)} == {revision.sha256}


@pytest.mark.parametrize(
    "username, pin, code",
    [
        ("kanokporn", "9999", "bad-credentials"),  # the right person, a wrong PIN
        ("nobody", PIN, "bad-credentials"),  # no such user
        ("phakphum", PIN, "not-assigned"),  # a real signer, but step 1 is the head of office's
        ("somying", PIN, "not-assigned"),  # the drafter
    ],
)
def test_a_refused_sign_off_changes_nothing_and_is_logged(org, username, pin, code):
    m = memo_in_review(org)
    before = memo(org, m.id)
    with pytest.raises(Refused) as refused:
        sign(org, m.id, username, pin=pin)
    assert refused.value.code == code
    assert decisions(org, m.id) == []
    after = memo(org, m.id)
    assert (after.status, after.step, after.updated_at) == (before.status, before.step, before.updated_at)
    entry = last_audit(org)
    actor = "(unknown user)" if username == "nobody" else username  # a typed name nobody has is not kept
    assert (entry.action, entry.actor) == ("signoff.refused", actor) and code in entry.data_json


def test_a_delegate_whose_order_has_expired_is_refused(org):
    m = memo_in_review(org)
    sign(org, m.id, "kanokporn")
    sign(org, m.id, "phakphum")
    with pendulum.travel_to(pendulum.datetime(2027, 10, 2, 9, tz="Asia/Bangkok"), freeze=True):
        with pytest.raises(Refused) as refused:
            sign(org, m.id, "phakphum")
    assert refused.value.code == "delegation-not-valid"


def test_a_delegate_claiming_the_wrong_capacity_is_refused(org):
    m = memo_in_review(org)
    sign(org, m.id, "kanokporn")
    sign(org, m.id, "phakphum")
    with pytest.raises(Refused) as refused:
        sign(org, m.id, "phakphum", capacity=Capacity.ACTING_IN_PLACE)
    assert refused.value.code == "wrong-capacity"
    assert sign(org, m.id, "phakphum", capacity=Capacity.PERFORMING_DUTIES).capacity is Capacity.PERFORMING_DUTIES


def test_a_delegation_in_a_capacity_the_step_does_not_accept_is_refused(org):
    m = memo_in_review(org)
    sign(org, m.id, "kanokporn")
    sign(org, m.id, "phakphum")
    with operator_scope(org) as session:
        session.exec(select(Delegation)).one().capacity = Capacity.ON_BEHALF
    with pytest.raises(Refused) as refused:
        sign(org, m.id, "phakphum")
    assert refused.value.code == "wrong-capacity"


def test_the_same_sign_off_twice_at_once_makes_exactly_one_decision(org):
    m = memo_in_review(org)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: sign(org, m.id, "kanokporn", step=0), range(2)))
    assert len(decisions(org, m.id)) == 1
    assert sorted(r.already_recorded for r in results) == [False, True]
    assert len({r.decision_id for r in results}) == 1
    assert memo(org, m.id).step == 1


def test_a_second_sign_off_on_a_decided_step_by_someone_else_is_refused(org):
    m = memo_in_review(org)
    sign(org, m.id, "kanokporn", step=0)
    with pytest.raises(Refused) as refused:
        sign(org, m.id, "phakphum", step=0)
    assert refused.value.code == "already-decided"


def test_an_approval_binds_to_the_revision_the_signer_read(org):
    m = memo_in_review(org)
    with pytest.raises(Refused) as refused:
        sign(org, m.id, "kanokporn", revision_sha256="0" * 64)
    assert refused.value.code == "stale-revision"
    assert decisions(org, m.id) == []


def test_a_return_needs_a_reason_and_sends_the_memo_back_for_a_new_round(org):
    m = memo_in_review(org)
    sign(org, m.id, "kanokporn")
    with pytest.raises(Refused):
        sign(org, m.id, "phakphum", DecisionKind.RETURN, minute=" ")
    sign(org, m.id, "phakphum", DecisionKind.RETURN, minute="ขอให้ระบุช่องทางเผยแพร่")
    assert memo(org, m.id).status is MemoStatus.RETURNED
    with pytest.raises(Refused) as refused:
        with session_scope(org) as session:
            revise_memo(session, memo_id=m.id, username="kanokporn", pin=PIN, draft=draft_004(), note="x")
    assert refused.value.code == "not-drafter"
    revised = draft_004().model_copy(update={"considerations": "ข้อพิจารณาฉบับแก้ไข"})
    with session_scope(org) as session:
        revise_memo(session, memo_id=m.id, username="somying", pin=PIN, draft=revised, note="เพิ่มช่องทาง")
    again = memo(org, m.id)
    assert (again.status, again.round, again.step, again.stages_done) == (MemoStatus.PREPARING, 2, 0, "ร่าง")
    with pytest.raises(Refused):
        sign(org, m.id, "kanokporn")  # the stages come first again
    prepare(org, m.id)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(org, m.id, username)
    with session_scope(org) as session:
        publication = publish(session, memo_id=m.id)
        assert publication.revision_sha256 == revised.sha256()
    assert memo(org, m.id).status is MemoStatus.PUBLISHED


def test_the_drafter_may_not_check_their_own_memo(org):
    m = submitted_memo(org)
    for username, stage in (("wanna", Stage.TYPESET), ("preecha", Stage.PROOFREAD)):
        with session_scope(org) as session:
            record_stage(session, memo_id=m.id, username=username, pin=PIN, stage=stage)
    with pytest.raises(Refused) as refused, session_scope(org) as session:
        record_stage(session, memo_id=m.id, username="somying", pin=PIN, stage=Stage.CHECK)
    assert refused.value.code == "self-stage"


def test_five_wrong_pins_lock_signing_for_a_while(org):
    m = memo_in_review(org)
    for _ in range(5):
        with pytest.raises(Refused) as wrong:
            sign(org, m.id, "kanokporn", pin="0000")
        assert wrong.value.code == "bad-credentials"
    with pytest.raises(Refused) as locked:
        sign(org, m.id, "kanokporn")  # even the right PIN, for now
    assert locked.value.code == "pin-locked"
    assert decisions(org, m.id) == []
    with pendulum.travel_to(pendulum.now("UTC").add(minutes=16), freeze=True):
        assert sign(org, m.id, "kanokporn").step == 0


def test_a_stage_recorded_twice_by_its_person_is_recorded_once_and_another_person_is_refused(org):
    m = submitted_memo(org)
    with session_scope(org) as session:
        first = record_stage(session, memo_id=m.id, username="wanna", pin=PIN, stage=Stage.TYPESET).id
    with session_scope(org) as session:  # a retried request whose first answer was lost
        again = record_stage(session, memo_id=m.id, username="wanna", pin=PIN, stage=Stage.TYPESET).id
    assert again == first
    with pytest.raises(Refused), session_scope(org) as session:
        record_stage(session, memo_id=m.id, username="preecha", pin=PIN, stage=Stage.TYPESET)
    with session_scope(org) as session:
        stages = session.exec(
            select(StageRecord).where(StageRecord.memo_id == m.id, StageRecord.stage == Stage.TYPESET)
        ).all()
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.action == "stage.recorded", AuditEntry.subject == f"memo:{m.id}")
        ).all()
    assert len(stages) == 1 and len(entries) == 1
