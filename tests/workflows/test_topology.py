"""The production topology, for real: a Prefect server on PostgreSQL, the deployments on the
`saraban` process work pool, two workers (`saraban worker`, warm, and a plain `prefect worker
start`), `saraban web` and `saraban deliver`, all on one PostgreSQL database. Ten memos go
through the whole chain by HTTP as people do; one worker is killed -9 (with its flow runs)
half-way. Every memo is published exactly once and posted to the channel exactly once. (More
memos, for throughput, in bench/throughput.py on the same topology.)"""

import threading
import time
from collections import Counter

import pytest
from sqlmodel import select

from bench.people import Office
from bench.topology import Topology
from models import NotificationChannel, Organisation, Publication
from models.db import make_engine, session_scope
from services.outbox.flow_signals import wait_until_done
from tests.conftest import new_postgres_database
from tests.services.conftest import WebhookReceiver

pytestmark = [pytest.mark.prefect, pytest.mark.postgres, pytest.mark.timeout(1800)]
MEMOS = 10  # enough for both workers to be busy when one is killed, and for runs it had to move
PUBLISH_SECONDS = 1200  # generous: a busy 2-core machine runs every flow run in a new interpreter


@pytest.fixture
def prefect_database_url():
    with new_postgres_database("prefect_test", driver="asyncpg") as url:
        yield url


@pytest.fixture
def topology(tmp_path, postgres_url, prefect_database_url):
    office = Topology(tmp_path / "topology", postgres_url, prefect_database_url)
    try:
        office.start_server()
        office.saraban("init")
        office.saraban("org", "load", "--demo", "examples/kokphutsa/organisation.yaml")
        # As an operator would, with Prefect's own commands and prefect.yaml:
        office.prefect("work-pool", "create", "saraban", "--type", "process")
        office.prefect("--no-prompt", "deploy", "--all")
        yield office
    finally:
        office.stop_all()


@pytest.fixture
def receiver():
    server = WebhookReceiver([])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_ten_memos_through_two_workers_one_killed_each_published_and_posted_once(topology, receiver, postgres_url):
    engine = make_engine(postgres_url)
    with session_scope(engine) as session:
        org_id = session.exec(select(Organisation.id).where(Organisation.code == "kokphutsa")).one()
        session.add(
            NotificationChannel(
                organisation_id=org_id, name="เพจเทศบาล", purpose="publication", url=receiver.channel_url("hooks/page")
            )
        )
    topology.start_worker("worker-a", limit=2)  # `saraban worker`: flow runs forked warm
    topology.start_worker("worker-b", limit=2, warm=False)  # a plain `prefect worker start`
    for name in ("worker-a", "worker-b"):
        topology.wait_for_worker(name)
    topology.start_deliverer()
    office = Office([topology.start_web()])

    memo_ids = []
    for index in range(MEMOS):
        memo_id = office.submit(index)
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
    assert "warm starter: flow run" in (topology.home / "worker-a.log").read_text()


def count_published(engine, memo_ids: list[int]) -> int:  # noqa: ANN001
    with session_scope(engine) as session:
        return len(session.exec(select(Publication.id).where(Publication.memo_id.in_(memo_ids))).all())
