"""Shared fixtures: real databases (a migrated SQLite file; PostgreSQL when configured), and one
real Prefect server and runner for the whole session, serving the real deployments."""

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, make_url, text

from deployments.stack import deliverer_thread, running_stack
from models import secrets
from models.db import default_engine, make_engine
from models.migrate import upgrade
from models.private_data import keep_private
from models.settings import get_settings
from tests.builders import load_kokphutsa

POSTGRES_ADMIN_URL = os.environ.get("SARABAN_TEST_POSTGRES_URL", "")
# CI sets this so that a missing PostgreSQL fails the run instead of skipping its tests.
POSTGRES_REQUIRED = os.environ.get("SARABAN_REQUIRE_POSTGRES") == "1"


def pytest_configure(config: pytest.Config) -> None:
    if POSTGRES_REQUIRED and not POSTGRES_ADMIN_URL:
        raise pytest.UsageError("SARABAN_REQUIRE_POSTGRES=1 but SARABAN_TEST_POSTGRES_URL is not set")
    # As every `saraban` command does (models.private_data): the instances the tests make are
    # private too, whether or not a command ran in this process first.
    keep_private()


# Seconds each slow module took (one run of the suite, two processes): bin/test splits the suite
# over two processes by module, and a long module handed out last runs alone at the end while the
# other process idles. Longest first balances them. Refresh it when modules change much:
#   uv run pytest -n 2 --dist loadfile --junitxml=run.xml, then sum the times by module.
MODULE_SECONDS = json.loads((Path(__file__).parent / "module_seconds.json").read_text())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest modules first (a module not listed takes a second or two). A test's PostgreSQL
    variant runs only in modules marked `dialects`, where the databases behave differently
    (locks, the application role, constraints, triggers); elsewhere SQLite alone checks the
    logic, and CI keeps within its 15 minutes."""
    same_on_both = [item for item in items if _postgres_variant(item) and not item.get_closest_marker("dialects")]
    if same_on_both:
        config.hook.pytest_deselected(items=same_on_both)
        items[:] = [item for item in items if item not in same_on_both]
    items.sort(key=lambda item: -MODULE_SECONDS.get(item.nodeid.split("::")[0], 1))  # stable within a module


def _postgres_variant(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    return callspec is not None and callspec.params.get("database_url") == "postgres"


@pytest.fixture(scope="session", autouse=True)
def quick_argon2() -> Iterator[None]:
    """Argon2id at its smallest cost in this process: every organisation loaded hashes sixteen
    passwords and PINs, and every signature checks one, at about 50 ms each with the real
    parameters (models.secrets.ARGON2_PARAMETERS, checked in tests/models/test_secrets.py).
    Argon2 keeps the parameters in each hash, so the processes a test starts verify them too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(secrets, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        yield


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


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory) -> Iterator[dict[str, str]]:
    """An empty database at today's schema per kind, made once by the migrations: each test's
    database starts as a copy of it (the migrations take about half a second on SQLite and more
    on PostgreSQL, for hundreds of tests). The migrations themselves are tested on their own
    (tests/cli/test_upgrade.py, tests/models/test_audit_keying.py, tests/models/test_db_roles.py)."""
    sqlite_path = tmp_path_factory.mktemp("migrated") / "saraban.db"
    upgrade(f"sqlite:///{sqlite_path}")
    templates = {"sqlite": str(sqlite_path)}
    if not POSTGRES_ADMIN_URL:
        yield templates
        return
    with new_postgres_database("saraban_template") as url:
        upgrade(url)  # its engine is disposed: a template database must have no connections
        yield templates | {"postgresql": make_url(url).database}


def copy_of_migrated(url: str, templates: dict[str, str]) -> None:
    """Make the (new, empty) database at `url` a copy of the migrated template of its kind."""
    target = make_url(url)
    if target.get_backend_name() == "sqlite":
        shutil.copyfile(templates["sqlite"], target.database)
        return
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target.database}" TEMPLATE "{templates["postgresql"]}"'))
    admin.dispose()


@pytest.fixture
def engine(database_url, migrated_templates) -> Iterator[Engine]:
    copy_of_migrated(database_url, migrated_templates)
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
    # A killed sender's webhook claim is given up after 10 s, not a minute: the flow processes
    # the stack starts inherit it (tests/workflows/test_recovery.py waits for it).
    os.environ["SARABAN_WEBHOOK_RESEND_SECONDS"] = "10"
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


@pytest.fixture
def no_libreoffice(tmp_path, monkeypatch):
    """No LibreOffice on the PATH: publication goes on with the .docx alone (the PDF recorded as
    missing). For tests about something else, in seconds rather than LibreOffice's."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
