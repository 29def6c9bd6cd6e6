"""The audit trail: hash-chained, insert-only, and `verify` finds any edit or deletion."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from models import audit
from models.db import session_scope
from services.audit.audit_verify import AuditReport, verify_audit

# Run on SQLite and PostgreSQL: locks, the application role, constraints or triggers differ here.
pytestmark = pytest.mark.dialects


def write_entries(engine, count: int = 5) -> None:
    for n in range(count):
        with session_scope(engine) as session:
            audit.append(session, actor="somying", action="memo.submitted", subject=f"memo:{n}", data={"n": n})


def verify(engine) -> AuditReport:
    return verify_audit(engine)


def drop_guards(engine) -> None:
    """What someone with direct database access could do first."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP TRIGGER auditentry_insert_only ON auditentry"))
        else:
            connection.execute(text("DROP TRIGGER auditentry_no_update"))
            connection.execute(text("DROP TRIGGER auditentry_no_delete"))


def test_an_untouched_chain_verifies(engine):
    write_entries(engine)
    report = verify(engine)
    assert report.intact and report.entries == 5


@pytest.mark.parametrize(
    "statement", ["UPDATE auditentry SET actor = 'x' WHERE seq = 2", "DELETE FROM auditentry WHERE seq = 2"]
)
def test_the_database_refuses_changes_to_entries(engine, statement):
    write_entries(engine)
    with pytest.raises(DBAPIError, match="insert-only"), engine.begin() as connection:
        connection.execute(text(statement))
    assert verify(engine).intact


def test_an_edited_entry_is_found(engine):
    write_entries(engine)
    drop_guards(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE auditentry SET data_json = :forged WHERE seq = 3"), {"forged": '{"n":99}'})
    report = verify(engine)
    assert not report.intact
    assert [str(p) for p in report.problems] == [
        "auditentry 3: its MAC does not match: edited, or written with another key (memo.submitted memo:2)"
    ]


def test_a_deleted_entry_is_found(engine):
    write_entries(engine)
    drop_guards(engine)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM auditentry WHERE seq = 2"))
    assert "auditentry 2..2: missing: deleted" in [str(p) for p in verify(engine).problems]


def test_entries_cut_off_the_end_are_found(engine):
    write_entries(engine)
    drop_guards(engine)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM auditentry WHERE seq = 5"))
    assert any("removed from the end" in str(p) for p in verify(engine).problems)


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link(engine):
    write_entries(engine)
    drop_guards(engine)
    with session_scope(engine) as session:
        entry = session.get(audit.AuditEntry, 2)
        forged = audit.plain_entry_hash(
            seq=2,
            at=entry.at,
            actor="mallory",
            action=entry.action,
            subject=entry.subject,
            data_json=entry.data_json,
            prev_hash=entry.prev_hash,
        )
    with engine.begin() as connection:
        connection.execute(text("UPDATE auditentry SET actor = 'mallory', hash = :h WHERE seq = 2"), {"h": forged})
    assert any("3: does not follow" in str(p) for p in verify(engine).problems)
