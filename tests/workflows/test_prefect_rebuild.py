"""Saraban's database is the authority: Prefect's can be lost. On the production topology (Prefect
on PostgreSQL, `saraban worker`, `saraban deliver`, `saraban web`), three memos wait at different
places; Prefect's database is dropped and made anew; the deliverer registers the deployments
again and gives each memo a new run that waits where the memo stands; people go on, and each
memo is published exactly once. On the session's stack, a run Prefect no longer knows (as after a
restore of an older Prefect backup) is replaced the same way."""

import time
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import select

from bench.people import Office
from bench.topology import Topology
from models import FlowSignal, Memo, Publication
from models.db import make_engine, session_scope
from models.enums import MemoStatus
from services.outbox.flow_signals import wait_until_done
from tests.builders import memo_in_review, sign
from tests.conftest import POSTGRES_ADMIN_URL, new_postgres_database
from tests.workflows.conftest import WAIT_SECONDS, flow_run_id, wait_until_suspended, work_done
from workflows.delivery import Deliverer

pytestmark = pytest.mark.prefect
PUBLISH_SECONDS = 900  # generous: a busy 2-core machine


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


@pytest.mark.postgres
@pytest.mark.timeout(1800)
def test_prefects_database_lost_while_three_memos_wait_and_each_is_published_once(tmp_path, postgres_url):
    with new_postgres_database("prefect_test", driver="asyncpg") as prefect_url:
        office = Topology(tmp_path / "topology", postgres_url, prefect_url)
        try:
            run_the_office_through_a_lost_prefect(office, prefect_url, make_engine(postgres_url))
        finally:
            office.stop_all()


def run_the_office_through_a_lost_prefect(office: Topology, prefect_url: str, engine) -> None:  # noqa: ANN001
    office.start_server()
    office.saraban("init")
    office.saraban("org", "load", "--demo", "examples/kokphutsa/organisation.yaml")
    office.saraban("deploy")
    office.start_worker("worker")
    office.wait_for_worker("worker")
    office.start_deliverer()
    people = Office([office.start_web()])

    at_stages = people.submit(0)  # waits for its preparation stages
    at_first_step = people.submit(1)
    people.prepare(at_first_step, 1)
    at_second_step = people.submit(2)
    people.prepare(at_second_step, 2)
    people.sign_steps(at_second_step, 2, range(1))
    memos = [at_stages, at_first_step, at_second_step]
    assert all(wait_until_done(memos, WAIT_SECONDS, engine=engine).values())
    old_runs = runs_of(engine, memos)

    office.stop("prefect-server")  # and its database is lost
    recreate_database(prefect_url)
    office.start_server()

    deadline = time.monotonic() + PUBLISH_SECONDS
    while not all(runs_of(engine, memos)[m] != old_runs[m] for m in memos):
        assert time.monotonic() < deadline, f"no new runs: see {office.home}"
        time.sleep(1)
    assert all(wait_until_done(memos, WAIT_SECONDS, engine=engine).values())
    deployments = office.prefect("deployment", "ls")
    for name in ("memo-routing", "annual-review-cycle", "daily-reminders"):
        assert name in deployments  # the schedules are registered again too

    people.prepare(at_stages, 0)
    people.sign_all(at_stages, 0)
    people.sign_all(at_first_step, 1)
    people.sign_steps(at_second_step, 2, range(1, 3))
    people.close()
    while (published := publications(engine, memos)) != {m: 1 for m in memos}:
        assert time.monotonic() < deadline, f"published {published}: see {office.home}"
        time.sleep(1)
    assert all(wait_until_done(memos, WAIT_SECONDS, engine=engine).values())
    assert publications(engine, memos) == {m: 1 for m in memos}
    with session_scope(engine) as session:
        reasons = session.exec(select(FlowSignal.reason).where(FlowSignal.memo_id.in_(memos))).all()
    assert reasons.count("rebuild") == 3
    engine.dispose()


def runs_of(engine, memo_ids: list[int]) -> dict[int, str]:  # noqa: ANN001
    with session_scope(engine) as session:
        return {m: session.get(Memo, m).flow_run_id for m in memo_ids}


def publications(engine, memo_ids: list[int]) -> dict[int, int]:  # noqa: ANN001
    with session_scope(engine) as session:
        rows = session.exec(select(Publication.memo_id).where(Publication.memo_id.in_(memo_ids))).all()
    return {m: rows.count(m) for m in memo_ids}


def recreate_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
