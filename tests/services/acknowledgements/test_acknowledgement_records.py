"""An acknowledgement is evidence: on SQLite and PostgreSQL the database refuses to change or
delete one (and the request naming who must acknowledge), the application's PostgreSQL role
may only add them, and whoever drops the triggers to forge or erase one is named by
`saraban audit verify`. Published without LibreOffice (the PDFs are not the point here)."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from models import Acknowledgement
from models.db import session_scope
from models.db_roles import privileges_for
from services.acknowledgements.acknowledging import acknowledge
from services.acknowledgements.asking import Recipients, ask_staff_to_acknowledge
from services.audit.audit_verify import verify_audit
from services.publication.publication import publish
from tests.builders import load_kokphutsa, memo_in_review, sign

# Run on SQLite and PostgreSQL: the triggers and the role's privileges are the databases' own.
pytestmark = pytest.mark.dialects


@pytest.fixture
def acknowledged(engine, home_without_office) -> int:
    """The acknowledgement of wanna, one of the two asked; its id."""
    load_kokphutsa(engine)
    memo_id = memo_in_review(engine).id
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo_id, username)
    with session_scope(engine) as session:
        publish(session, memo_id=memo_id)
    with session_scope(engine) as session:
        recipients = Recipients(positions=("clerical-officer", "admin-officer"))
        ask_staff_to_acknowledge(session, memo_id=memo_id, username="somying", recipients=recipients)
    with session_scope(engine) as session:
        acknowledge(session, memo_id=memo_id, username="wanna")
    with session_scope(engine) as session:
        assert acknowledge(session, memo_id=memo_id, username="wanna").already  # once
        return session.exec(select(Acknowledgement.id)).one()


REFUSED = (
    "UPDATE acknowledgement SET at = at WHERE id = :id",
    "DELETE FROM acknowledgement WHERE id = :id",
    "UPDATE acknowledgementrequest SET recipient_ids_json = '[]'",
)


def test_the_database_refuses_to_change_or_erase_one(engine, acknowledged):
    for statement in REFUSED:
        with pytest.raises(DBAPIError, match="insert-only"), engine.begin() as connection:
            connection.execute(text(statement), {"id": acknowledged})
    assert privileges_for("acknowledgement") == privileges_for("acknowledgementrequest") == "SELECT, INSERT"
    assert verify_audit(engine).intact


def test_one_forged_or_erased_behind_dropped_triggers_is_named(engine, acknowledged):
    with engine.begin() as connection:
        for table in ("acknowledgement", "acknowledgementrequest"):
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"DROP TRIGGER {table}_insert_only ON {table}"))
            else:
                connection.execute(text(f"DROP TRIGGER {table}_no_update"))
                connection.execute(text(f"DROP TRIGGER {table}_no_delete"))
        # preecha's acknowledgement made up (wanna's copied), wanna's erased, preecha taken off the list
        connection.execute(
            text(
                "INSERT INTO acknowledgement (request_id, memo_id, person_id, revision_sha256, announcement_sha256, via, at) "
                "SELECT request_id, memo_id, person_id + 1, revision_sha256, announcement_sha256, via, at "
                "FROM acknowledgement WHERE id = :id"
            ),
            {"id": acknowledged},
        )
        connection.execute(text("DELETE FROM acknowledgement WHERE id = :id"), {"id": acknowledged})
        connection.execute(text("UPDATE acknowledgementrequest SET recipient_ids_json = '[2]'"))
    problems = sorted(str(p) for p in verify_audit(engine).problems)
    assert len(problems) == 3, problems
    assert [p.split(" ")[0] for p in problems] == ["acknowledgement", "acknowledgement", "acknowledgementrequest"]
    said = " | ".join(problems)
    assert "added out of band" in said and "disappeared" in said and "changed since audit entry" in said
