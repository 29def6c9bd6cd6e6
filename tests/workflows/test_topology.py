"""The production topology, for real: a Prefect server on PostgreSQL, the deployments on the
`saraban` process work pool, workers (`saraban worker`, warm, and a plain `prefect worker
start`), `saraban web` and `saraban deliver`, all on one PostgreSQL database, started once for
the module. Two memos go through the whole chain by HTTP as people do; the warm worker, which took
the first alone, is killed -9 (with its flow runs) once the second is signed. Every memo is
published exactly once and posted to the channel exactly once. Then Prefect's database is lost while two memos wait (one at its preparation stages,
one half-way up the chain): Saraban's database is the authority, and each is published once. (More memos, for throughput: bench/throughput.py.)"""

import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import select

from bench.people import Office
from bench.topology import Topology
from models import FlowSignal, Memo, NotificationChannel, Organisation, Publication
from models.db import make_engine, session_scope
from services.outbox.flow_signals import wait_until_done
from tests.conftest import POSTGRES_ADMIN_URL, new_postgres_database
from tests.services.conftest import WebhookReceiver
from tests.workflows.conftest import WAIT_SECONDS

pytestmark = [pytest.mark.prefect, pytest.mark.postgres, pytest.mark.timeout(1800)]
WARM_RUN = "warm starter: flow run"  # what `saraban worker` logs for each run it forks warm
MEMOS = 2  # worker-a is killed once the second is signed: what it held goes to the worker left
PUBLISH_SECONDS = 1200  # generous: a busy 2-core machine runs every flow run in a new interpreter


@pytest.fixture(scope="module")
def topology(tmp_path_factory) -> Iterator[Topology]:
    with (
        new_postgres_database() as saraban_url,
        new_postgres_database("prefect_test", driver="asyncpg") as prefect_url,
    ):
        # A killed sender's webhook claim is given up after 10 s, not a minute (as the test stack does).
        settings = {"SARABAN_WEBHOOK_RESEND_SECONDS": "10"}
        office = Topology(tmp_path_factory.mktemp("topology"), saraban_url, prefect_url, settings=settings)
        try:
            office.start_server()
            office.saraban("init")
            office.saraban("org", "load", "--demo", "examples/kokphutsa/organisation.yaml")
            # As an operator would, with Prefect's own commands and prefect.yaml:
            office.prefect("work-pool", "create", "saraban", "--type", "process")
            office.prefect("--no-prompt", "deploy", "--all")
            office.start_deliverer()
            yield office
        finally:
            office.stop_all()


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver([])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_memos_through_two_workers_one_killed_each_published_and_posted_once(topology, receiver):
    engine = make_engine(topology.database_url)
    with session_scope(engine) as session:
        org_id = session.exec(select(Organisation.id).where(Organisation.code == "kokphutsa")).one()
        session.add(
            NotificationChannel(
                organisation_id=org_id, name="เพจเทศบาล", purpose="publication", url=receiver.channel_url("hooks/page")
            )
        )
    topology.start_worker("worker-a", limit=2)  # `saraban worker`: flow runs forked warm
    topology.wait_for_worker("worker-a")
    office = Office([topology.start_web()])

    memo_ids = []
    for index in range(MEMOS):
        memo_id = office.submit(index)
        if index == 0:
            # worker-a alone takes the first memo's run, so that it surely holds work when it is
            # killed (with two workers from the start, the other may take every run before then).
            wait_for_line(topology.home / "worker-a.log", WARM_RUN, PUBLISH_SECONDS)
            topology.start_worker("worker-b", limit=2, warm=False)  # a plain `prefect worker start`
            topology.wait_for_worker("worker-b")
        office.prepare(memo_id, index)
        office.sign_all(memo_id, index)
        memo_ids.append(memo_id)
        if index == MEMOS // 2:
            topology.kill_hard("worker-a")  # with whatever flow runs it was running
    office.close()

    deadline = time.monotonic() + PUBLISH_SECONDS
    while (published := count_published(engine, memo_ids)) < MEMOS:
        assert time.monotonic() < deadline, f"{published}/{MEMOS} published; see {topology.home}"
        time.sleep(1)
    # Every flow run done (published and posted): a duplicate post would have been made by now.
    assert all(wait_until_done(memo_ids, max(deadline - time.monotonic(), 1), engine=engine).values())
    posts = Counter(payload["message"].split("\n")[2] for _path, payload in receiver.requests)  # the ที่ line
    assert len(posts) == MEMOS and set(posts.values()) == {1}, posts
    with session_scope(engine) as session:
        rows = session.exec(select(Publication.memo_id).where(Publication.memo_id.in_(memo_ids))).all()
    assert sorted(rows) == sorted(memo_ids)
    engine.dispose()
    assert WARM_RUN in (topology.home / "worker-a.log").read_text()


def wait_for_line(log: Path, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while text not in (log.read_text() if log.exists() else ""):
        assert time.monotonic() < deadline, f"{log.name} never said {text!r}"
        time.sleep(0.5)


def count_published(engine, memo_ids: list[int]) -> int:  # noqa: ANN001
    with session_scope(engine) as session:
        return len(session.exec(select(Publication.id).where(Publication.memo_id.in_(memo_ids))).all())


def test_prefects_database_lost_while_memos_wait_and_each_is_published_once(topology):
    """Two memos wait at different places; Prefect's database is dropped and made anew; the
    deliverer registers the deployments again and gives each memo a new run that waits where the
    memo stands; people go on, and each memo is published exactly once."""
    office, engine = topology, make_engine(topology.database_url)
    if "worker-b" in office.processes:
        office.stop("worker-b")  # one warm worker is enough here
    office.start_worker("worker-c")  # warm: the killed worker's machine, back
    office.wait_for_worker("worker-c")
    people = Office([office.start_web("web-2")])

    at_stages = people.submit(0)  # waits for its preparation stages
    at_second_step = people.submit(2)
    people.prepare(at_second_step, 2)
    people.sign_steps(at_second_step, 2, range(1))
    memos = [at_stages, at_second_step]
    assert all(wait_until_done(memos, WAIT_SECONDS, engine=engine).values())
    old_runs = runs_of(engine, memos)

    office.stop("prefect-server")  # and its database is lost
    recreate_database(office.prefect_database_url)
    office.start_server()

    deadline = time.monotonic() + PUBLISH_SECONDS
    while not all(runs_of(engine, memos)[m] != old_runs[m] for m in memos):
        assert time.monotonic() < deadline, f"no new runs: see {office.home}"
        time.sleep(1)
    assert all(wait_until_done(memos, WAIT_SECONDS, engine=engine).values())
    deployments = office.prefect("deployment", "ls")
    for name in ("memo-routing", "annual-review-cycle", "annual-review-batch", "daily-reminders"):
        assert name in deployments  # the schedules are registered again too

    people.prepare(at_stages, 0)
    people.sign_all(at_stages, 0)
    people.sign_steps(at_second_step, 2, range(1, 3))
    people.close()
    while (published := publications(engine, memos)) != {m: 1 for m in memos}:
        assert time.monotonic() < deadline, f"published {published}: see {office.home}"
        time.sleep(1)
    assert all(wait_until_done(memos, WAIT_SECONDS, engine=engine).values())
    assert publications(engine, memos) == {m: 1 for m in memos}
    with session_scope(engine) as session:
        reasons = session.exec(select(FlowSignal.reason).where(FlowSignal.memo_id.in_(memos))).all()
    assert reasons.count("rebuild") == len(memos)
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
