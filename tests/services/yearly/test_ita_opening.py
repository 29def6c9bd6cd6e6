"""The ITA year opened on the catalogue's cadence, without Prefect: the shipped catalogue adopted
for the demo municipality; what 1 October, 1 November and 1 April open (yearly items, then each
month's and each half's reports), once; what each shape starts from; a vacant position named
without stopping the rest; an on-demand item's rounds by hand; next year's draft from this
year's published text."""

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from sqlmodel import select

from models import AuditEntry, Holding, ItaItem, ItaWork, ItaWorkMemo, Organisation
from models.clock import utcnow
from models.db import session_scope
from models.draft import MemoDraft
from models.web import SavedDraft
from models.workdays import OFFICE_ZONE
from services.errors import BadInput
from services.ita.catalogue_format import parse_catalogue, read_catalogue_file
from services.ita.catalogue_load import adopt_catalogue, organisation_named
from services.ita.work_status import DRAFTING, OPENED, year_states
from services.memo_life.memos import submit_memo
from services.publication.publication import publish
from services.yearly.cycle_run import run_cycle
from services.yearly.ita_opening import open_on_demand
from tests.builders import PIN, load_kokphutsa, operator_scope, prepare, sign
from web.forms import MemoForm

LAO = Path(__file__).resolve().parents[3] / "examples" / "ita" / "lao-2570.yaml"
FIRST_OCTOBER = dt.datetime(2026, 10, 1, 8, tzinfo=OFFICE_ZONE)


@pytest.fixture
def office(engine):
    load_kokphutsa(engine)
    with session_scope(engine) as session:
        adopt_catalogue(session, organisation_named(session, "kokphutsa"), read_catalogue_file(LAO), actor="test")
    return engine


def works(engine) -> dict[str, list[str]]:  # noqa: ANN001
    with session_scope(engine) as session:
        rows = session.exec(select(ItaItem.code, ItaWork.period).join(ItaWork, ItaWork.item_id == ItaItem.id)).all()
    opened: dict[str, list[str]] = {}
    for code, period in rows:
        opened.setdefault(code, []).append(period)
    return opened


def draft_of_work(engine, code: str, period: str) -> tuple[MemoDraft, SavedDraft]:  # noqa: ANN001
    with session_scope(engine) as session:
        work = session.exec(
            select(ItaWork)
            .join(ItaItem, ItaItem.id == ItaWork.item_id)
            .where(ItaItem.code == code, ItaWork.period == period)
        ).one()
        saved = session.get(SavedDraft, work.draft_id)
        values = json.loads(saved.content_json)
    form = MemoForm.from_values(values)  # as the drafter opens it
    draft = form.to_draft()
    assert draft is not None, form.errors  # the draft as opened can be sent as it is
    return draft, saved


def test_each_cadence_opens_on_its_day_once(office):
    first = run_cycle(2570, engine=office, now=FIRST_OCTOBER)
    assert not first.problems
    yearly = {code for code, periods in works(office).items() if periods == ["2570"]}
    assert {"O1", "O4", "O19", "O25", "O30"} <= yearly
    assert "O14" not in works(office) and "O9" not in works(office) and "O13" not in works(office)
    assert run_cycle(2570, engine=office, now=FIRST_OCTOBER).created == 0  # again: nothing twice

    run_cycle(2570, engine=office, now=FIRST_OCTOBER.replace(month=11))
    assert works(office)["O14"] == ["2570-M01"]  # October's procurement summary, on 1 November
    run_cycle(2570, engine=office, now=dt.datetime(2027, 4, 1, 8, tzinfo=OFFICE_ZONE))
    assert works(office)["O14"] == [f"2570-M{m:02d}" for m in range(1, 7)]  # the months it had not
    assert works(office)["O9"] == ["2570-H1"]  # the six-month report, on 1 April
    assert "O13" not in works(office)  # on demand: never by the schedule


def test_each_shape_starts_from_what_it_needs(office):
    run_cycle(2570, engine=office, now=dt.datetime(2027, 4, 1, 8, tzinfo=OFFICE_ZONE))
    with session_scope(office) as session:
        disclosure = session.exec(
            select(ItaWork).join(ItaItem, ItaItem.id == ItaWork.item_id).where(ItaItem.code == "O1")
        ).one()
    assert disclosure.draft_id is None and disclosure.url == ""  # a task to give its address

    circular, saved = draft_of_work(office, "O19", "2570")
    assert circular.document_kind() == "circular" and circular.issued().general.addressee
    assert "หนังสือเวียน" in saved.note and saved.due_at is not None
    order, _ = draft_of_work(office, "O25", "2570")
    assert order.document_kind() == "order" and "๒๕๗๐" in order.subject
    plan, saved = draft_of_work(office, "O4", "2570")
    assert plan.document_kind() == "announcement" and "แนบ:" in saved.note  # the plan to attach
    report, _ = draft_of_work(office, "O9", "2570-H1")
    assert report.document_kind() == "report" and report.announcement is None
    assert "ระหว่างวันที่ ๑ ตุลาคม พ.ศ. ๒๕๖๙ ถึงวันที่ ๓๑ มีนาคม พ.ศ. ๒๕๗๐" in report.facts.replace("\xa0", " ")


def test_a_vacant_position_is_named_and_the_other_items_open(office):
    with operator_scope(office) as session:
        org = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
        item = session.exec(select(ItaItem).where(ItaItem.organisation_id == org.id, ItaItem.code == "O25")).one()
        for holding in session.exec(select(Holding).where(Holding.position_id == item.position_id)):
            session.delete(holding)
    report = run_cycle(2570, engine=office, now=FIRST_OCTOBER)
    assert len(report.problems) >= 1 and all("O" in p for p in report.problems)
    assert any("O25" in p and "vacant" in p for p in report.problems)
    assert "O25" not in works(office) and "O1" in works(office)


def test_an_on_demand_item_opens_round_by_round_by_hand(office):
    with session_scope(office) as session:
        org = organisation_named(session, "kokphutsa")
        assert open_on_demand(session, org, 2570, "O13", by="somying").period == "2570-D1"
        assert open_on_demand(session, org, 2570, "O13", by="somying").period == "2570-D2"
        with pytest.raises(BadInput, match="O99"):
            open_on_demand(session, org, 2570, "O99", by="somying")


def test_next_year_starts_from_this_year_s_published_text_with_the_year_moved_on(office, no_libreoffice):
    run_cycle(2570, engine=office, now=FIRST_OCTOBER)
    order, saved = draft_of_work(office, "O25", "2570")
    order = order.model_copy(update={"facts": "ตามมาตรการปีงบประมาณ พ.ศ. ๒๕๗๐ ข้อ ๑"})
    with session_scope(office) as session:  # sent from the draft, as the form does
        memo = submit_memo(session, username="somying", pin=PIN, draft=order, from_draft=saved.id)
    with session_scope(office) as session:  # the submission recorded which period it answers, in its entry
        (link,) = session.exec(select(ItaWorkMemo).where(ItaWorkMemo.memo_id == memo.id)).all()
        entry = session.exec(select(AuditEntry).where(AuditEntry.subject == f"memo:{memo.id}")).one()
        assert json.loads(entry.data_json)["ita_work"] == link.work_id
        assert "itaworkmemo" in entry.records_json
        assert session.get(SavedDraft, saved.id).sent_memo_id == memo.id  # off the drafter's list
    prepare(office, memo.id)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(office, memo.id, username)
    with session_scope(office) as session:
        publish(session, memo_id=memo.id)

    raw = yaml.safe_load(LAO.read_text(encoding="utf-8"))
    raw["fiscal_year"], raw["opens_on"] = 2571, dt.date(2027, 10, 1)
    for item in raw["items"]:
        if item.get("due", {}).get("date"):
            item["due"] = {"date": dt.date(2028, 3, 31)}
    with session_scope(office) as session:  # a later year's catalogue: another file, no code
        adopt_catalogue(session, organisation_named(session, "kokphutsa"), parse_catalogue(raw), actor="test")
    run_cycle(2571, engine=office, now=dt.datetime(2027, 10, 1, 8, tzinfo=OFFICE_ZONE))
    next_year, saved = draft_of_work(office, "O25", "2571")
    assert next_year.facts == "ตามมาตรการปีงบประมาณ พ.ศ. ๒๕๗๑ ข้อ ๑"  # last year's approved text, moved on
    assert next_year.document_kind() == "order" and "๒๕๗๑" in next_year.subject
    assert "ปีก่อน" not in saved.note and "๒๕๗๑" in saved.note  # the differences, for the drafter


def test_a_draft_is_being_written_once_saved_after_its_opening_whatever_day_it_opened(office):
    run_cycle(2570, engine=office, now=FIRST_OCTOBER)  # opened as of a day before today
    with session_scope(office) as session:
        org = organisation_named(session, "kokphutsa")
        states = {s.item.code: s for s in year_states(session, org, 2570, FIRST_OCTOBER)}
        assert states["O24"].status == OPENED and states["O1"].status == OPENED  # untouched
        draft = session.get(SavedDraft, states["O24"].latest.work.draft_id)
        draft.updated_at = utcnow()  # the drafter saved it (web.routes.drafting)
    with session_scope(office) as session:
        states = {
            s.item.code: s for s in year_states(session, organisation_named(session, "kokphutsa"), 2570, utcnow())
        }
    assert states["O24"].status == DRAFTING and states["O25"].status == OPENED


def test_a_draft_that_is_not_the_sender_s_answers_nothing(office, no_libreoffice):
    run_cycle(2570, engine=office, now=FIRST_OCTOBER)
    order, saved = draft_of_work(office, "O25", "2570")  # somying's
    with session_scope(office) as session:  # wanna names it: sent as from a blank form
        memo = submit_memo(session, username="wanna", pin=PIN, draft=order, from_draft=saved.id)
    with session_scope(office) as session:
        assert session.exec(select(ItaWorkMemo).where(ItaWorkMemo.memo_id == memo.id)).first() is None
        assert session.get(SavedDraft, saved.id).sent_memo_id is None  # still on somying's list
