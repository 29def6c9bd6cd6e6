"""The annual review cycle without Prefect: what it opens, and that it opens it only once."""

import json

import pendulum
import pytest
from sqlmodel import func, select

from models import CycleItem, Holding, Organisation, Position, Publication, SavedDraft
from models.db import session_scope
from models.enums import DecisionKind
from services.memo_life.endings import end_memo
from services.memo_life.memos import revise_memo
from services.publication.cancellation import cancel_publication
from services.publication.publication import publish
from services.yearly.cycle_run import run_cycle
from tests.builders import (
    PIN,
    draft_004,
    load_kokphutsa,
    memo_in_review,
    operator_scope,
    prepare,
    second_organisation,
    sign,
)

BANGKOK = "Asia/Bangkok"
LAST_YEAR = 2569


@pytest.fixture
def org(engine):
    load_kokphutsa(engine)
    return engine


def published_last_year(engine) -> int:  # noqa: ANN001
    """The 004 case in fiscal year 2569: returned once by the clerk, then published."""
    with pendulum.travel_to(pendulum.datetime(2026, 9, 7, 9, tz=BANGKOK), freeze=True):
        m = memo_in_review(engine)
        sign(engine, m.id, "kanokporn")
        sign(engine, m.id, "phakphum", DecisionKind.RETURN, minute="ขอให้ระบุช่องทางการเผยแพร่")
        revised = draft_004().model_copy(update={"facts": draft_004().facts + " ประจำปีงบประมาณ พ.ศ. ๒๕๖๙"})
        with session_scope(engine) as session:
            revise_memo(session, memo_id=m.id, username="somying", pin=PIN, draft=revised, note="เพิ่มช่องทาง")
        prepare(engine, m.id)
        for username in ("kanokporn", "phakphum", "phakphum"):
            sign(engine, m.id, username)
        with session_scope(engine) as session:
            publish(session, memo_id=m.id)
    return m.id


def drafts(engine) -> list[SavedDraft]:  # noqa: ANN001
    with session_scope(engine) as session:
        return list(session.exec(select(SavedDraft).order_by(SavedDraft.id)))


def opened(engine) -> int:  # noqa: ANN001
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(CycleItem)).one()


def test_the_cycle_opens_the_review_and_next_years_draft_once(org):
    published_last_year(org)
    with pendulum.travel_to(pendulum.datetime(2026, 10, 1, 8, tz=BANGKOK), freeze=True):
        first = run_cycle(2570, engine=org)
        second = run_cycle(2570, engine=org)
    assert (first.created, second.created, opened(org)) == (1, 0, 1)
    review, announcement = drafts(org)
    facts = json.loads(review.content_json)["facts"]
    assert "ขอให้ระบุช่องทางการเผยแพร่" in facts  # what was returned and why
    assert "ภาคภูมิ อนุศาสตร์" in facts and "ปฏิบัติหน้าที่" in facts  # who signed it, as acting mayor
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๙" in json.loads(review.content_json)["subject"]
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๗๐" in json.loads(announcement.content_json)["facts"]
    assert "+facts:" in announcement.note and "๒๕๗๐" in announcement.note  # the changes from last year shown
    assert review.origin == "cycle 2570 participation-measures" and review.due_at is not None


def test_without_last_years_announcement_a_first_draft_is_opened(org):
    report = run_cycle(2570, engine=org)
    assert report.created == 1
    review, _announcement = drafts(org)
    assert "ยังไม่มีการออกประกาศ" in json.loads(review.content_json)["facts"]


def test_an_interrupted_run_finishes_what_it_had_not_done(org):
    second_organisation(org)
    with operator_scope(org) as session:  # the second office's drafting position falls vacant
        position = session.exec(
            select(Position)
            .join(Organisation)
            .where(Organisation.code == "kokphutsa-2", Position.code == "legal-officer")
        ).one()
        holding = session.exec(select(Holding).where(Holding.position_id == position.id)).one()
        holder, position_id = holding.person_id, position.id
        session.delete(holding)
    interrupted = run_cycle(2570, engine=org)
    assert interrupted.created == 1 and len(interrupted.problems) == 1 and "ว่าง" in interrupted.problems[0]
    with operator_scope(org) as session:
        session.add(Holding(person_id=holder, position_id=position_id))
    completed = run_cycle(2570, engine=org)
    assert (completed.created, completed.problems, opened(org)) == (1, [], 2)


def test_the_review_counts_the_years_ended_memos_apart_and_builds_on_the_announcement_in_force(org):
    """Last year also held a memo withdrawn, one disapproved, and a later announcement cancelled
    after publication: the review says each with its reason, and next year's text builds on the
    announcement still in force, not on the cancelled one."""
    in_force = published_last_year(org)
    with pendulum.travel_to(pendulum.datetime(2026, 9, 14, 9, tz=BANGKOK), freeze=True):
        withdrawn = memo_in_review(org).id
        end_memo("withdraw", memo_id=withdrawn, username="somying", pin=PIN, reason="ส่งซ้ำ", via="test", engine=org)
        disapproved = memo_in_review(org).id
        sign(org, disapproved, "kanokporn", DecisionKind.DISAPPROVE, minute="ยังไม่ถึงเวลา")
        cancelled = memo_in_review(org).id
        for username in ("kanokporn", "phakphum", "phakphum"):
            sign(org, cancelled, username)
        with session_scope(org) as session:
            publication_id = publish(session, memo_id=cancelled).id
        with session_scope(org) as session:
            cancel_publication(session, publication_id=publication_id, username="kanokporn", pin=PIN, reason="ผิดฉบับ")
    with pendulum.travel_to(pendulum.datetime(2026, 10, 1, 8, tz=BANGKOK), freeze=True):
        assert run_cycle(2570, engine=org).created == 1
    with session_scope(org) as session:
        assert session.exec(select(CycleItem)).one().previous_memo_id == in_force
    facts = json.loads(drafts(org)[0].content_json)["facts"]
    assert "สิ้นสุดโดยไม่ได้เผยแพร่ ผู้ร่างถอนเรื่อง ๑ เรื่อง ไม่อนุมัติ ๑ เรื่อง" in facts
    assert "เหตุผล: ส่งซ้ำ" in facts and "เหตุผล: ยังไม่ถึงเวลา" in facts
    assert "ยกเลิกประกาศ" not in facts  # the announcement the review reports is the one in force


def test_a_review_of_an_announcement_cancelled_after_publication_says_so(org):
    published = published_last_year(org)
    with session_scope(org) as session:
        publication = session.exec(select(Publication).where(Publication.memo_id == published)).one()
        cancel_publication(session, publication_id=publication.id, username="kanokporn", pin=PIN, reason="ผิดฉบับ")
    with pendulum.travel_to(pendulum.datetime(2026, 10, 1, 8, tz=BANGKOK), freeze=True):
        run_cycle(2570, engine=org)
    facts = json.loads(drafts(org)[0].content_json)["facts"]
    assert "ต่อมาได้ยกเลิกประกาศดังกล่าว" in facts and "เหตุผล: ผิดฉบับ" in facts
