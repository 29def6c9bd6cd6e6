"""On PostgreSQL the application connects as a role that adds history and cannot rewrite it:
as that role, an attacker's UPDATE, DELETE, TRUNCATE, DROP TRIGGER and ALTER TABLE are refused
by the server itself, while every service works. The owner migrates (`saraban init --owner-url`)."""

import secrets
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from models.db import make_engine, session_scope
from models.db_roles import RoleProblem, grant_app_role, prepare_database
from models.settings import get_settings
from services.audit.audit_verify import verify_audit
from services.publication.publication import publish
from tests.builders import load_kokphutsa, memo_in_review, sign
from tests.cli.runner import instance_env
from tests.conftest import POSTGRES_ADMIN_URL

pytestmark = pytest.mark.postgres
SARABAN = shutil.which("saraban", path=str(Path(sys.executable).parent)) or "saraban"

ATTACKS = [
    "UPDATE decision SET minute = 'อนุมัติ'",
    "DELETE FROM decision",
    "TRUNCATE decision CASCADE",
    "UPDATE stagerecord SET note = 'x'",
    "UPDATE revision SET content_json = '{}'",
    "DELETE FROM stagereturn",
    "UPDATE publication SET announcement_sha256 = 'x'",
    "DELETE FROM publicationchannel",
    "UPDATE auditentry SET actor = 'mallory'",
    "DELETE FROM auditentry",
    "INSERT INTO audithead (id, seq, hash) VALUES (2, 0, 'x')",
    "DROP TRIGGER decision_insert_only ON decision",
    "ALTER TABLE decision DISABLE TRIGGER ALL",
    "ALTER TABLE decision ADD COLUMN forged text",
    "DROP TABLE decision CASCADE",
    "CREATE TABLE decision_copy (id int)",
]


@pytest.fixture
def app_url(postgres_url):
    """A fresh login role (not a superuser, owning nothing) and the URL to connect as it."""
    role, password = f"saraban_app_{uuid.uuid4().hex[:10]}", secrets.token_hex(12)
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
    yield make_url(postgres_url).set(username=role, password=password).render_as_string(hide_password=False)
    owner = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        connection.execute(text(f"DROP OWNED BY {role}"))  # its grants in the test database
    owner.dispose()
    with admin.connect() as connection:
        connection.execute(text(f"DROP ROLE {role}"))
    admin.dispose()


@pytest.fixture
def as_app(app_url, postgres_url):
    assert prepare_database(app_url=app_url, owner_url=postgres_url) == make_url(app_url).username
    engine = make_engine(app_url)
    yield engine
    engine.dispose()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SARABAN_HOME", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))  # no LibreOffice: publication goes on without PDFs
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_services_work_as_the_application_role(as_app, home):
    load_kokphutsa(as_app)
    memo = memo_in_review(as_app)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(as_app, memo.id, username)
    with session_scope(as_app) as session:
        publication = publish(session, memo_id=memo.id)
    assert publication.audit_head and verify_audit(as_app).intact


@pytest.mark.parametrize("statement", ATTACKS)
def test_the_application_role_cannot_rewrite_history(as_app, statement):
    load_kokphutsa(as_app)
    memo = memo_in_review(as_app)
    sign(as_app, memo.id, "kanokporn")
    with pytest.raises(DBAPIError, match="permission denied|must be owner"), as_app.begin() as connection:
        connection.execute(text(statement))
    assert verify_audit(as_app).intact


def test_a_superuser_or_the_owner_is_refused_as_the_application_role(postgres_url, app_url):
    prepare_database(app_url=app_url, owner_url=postgres_url)
    owner = make_engine(postgres_url)
    with pytest.raises(RoleProblem, match="superuser"):
        grant_app_role(owner, make_url(POSTGRES_ADMIN_URL).username)  # the test server's superuser
    role = make_url(app_url).username
    with owner.begin() as connection:
        connection.execute(text(f"ALTER TABLE decision OWNER TO {role}"))
    with pytest.raises(RoleProblem, match="owns 1 tables"):
        grant_app_role(owner, role)
    with owner.begin() as connection:
        connection.execute(text("ALTER TABLE decision OWNER TO CURRENT_USER"))
    owner.dispose()


def test_saraban_init_migrates_as_the_owner_and_grants_the_application_role(app_url, postgres_url, tmp_path):
    env = instance_env(tmp_path, app_url)
    result = subprocess.run(
        [SARABAN, "init", "--owner-url", postgres_url], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert f"application role {make_url(app_url).username}" in result.stdout
    assert make_url(app_url).password not in result.stdout
    engine = make_engine(app_url)
    with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as connection:
        connection.execute(text("DELETE FROM auditentry"))
    engine.dispose()
