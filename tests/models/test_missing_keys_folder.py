"""A machine without the instance's keys folder, as an operator meets it after moving the
database: nothing makes a new pepper or audit key in place of the lost ones; signing, logging in,
auditing and starting the app all say which file to copy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from models import Person
from models.audit import append
from models.db import make_engine, session_scope
from models.instance_keys_check import check_instance_keys
from models.instance_secrets import MissingInstanceKey
from models.migrate import upgrade
from models.secrets import secret_matches
from tests.builders import PIN, load_kokphutsa

SARABAN = str(Path(sys.executable).parent / "saraban")


@pytest.fixture
def moved(tmp_path, keys_dir, sqlite_url):
    """The 004 database made with one keys folder, then the folder gone (a new machine)."""
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    load_kokphutsa(engine)
    for key in keys_dir.iterdir():
        key.rename(tmp_path / f"saved-{key.name}")
    yield engine
    engine.dispose()


def test_a_stored_pin_is_never_checked_against_a_new_pepper(moved, keys_dir):
    with session_scope(moved) as session:
        person = session.exec(select(Person).where(Person.username == "phakphum")).one()
    with pytest.raises(MissingInstanceKey, match="pin-pepper.key"):
        secret_matches(person.pin_hash, PIN, username=person.username)
    assert not (keys_dir / "pin-pepper.key").exists()


def test_a_started_audit_chain_never_gets_a_new_key(moved, keys_dir):
    with pytest.raises(MissingInstanceKey, match="audit-chain.key"), session_scope(moved) as session:
        append(session, actor="kanokporn", action="test.action", subject="org:1")
    assert not (keys_dir / "audit-chain.key").exists()


def test_the_check_at_start_names_the_file_and_passes_once_it_is_back(moved, keys_dir, tmp_path):
    with pytest.raises(MissingInstanceKey, match="SARABAN_KEYS_DIR"):
        check_instance_keys(moved)
    for saved in tmp_path.glob("saved-*.key"):
        saved.rename(keys_dir / saved.name.removeprefix("saved-"))
    check_instance_keys(moved)


def test_a_fresh_database_starts_and_makes_its_keys(keys_dir, sqlite_url):
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    check_instance_keys(engine)  # nothing depends on a key yet
    engine.dispose()


def test_saraban_web_refuses_to_start_without_the_keys(moved, keys_dir, sqlite_url, tmp_path):
    home = tmp_path / "home"  # not the working folder's .saraban, whatever its permissions
    env = {
        **os.environ,
        "SARABAN_HOME": str(home),
        "SARABAN_DATABASE_URL": sqlite_url,
        "SARABAN_KEYS_DIR": str(keys_dir),
    }
    done = subprocess.run([SARABAN, "web", "--port", "0"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "audit-chain.key" in done.stderr and "copy the instance's keys folder" in done.stderr
    assert not (keys_dir / "audit-chain.key").exists()
