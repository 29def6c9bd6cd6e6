"""Upgrading a database whose audit chain was written before the key (plain SHA-256): migration
0008 keys it once (trust on first use); from then on its old entries cannot be rewritten either."""

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import text

from models import AuditEntry, audit
from models.db import make_engine, session_scope
from models.migrate import alembic_config, upgrade
from models.settings import get_settings
from services.audit.audit_verify import verify_audit

# Run on SQLite and PostgreSQL: locks, the application role, constraints or triggers differ here.
pytestmark = pytest.mark.dialects

AT = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def keys(tmp_path, monkeypatch):
    monkeypatch.setenv("SARABAN_KEYS_DIR", str(tmp_path / "keys"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def upgraded(database_url, keys):
    """A database at 0007 with three entries of the plain chain, then upgraded."""
    command.upgrade(alembic_config(database_url), "0007")
    engine = make_engine(database_url)
    with engine.begin() as connection:
        write_plain_chain(
            connection,
            [
                ("somying", "memo.submitted", "memo:1"),
                ("wanna", "stage.recorded", "memo:1"),
                ("-", "web.login.refused", "web"),
            ],
        )
    upgrade(database_url)
    yield engine
    engine.dispose()


def write_plain_chain(connection, entries, start: int = 1, prev: str = audit.GENESIS_HASH) -> str:
    for seq, (actor, action, subject) in enumerate(entries, start):
        digest = audit.plain_entry_hash(
            seq=seq, at=AT, actor=actor, action=action, subject=subject, data_json="{}", prev_hash=prev
        )
        connection.execute(text("DELETE FROM auditentry WHERE seq = :s"), {"s": seq})
        connection.execute(
            text(
                "INSERT INTO auditentry (seq, at, actor, action, subject, data_json, prev_hash, hash) "
                "VALUES (:s, :at, :actor, :action, :subject, '{}', :prev, :h)"
            ),
            {
                "s": seq,
                "at": AT if connection.dialect.name == "postgresql" else "2026-11-30 03:00:00.000000",
                "actor": actor,
                "action": action,
                "subject": subject,
                "prev": prev,
                "h": digest,
            },
        )
        prev = digest
    connection.execute(
        text("UPDATE audithead SET seq = :s, hash = :h WHERE id = 1"), {"s": start + len(entries) - 1, "h": prev}
    )
    return prev


def drop_guard(connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("DROP TRIGGER auditentry_insert_only ON auditentry"))
    else:
        connection.execute(text("DROP TRIGGER auditentry_no_update"))
        connection.execute(text("DROP TRIGGER auditentry_no_delete"))


def test_the_upgrade_keys_the_old_chain_and_later_entries_follow_it(upgraded):
    with session_scope(upgraded) as session:
        keyed = session.get(AuditEntry, 4)
        audit.append(session, actor="system", action="test.after", subject="audit")
    assert keyed.action == audit.KEYED_ACTION and keyed.prev_hash != audit.GENESIS_HASH
    report = verify_audit(upgraded)
    assert report.intact, report.problems
    assert report.entries == 5


def test_old_entries_rewritten_after_the_upgrade_break_the_keyed_entry(upgraded):
    with upgraded.begin() as connection:
        drop_guard(connection)
        # A forger recomputes the old part of the chain with plain SHA-256, as it was made.
        write_plain_chain(
            connection,
            [
                ("mallory", "memo.submitted", "memo:1"),
                ("wanna", "stage.recorded", "memo:1"),
                ("-", "web.login.refused", "web"),
            ],
        )
        connection.execute(text("UPDATE audithead SET seq = 4, hash = (SELECT hash FROM auditentry WHERE seq = 4)"))
    assert [str(p) for p in verify_audit(upgraded).problems] == [
        "auditentry 4: does not follow the entry before it: an entry before it was changed or removed"
    ]


def test_a_chain_rewritten_as_if_never_keyed_is_found(upgraded):
    with upgraded.begin() as connection:
        drop_guard(connection)
        connection.execute(text("DELETE FROM auditentry WHERE seq = 4"))
        write_plain_chain(
            connection,
            [
                ("somying", "memo.submitted", "memo:1"),
                ("wanna", "stage.recorded", "memo:1"),
                ("-", "web.login.refused", "web"),
            ],
        )
    problems = verify_audit(upgraded).problems
    assert len([p for p in problems if "plain SHA-256" in p.what]) == 3


def test_the_organisation_given_to_an_old_entry_is_covered_too(upgraded):
    with upgraded.begin() as connection:
        drop_guard(connection)
        connection.execute(text("UPDATE auditentry SET org_id = 7 WHERE seq = 2"))
    assert [str(p) for p in verify_audit(upgraded).problems] == [
        "auditentry 1..3: the organisation of an entry written before the key was changed"
    ]
