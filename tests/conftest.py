"""Shared fixtures: real databases (a migrated SQLite file; PostgreSQL when configured), and one
real Prefect server and runner for the whole session, serving the real deployments."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine, text

from deployments.stack import deliverer_thread, running_stack
from models.db import default_engine, make_engine
from models.migrate import upgrade
from models.settings import get_settings
from tests.builders import load_kokphutsa

POSTGRES_ADMIN_URL = os.environ.get("SARABAN_TEST_POSTGRES_URL", "")
# CI sets this so that a missing PostgreSQL fails the run instead of skipping its tests.
POSTGRES_REQUIRED = os.environ.get("SARABAN_REQUIRE_POSTGRES") == "1"


def pytest_configure(config: pytest.Config) -> None:
    if POSTGRES_REQUIRED and not POSTGRES_ADMIN_URL:
        raise pytest.UsageError("SARABAN_REQUIRE_POSTGRES=1 but SARABAN_TEST_POSTGRES_URL is not set")


@pytest.fixture
def keys_dir(tmp_path, monkeypatch) -> Iterator:
    """A keys folder of the test's own: its instance secrets and signing keys, made on first use."""
    monkeypatch.setenv("SARABAN_KEYS_DIR", str(tmp_path / "keys"))
    get_settings.cache_clear()
    yield tmp_path / "keys"
    get_settings.cache_clear()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'saraban.db'}"


@contextmanager
def new_postgres_database(prefix: str = "saraban_test", driver: str = "psycopg") -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards; its URL for the given driver."""
    if not POSTGRES_ADMIN_URL:
        pytest.skip("PostgreSQL not configured: set SARABAN_TEST_POSTGRES_URL (bin/test does)")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("+psycopg", f"+{driver}") + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    with new_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def engine(database_url) -> Iterator[Engine]:
    upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[None]:
    """The embedded defaults for real: a SQLite database with the 004 municipality, a local
    Prefect server, and a runner serving the deployments. Nothing delivers flow signals unless
    a test asks for `delivering`: the outbox tests deliver by hand."""
    home = tmp_path_factory.mktemp("saraban-home")
    os.environ["SARABAN_HOME"] = str(home)
    os.environ.pop("SARABAN_DATABASE_URL", None)
    os.environ.pop("PREFECT_API_URL", None)
    get_settings.cache_clear()
    default_engine.cache_clear()
    upgrade(get_settings().resolved_database_url)
    load_kokphutsa(default_engine())
    with running_stack(deliver=False):
        yield


@pytest.fixture
def delivering(stack) -> Iterator[None]:
    """The deliverer `saraban serve` runs, for one test."""
    with deliverer_thread():
        yield
