"""A database writer without the keys cannot get an announcement published without its approvals.

The review's attack, as the application's own database role (what the web app and the workers
connect as) on SQLite and PostgreSQL: after the head of office's approval alone,
`UPDATE memo SET steps_total=1, step=0, status='approved'` and a flow signal. The flow run's
publication then refuses, `saraban audit verify` names the memo, and `saraban verify` never calls
a file of such a publication GENUINE. So for a skipped step, a moved memo, and a chain step given
another position.
"""

import pytest
from sqlalchemy import text
from sqlmodel import select

from models import Memo, Publication
from models.db import session_scope
from models.enums import MemoStatus
from models.rules import Refused
from services.audit.audit_verify import verify_audit
from services.publication.publication import publish
from services.publication.verification import ALTERED, GENUINE, verify_file
from tests.builders import load_kokphutsa, memo_in_review, second_organisation, sign

# Run on SQLite and PostgreSQL: locks, the application role, constraints or triggers differ here.
pytestmark = pytest.mark.dialects

APPROVERS = ("kanokporn", "phakphum", "phakphum")  # head of office, clerk, clerk as acting mayor


@pytest.fixture
def approved_once(engine, home_without_office) -> int:
    """A 004 memo the head of office alone has approved: steps 2 and 3 still wait."""
    load_kokphutsa(engine)
    memo_id = memo_in_review(engine).id
    sign(engine, memo_id, APPROVERS[0])
    return memo_id


def as_application(engine, statement: str, **params) -> None:
    with engine.begin() as connection:
        connection.execute(text(statement), params)


def memo_problems(engine, memo_id: int) -> list[str]:
    return [str(p) for p in verify_audit(engine).problems if (p.table, p.id) == ("memo", str(memo_id))]


def refused_publication(engine, memo_id: int) -> Refused:
    with pytest.raises(Refused) as refused, session_scope(engine) as session:
        publish(session, memo_id=memo_id)
    with session_scope(engine) as session:
        assert session.exec(select(Publication)).all() == []
    return refused.value


def test_a_memo_marked_approved_after_one_approval_is_not_published(engine, approved_once):
    as_application(
        engine, "UPDATE memo SET steps_total = 1, step = 0, status = 'approved' WHERE id = :id", id=approved_once
    )
    as_application(
        engine,
        "INSERT INTO flowsignal (memo_id, reason, created_at, attempts, next_attempt_at, last_error) "
        "VALUES (:id, 'approved', CURRENT_TIMESTAMP, 0, CURRENT_TIMESTAMP, '')",
        id=approved_once,
    )
    refusal = refused_publication(engine, approved_once)
    assert refusal.code == "not-approved" and "step 2 of 3 has no approval" in refusal.message
    assert "step 3 of 3 has no approval" in refusal.message
    assert memo_problems(engine, approved_once) == [
        f"memo {approved_once}: its step count says 1, its route has 3",
        f"memo {approved_once}: approved, but step 2 of 3 has no approval",
        f"memo {approved_once}: approved, but step 3 of 3 has no approval",
    ]


def test_a_skipped_step_is_not_published(engine, approved_once):
    as_application(engine, "UPDATE memo SET step = 2 WHERE id = :id", id=approved_once)
    assert memo_problems(engine, approved_once) == [
        f"memo {approved_once}: it waits at step 3, but the steps approved are [1]"
    ]
    sign(engine, approved_once, "phakphum")  # the acting mayor signs the step the writer moved to
    with session_scope(engine) as session:
        assert session.get(Memo, approved_once).status == MemoStatus.APPROVED
    assert "step 2 of 3 has no approval" in refused_publication(engine, approved_once).message
    assert memo_problems(engine, approved_once) == [f"memo {approved_once}: approved, but step 2 of 3 has no approval"]


def test_a_chain_step_given_another_position_changes_nothing_for_a_memo_on_its_way(engine, approved_once):
    # The writer gives the clerk's step to the head of office's position, so that she signs twice.
    as_application(
        engine,
        "UPDATE chainstep SET position_id = (SELECT position_id FROM chainstep c WHERE c.chain_id = chainstep.chain_id "
        "AND c.step_index = 0) WHERE step_index = 1",
    )
    with pytest.raises(Refused):
        sign(engine, approved_once, "kanokporn")
    for username in APPROVERS[1:]:
        sign(engine, approved_once, username)  # the route as frozen: the clerk, then the acting mayor
    with session_scope(engine) as session:
        assert publish(session, memo_id=approved_once).approved_by_id is not None
    assert memo_problems(engine, approved_once) == []


def test_a_memo_moved_to_another_organisation_is_not_published_there(engine, approved_once):
    second_organisation(engine)
    for username in APPROVERS[1:]:
        sign(engine, approved_once, username)
    as_application(
        engine,
        "UPDATE memo SET organisation_id = (SELECT id FROM organisation WHERE code = 'kokphutsa-2') WHERE id = :id",
        id=approved_once,
    )
    assert "not in the organisation it was submitted in" in refused_publication(engine, approved_once).message
    assert memo_problems(engine, approved_once) == [
        f"memo {approved_once}: its organisation is not the one it was submitted in: moved"
    ]


def test_an_approval_inserted_by_the_writer_does_not_count(engine, approved_once):
    # The writer copies the head of office's approval onto the two steps left, as the application
    # would insert them (it may insert history rows): no audit entry they can make covers them.
    for step in (1, 2):
        as_application(
            engine,
            "INSERT INTO decision (memo_id, round, step_index, position_id, kind, minute, signer_id, capacity, "
            "delegation_id, revision_sha256, announcement_sha256, signed_as_position_id, at) "
            "SELECT memo_id, round, :step, (SELECT position_id FROM chainstep WHERE step_index = :step AND chain_id = "
            "(SELECT chain_id FROM memo WHERE id = :id)), kind, minute, signer_id, capacity, delegation_id, "
            "revision_sha256, announcement_sha256, signed_as_position_id, at FROM decision WHERE memo_id = :id AND step_index = 0",
            id=approved_once,
            step=step,
        )
    as_application(engine, "UPDATE memo SET step = 2, status = 'approved' WHERE id = :id", id=approved_once)
    message = refused_publication(engine, approved_once).message
    assert "is not as its audit entry recorded it" in message and "decision" in message


def test_verify_does_not_call_a_file_of_a_forged_publication_genuine(engine, approved_once):
    """A publication whose approvals the history no longer shows proves nothing."""
    for username in APPROVERS[1:]:
        sign(engine, approved_once, username)
    with session_scope(engine) as session:
        publication = publish(session, memo_id=approved_once)
        announcement = open(publication.announcement_path, "rb").read()
        assert verify_file(session, announcement).verdict == GENUINE  # the honest case first
    # Now the same published memo, with the last two approvals' history rewritten away: the
    # writer deletes them on SQLite (where nothing stops a writer with the file) and keeps the
    # publication row that names the file.
    if engine.dialect.name == "postgresql":
        pytest.skip("the application role cannot delete decisions on PostgreSQL (insert-only)")
    as_application(engine, "DROP TRIGGER IF EXISTS decision_no_delete")
    as_application(engine, "DELETE FROM decision WHERE memo_id = :id AND step_index > 0", id=approved_once)
    with session_scope(engine) as session:
        verification = verify_file(session, announcement)
    assert verification.verdict == ALTERED and "step 2 of 3 has no approval" in verification.reason
