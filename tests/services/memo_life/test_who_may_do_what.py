"""Who may do what, on the domain functions every path goes through: stage recorders per
organisation, separation of duties per chain, the escalated signer's own title, and the
announcement text each approval binds (publication refuses any other)."""

import datetime as dt
from pathlib import Path

import pendulum
import pytest
from sqlmodel import select

from models import Chain, Decision, Delegation, Memo, Organisation, Person, Position
from models.chain_versions import live_rules
from models.db import session_scope
from models.enums import Capacity, MemoStatus, Stage
from models.rules import Refused
from models.settings import get_settings
from services.accounts.admin import set_stage_positions
from services.accounts.chain_editing import StepEdit, set_chain
from services.memo_life.holders import holders_now
from services.memo_life.memos import record_stage
from services.memo_life.queue import may_act_now, queue_for
from services.notices.reminders import daily_round
from services.printing.document_context import current_revision
from services.printing.rendering import write_memo
from services.publication.memo_view import memo_view
from services.publication.publication import publish
from tests.builders import PIN, load_kokphutsa, memo, memo_in_review, operator_scope, sign, submitted_memo
from tests.documents.docx_inspect import all_paragraph_texts

TEMPLATE = (
    Path(__file__).resolve().parents[3]
    / "documents"
    / "text"
    / "templates"
    / "municipality"
    / "participation-measures.txt.j2"
)
HEAD_OF_OFFICE, CLERK = "หัวหน้าสำนักปลัดเทศบาล", "ปลัดเทศบาลตำบลโคกพุทรา"


@pytest.fixture
def org(engine):
    load_kokphutsa(engine)
    return engine


def stage(engine, memo_id: int, username: str, which: Stage) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        record_stage(session, memo_id=memo_id, username=username, pin=PIN, stage=which)


def refused_code(action) -> str:  # noqa: ANN001
    with pytest.raises(Refused) as refused:
        action()
    return refused.value.code


def test_the_drafter_records_no_stage_on_her_own_memo(org):
    m = submitted_memo(org)
    assert refused_code(lambda: stage(org, m.id, "somying", Stage.TYPESET)) == "self-stage"
    stage(org, m.id, "wanna", Stage.TYPESET)
    assert refused_code(lambda: stage(org, m.id, "somying", Stage.PROOFREAD)) == "self-stage"
    assert memo(org, m.id).stages_done == "ร่าง,พิมพ์"


def test_only_the_configured_positions_record_each_stage(org):
    m = submitted_memo(org)
    # preecha (ทาน) may not typeset, and wanna (พิมพ์) may not check: the organisation file says who does what.
    assert refused_code(lambda: stage(org, m.id, "preecha", Stage.TYPESET)) == "stage-not-allowed"
    stage(org, m.id, "wanna", Stage.TYPESET)
    stage(org, m.id, "preecha", Stage.PROOFREAD)
    assert refused_code(lambda: stage(org, m.id, "wanna", Stage.CHECK)) == "stage-not-allowed"
    with session_scope(org) as session:
        assert [i.memo_id for i in queue_for(session, "wanna")] == []  # the queue agrees with the rule
        assert [i.memo_id for i in queue_for(session, "kanokporn")] == [m.id]
    stage(org, m.id, "kanokporn", Stage.CHECK)
    assert memo(org, m.id).status is MemoStatus.IN_REVIEW


def test_an_unconfigured_stage_falls_back_to_the_memos_unit(org):
    with session_scope(org) as session:
        kokphutsa = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
        set_stage_positions(session, actor="kanokporn", org=kokphutsa, stage=Stage.TYPESET, position_codes=[])
    m = submitted_memo(org)
    # preecha holds a position of สำนักปลัด, the memo's unit; phakphum (the clerk) holds none in it.
    assert refused_code(lambda: stage(org, m.id, "phakphum", Stage.TYPESET)) == "stage-not-allowed"
    stage(org, m.id, "preecha", Stage.TYPESET)


def grant_acting_head_of_office(engine, username: str) -> None:  # noqa: ANN001
    with operator_scope(engine) as session:
        person = session.exec(select(Person).where(Person.username == username)).one()
        position = session.exec(select(Position).where(Position.code == "head-of-office")).one()
        session.add(
            Delegation(
                person_id=person.id,
                position_id=position.id,
                capacity=Capacity.ACTING_IN_PLACE,
                order_number="คำสั่ง ๑/๒๕๗๐",
                valid_from=dt.date(2020, 1, 1),
                valid_to=dt.date(2099, 1, 1),
            )
        )


def test_the_drafter_signs_no_step_of_her_own_memo_even_with_an_order_to_act(org):
    grant_acting_head_of_office(org, "somying")
    m = memo_in_review(org)
    assert refused_code(lambda: sign(org, m.id, "somying", capacity=Capacity.ACTING_IN_PLACE)) == "self-sign"
    with session_scope(org) as session:
        assert queue_for(session, "somying") == []
        assert session.exec(select(Decision)).all() == []


def test_a_chain_may_forbid_one_person_signing_two_steps_in_a_row(org):
    with session_scope(org) as session:  # as an administrator saves it: the chain's next version
        chain = session.exec(select(Chain)).one()
        steps = [StepEdit(session.get(Position, r.position_id).code) for r in live_rules(session, chain.id)]
        set_chain(
            session,
            actor="kanokporn",
            org=session.get(Organisation, chain.organisation_id),
            document_kind=chain.document_kind,
            steps=steps,
            same_signer_consecutive_steps=False,
        )
    m = memo_in_review(org)
    sign(org, m.id, "kanokporn")
    sign(org, m.id, "phakphum")
    assert refused_code(lambda: sign(org, m.id, "phakphum")) == "consecutive-steps"
    with session_scope(org) as session:
        assert queue_for(session, "phakphum") == []


def test_the_004_chain_lets_the_clerk_sign_as_acting_mayor_after_his_own_step(org):
    m = memo_in_review(org)
    sign(org, m.id, "kanokporn")
    sign(org, m.id, "phakphum")
    assert sign(org, m.id, "phakphum").capacity is Capacity.PERFORMING_DUTIES


def test_an_escalated_sign_off_prints_the_signers_own_title(org):
    with pendulum.travel_to(pendulum.datetime(2026, 11, 23, 9, tz="Asia/Bangkok"), freeze=True):
        m = memo_in_review(org)
    daily_round("kokphutsa", now=pendulum.datetime(2026, 11, 30, 16, 30, tz="Asia/Bangkok"), engine=org)
    sign(org, m.id, "phakphum", step=0)  # the head of office's overdue step, escalated to the clerk
    with session_scope(org) as session:
        current = session.get(Memo, m.id)
        written = write_memo(session, current, current_revision(session, current))
        [decision] = memo_view(session, m.id)["decisions"]
    assert (decision["position"], decision["signed_as"], decision["escalated"]) == (HEAD_OF_OFFICE, CLERK, True)
    texts = [t.strip() for t in all_paragraph_texts(written.path.read_bytes())]
    assert CLERK in texts and HEAD_OF_OFFICE not in texts  # signed in his own name, under his own post


@pytest.fixture
def template_override(monkeypatch, tmp_path):
    """The organisation's own copy of the announcement template (<SARABAN_HOME>/templates/kokphutsa/).
    Asked for before `org`: the home holds the keys its people's PINs are hashed with."""
    monkeypatch.setenv("SARABAN_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    path = tmp_path / "home" / "templates" / "kokphutsa" / "municipality" / TEMPLATE.name
    path.parent.mkdir(parents=True)
    path.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    yield path
    get_settings.cache_clear()


def approved(engine) -> int:  # noqa: ANN001
    m = memo_in_review(engine)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, m.id, username)
    return m.id


def test_a_template_changed_after_approval_is_not_published(template_override, org):
    memo_id = approved(org)
    approved_text = template_override.read_text(encoding="utf-8")
    template_override.write_text(
        approved_text.replace("จึงประกาศมาให้ทราบด้วยทั่วกัน", "จึงประกาศยกเลิกมาตรการทั้งหมด"), encoding="utf-8"
    )
    with pytest.raises(Refused) as refused, session_scope(org) as session:
        publish(session, memo_id=memo_id)
    assert refused.value.code == "announcement-differs"
    assert "differs from the one the signers approved" in refused.value.message
    assert f"saraban memo nudge {memo_id}" in refused.value.message
    assert memo(org, memo_id).status is MemoStatus.APPROVED  # not stranded: still approved, nothing published

    template_override.write_text(approved_text, encoding="utf-8")  # the administrator restores it
    with session_scope(org) as session:
        assert publish(session, memo_id=memo_id).memo_id == memo_id
    assert memo(org, memo_id).status is MemoStatus.PUBLISHED


def test_each_approval_records_the_announcement_text_it_binds(template_override, org):
    m = memo_in_review(org)
    sign(org, m.id, "kanokporn")
    template_override.write_text(
        template_override.read_text(encoding="utf-8").replace("จึงประกาศมาให้ทราบด้วยทั่วกัน", "จึงประกาศยกเลิกมาตรการทั้งหมด"),
        encoding="utf-8",
    )
    # The clerk would approve a text that the head of office never saw: refused; he may return it.
    assert refused_code(lambda: sign(org, m.id, "phakphum")) == "announcement-changed"
    with session_scope(org) as session:
        [first] = session.exec(select(Decision)).all()
    assert len(first.announcement_sha256) == 64


def test_the_queue_read_at_once_offers_what_the_one_memo_rule_offers(org):
    """queue_for reads the routes and escalations of every memo in one go (the menu counts it on
    every page): it must offer exactly what may_act_now, memo by memo, offers."""
    with pendulum.travel_to(pendulum.datetime(2026, 11, 23, 9, tz="Asia/Bangkok"), freeze=True):
        escalated = memo_in_review(org)  # its head-of-office step goes overdue, up to the clerk
    daily_round("kokphutsa", now=pendulum.datetime(2026, 11, 30, 16, 30, tz="Asia/Bangkok"), engine=org)
    at_stage = submitted_memo(org)
    first_step = memo_in_review(org)
    second_step = memo_in_review(org)
    sign(org, second_step.id, "kanokporn")
    acting_step = memo_in_review(org)
    sign(org, acting_step.id, "kanokporn")
    sign(org, acting_step.id, "phakphum")
    expected = {
        "wanna": {at_stage.id: "บันทึกขั้นตอน พิมพ์"},
        "kanokporn": {escalated.id: "พิจารณาขั้นที่ ๑", first_step.id: "พิจารณาขั้นที่ ๑"},
        "phakphum": {
            escalated.id: "พิจารณาขั้นที่ ๑",
            second_step.id: "พิจารณาขั้นที่ ๒",
            acting_step.id: "พิจารณาขั้นที่ ๓",
        },
        "somying": {},
    }
    with session_scope(org) as session:
        memos = session.exec(select(Memo)).all()
        for username, waiting in expected.items():
            person = session.exec(select(Person).where(Person.username == username)).one()
            one_by_one = {m.id: item for m in memos if (item := may_act_now(session, person, m)) is not None}
            queue = {item.memo_id: item for item in queue_for(session, username)}
            assert queue == one_by_one, username
            assert {memo_id: item.waiting_for for memo_id, item in queue.items()} == waiting, username
        capacities = {item.memo_id: item.capacity for item in queue_for(session, "phakphum")}
        assert capacities == {
            escalated.id: "escalated",
            second_step.id: "self",
            acting_step.id: Capacity.PERFORMING_DUTIES.value,
        }
        # The drafter's list names the holders of many memos at once (services.memo_life.holders):
        # the same people the queue's rule lets act, memo by memo.
        people = session.exec(select(Person).where(Person.active)).all()
        for memo_id, waiting in holders_now(session, memos).items():
            named = {holder.name.split(" (")[0] for holder in waiting.people}
            current = session.get(Memo, memo_id)
            assert named == {p.full_name for p in people if may_act_now(session, p, current)}, memo_id
