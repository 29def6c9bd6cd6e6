"""Submission keys on both databases: requests racing with one key make one memo and take one
register number (on PostgreSQL the loser's insert breaks the unique index and rolls back)."""

import threading

import pytest
from sqlmodel import func, select

from cli.demo import draft_004
from models import Memo, RegisterEntry
from models.db import default_engine, session_scope
from models.settings import get_settings
from services.memo_life.memos import submit_once
from tests.builders import PIN, load_kokphutsa
from tests.conftest import copy_of_migrated

# Run on SQLite and PostgreSQL: locks, the application role, constraints or triggers differ here.
pytestmark = pytest.mark.dialects


@pytest.fixture
def default_database(database_url, monkeypatch, tmp_path, migrated_templates):
    monkeypatch.setenv("SARABAN_HOME", str(tmp_path))
    monkeypatch.setenv("SARABAN_DATABASE_URL", database_url)
    get_settings.cache_clear()
    default_engine.cache_clear()
    copy_of_migrated(database_url, migrated_templates)
    load_kokphutsa(default_engine())
    yield
    default_engine().dispose()
    get_settings.cache_clear()
    default_engine.cache_clear()


def test_requests_racing_with_one_key_make_one_memo(default_database):
    ids: list[int] = []
    go = threading.Barrier(6)

    def send() -> None:
        go.wait()
        ids.append(
            submit_once(username="somying", pin=PIN, draft=draft_004(), submission_key="form-4b1d9e0a7c", via="web").id
        )

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == 6 and len(set(ids)) == 1
    with session_scope() as session:
        assert session.exec(select(func.count()).select_from(Memo)).one() == 1
        assert session.exec(select(func.count()).select_from(RegisterEntry)).one() == 1
        assert session.get(Memo, ids[0]).submission_key == "form-4b1d9e0a7c"
