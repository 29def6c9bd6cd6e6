"""/healthz as a load balancer reads it, /metrics as Prometheus scrapes it (with its bearer token)."""

import shutil

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from models.db import default_engine, session_scope
from models.settings import get_settings
from services.outbox.flow_signals import record_problem
from tests.builders import submitted_memo

TOKEN = "scrape-token-for-tests"


def metric_values(client: TestClient, token: str = TOKEN) -> dict[tuple[str, tuple], float]:
    """Every sample of /metrics as {(name, sorted labels): value}."""
    answer = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


@pytest.fixture
def scraped(client, monkeypatch) -> TestClient:
    monkeypatch.setenv("SARABAN_METRICS_TOKEN", TOKEN)
    get_settings.cache_clear()
    return client


def test_healthz_says_ok_without_login(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "checks": {"database": "ok", "keys": "ok"}}
    assert answer.headers["cache-control"] == "no-store"


def test_healthz_is_unavailable_when_the_keys_the_database_needs_are_gone(client):
    submitted_memo(default_engine())  # audited: the chain now depends on the audit key
    keys = get_settings().keys_dir
    shutil.rmtree(keys)
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["status"] == "unavailable" and answer.json()["checks"]["database"] == "ok"
    assert answer.json()["checks"]["keys"].startswith("missing")
    assert str(keys) not in answer.text  # no path for whoever can reach the load balancer's check


def test_healthz_is_unavailable_when_the_database_does_not_answer(client, monkeypatch):
    monkeypatch.setenv("SARABAN_DATABASE_URL", "postgresql+psycopg://saraban:wrong@127.0.0.1:9/nowhere")
    get_settings.cache_clear()
    default_engine.cache_clear()
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["database"].startswith("unreachable")
    assert "wrong" not in answer.text  # nothing of the URL


def test_metrics_are_off_without_a_token_and_refused_with_a_wrong_one(client, monkeypatch):
    assert client.get("/metrics").status_code == 404
    monkeypatch.setenv("SARABAN_METRICS_TOKEN", TOKEN)
    get_settings.cache_clear()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer guess"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 401


def test_metrics_count_waiting_work_pending_signals_and_flow_problems(scraped):
    before = metric_values(scraped)
    assert before[("saraban_flow_signals_pending", (("state", "undelivered"),))] == 0
    assert before[("saraban_flow_signal_oldest_pending_seconds", ())] == 0
    assert not [key for key in before if key[0] == "saraban_memos_waiting"]

    memo = submitted_memo(default_engine())  # nothing delivers here: its signal stays pending
    with session_scope() as session:
        record_problem(session, memo.id, "publish: the organisation has no Garuda emblem")
    after = metric_values(scraped)
    assert after[("saraban_flow_signals_pending", (("state", "undelivered"),))] == 1
    assert after[("saraban_flow_signal_oldest_pending_seconds", ())] >= 0
    assert after[("saraban_memos_waiting", (("organisation", "kokphutsa"), ("status", "preparing")))] == 1
    assert after[("saraban_memos_flow_problem", (("organisation", "kokphutsa"),))] == 1
    assert ("saraban_memos_overdue", (("organisation", "kokphutsa"),)) not in after  # due in working days


def test_the_metrics_page_is_not_cached_and_the_app_answers_it_without_a_session(scraped):
    answer = scraped.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.headers["cache-control"] == "no-store"
    assert "saraban_publication_posts_failed" in answer.text and "saraban_work_notices_failed" in answer.text
