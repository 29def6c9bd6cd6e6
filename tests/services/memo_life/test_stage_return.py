"""The ทาน and ตรวจ people return a memo to its drafter with corrections: recorded, audited,
insert-only, and the drafter revises as after a sign-off return."""

import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from models import AuditEntry, StageReturn
from models.db import session_scope
from models.enums import DecisionKind, MemoStatus, Stage
from models.rules import Refused
from services.memo_life.memos import record_stage, revise_memo
from services.memo_life.stage_return import return_at_stage, stage_return_in
from services.unit_of_work import run_action
from tests.builders import PIN, draft_004, load_kokphutsa, memo, prepare, sign, submitted_memo

NOTE = "ข้อเท็จจริง ย่อหน้าที่ ๑: “โอกาศ” ควรเป็น “โอกาส”"


@pytest.fixture
def org(engine):
    load_kokphutsa(engine)
    return engine


def stage(engine, memo_id: int, username: str, which: Stage) -> None:
    with session_scope(engine) as session:
        record_stage(session, memo_id=memo_id, username=username, pin=PIN, stage=which)


def give_back(engine, memo_id: int, username: str, which: Stage, note: str = NOTE, pin: str = PIN) -> StageReturn:
    return run_action(
        lambda s: return_at_stage(s, memo_id=memo_id, username=username, pin=pin, stage=which, note=note),
        engine=engine,
        actor=username,
        name="stage",
        subject=f"memo:{memo_id}",
        via="test",
    )


def audit_actions(engine) -> list[tuple[str, dict]]:
    with session_scope(engine) as session:
        return [(e.action, json.loads(e.data_json)) for e in session.exec(select(AuditEntry).order_by(AuditEntry.seq))]


def test_the_proofreader_returns_the_memo_and_the_drafter_revises_it(org):
    m = submitted_memo(org)
    stage(org, m.id, "wanna", Stage.TYPESET)
    returned = give_back(org, m.id, "preecha", Stage.PROOFREAD)
    assert (returned.round, returned.stage, returned.note) == (1, Stage.PROOFREAD, NOTE)
    assert memo(org, m.id).status is MemoStatus.RETURNED
    action, data = audit_actions(org)[-1]
    assert action == "stage.returned" and data["note"] == NOTE and data["stage"] == "ทาน"
    with session_scope(org) as session:
        assert stage_return_in(session, m.id, 1).id == returned.id
        assert stage_return_in(session, m.id, 2) is None
        revise_memo(session, memo_id=m.id, username="somying", pin=PIN, draft=draft_004(), note="แก้คำสะกด")
    after = memo(org, m.id)
    assert (after.status, after.round, after.stages_done) == (MemoStatus.PREPARING, 2, "ร่าง")
    prepare(org, m.id)  # every stage again on the new revision, then the chain
    assert sign(org, m.id, "kanokporn").step == 0


def test_a_note_from_a_browser_keeps_plain_line_breaks(org):
    m = submitted_memo(org)
    stage(org, m.id, "wanna", Stage.TYPESET)
    returned = give_back(org, m.id, "preecha", Stage.PROOFREAD, note="ข้อ ๑: แก้คำสะกด\r\nข้อ ๒: ใช้เลขไทย\r\n")
    assert returned.note == "ข้อ ๑: แก้คำสะกด\nข้อ ๒: ใช้เลขไทย"


def test_the_checker_returns_it_at_the_check_stage(org):
    m = submitted_memo(org)
    stage(org, m.id, "wanna", Stage.TYPESET)
    stage(org, m.id, "preecha", Stage.PROOFREAD)
    assert give_back(org, m.id, "kanokporn", Stage.CHECK).stage is Stage.CHECK
    assert memo(org, m.id).status is MemoStatus.RETURNED


def test_a_double_submission_gives_the_return_already_recorded(org):
    m = submitted_memo(org)
    stage(org, m.id, "wanna", Stage.TYPESET)
    first = give_back(org, m.id, "preecha", Stage.PROOFREAD)
    assert give_back(org, m.id, "preecha", Stage.PROOFREAD).id == first.id
    with session_scope(org) as session:
        assert len(session.exec(select(StageReturn)).all()) == 1


@pytest.mark.parametrize(
    ("username", "which", "note", "pin", "code"),
    [
        ("wanna", Stage.TYPESET, NOTE, PIN, "stage-no-return"),  # typesetting only types the draft
        ("kanokporn", Stage.CHECK, NOTE, PIN, "stage-order"),  # the memo waits for ทาน
        ("preecha", Stage.PROOFREAD, "  ", PIN, "note-required"),  # the drafter must know what to correct
        ("somying", Stage.PROOFREAD, NOTE, PIN, "self-stage"),  # the drafter does no stage of her own memo
        ("wanna", Stage.PROOFREAD, NOTE, PIN, "stage-not-allowed"),  # whoever may not do ทาน may not return at it
        ("preecha", Stage.PROOFREAD, NOTE, "9999", "bad-credentials"),
    ],
)
def test_refused_returns_change_nothing_and_are_logged(org, username, which, note, pin, code):
    m = submitted_memo(org)
    stage(org, m.id, "wanna", Stage.TYPESET)
    with pytest.raises(Refused) as refused:
        give_back(org, m.id, username, which, note=note, pin=pin)
    assert refused.value.code == code
    assert memo(org, m.id).status is MemoStatus.PREPARING
    with session_scope(org) as session:
        assert session.exec(select(StageReturn)).all() == []
    assert audit_actions(org)[-1][0] == "stage.refused"


def test_no_return_once_the_stages_are_done(org):
    m = submitted_memo(org)
    prepare(org, m.id)
    with pytest.raises(Refused) as refused:
        give_back(org, m.id, "preecha", Stage.PROOFREAD)
    assert refused.value.code == "not-now"  # in review: the signers return it with a minute
    sign(org, m.id, "kanokporn", DecisionKind.RETURN, minute="แก้ไข")
    assert memo(org, m.id).status is MemoStatus.RETURNED


def test_stage_returns_are_insert_only(org):
    m = submitted_memo(org)
    stage(org, m.id, "wanna", Stage.TYPESET)
    give_back(org, m.id, "preecha", Stage.PROOFREAD)
    for statement in ("UPDATE stagereturn SET note = 'ไม่มีอะไร'", "DELETE FROM stagereturn"):
        with pytest.raises(DBAPIError, match="insert-only"), org.begin() as connection:
            connection.execute(text(statement))
