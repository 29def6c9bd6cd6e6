"""Who may act, and what prints under a signature, changed out of band: `saraban audit verify`
names each change, as the review's database writer made them (SQL as the application's own role,
on SQLite and PostgreSQL), while the same changes made through Saraban verify intact."""

import pytest
from sqlmodel import select

from models import Organisation
from models.audit_keying import record_identity_rows
from models.db import session_scope
from models.settings import get_settings
from services.accounts.admin import update_person
from services.audit.audit_verify import verify_audit
from tests.builders import as_database_writer, load_kokphutsa, memo_in_review, sign

# Run on SQLite and PostgreSQL: locks, the application role, constraints or triggers differ here.
pytestmark = pytest.mark.dialects

POSITION = "(SELECT id FROM position WHERE code = '{}')"
PERSON = "(SELECT id FROM person WHERE username = '{}')"
ATTACKS = {
    "a signer renamed": ("person", "UPDATE person SET full_name = 'นายผู้อื่น' WHERE username = 'phakphum'"),
    "a position's printed title": ("position", "UPDATE position SET title = 'นายกเทศมนตรีเมือง' WHERE code = 'mayor'"),
    "a clerk made an administrator": ("person", "UPDATE person SET is_admin = true WHERE username = 'wanna'"),
    "a PIN hash copied onto another person": (
        "person",
        f"UPDATE person SET pin_hash = (SELECT pin_hash FROM person WHERE username = 'somying') "
        f"WHERE id = {PERSON.format('kanokporn')}",
    ),
    "a holding added": (
        "holding",
        f"INSERT INTO holding (person_id, position_id) VALUES ({PERSON.format('wanna')}, {POSITION.format('mayor')})",
    ),
    "a holding removed": ("holding", f"DELETE FROM holding WHERE person_id = {PERSON.format('kanokporn')}"),
    "a delegation extended": ("delegation", "UPDATE delegation SET valid_to = '2199-01-01'"),
    "a chain step given another position": (
        "chainstep",
        f"UPDATE chainstep SET position_id = {POSITION.format('legal-officer')} WHERE step_index = 0",
    ),
    "a chain's separation of duties relaxed": ("chain", "UPDATE chain SET drafter_may_sign = true"),
    "the organisation renamed": ("organisation", "UPDATE organisation SET name = 'สำนักงานอื่น'"),
}


@pytest.fixture
def office(engine, tmp_path, monkeypatch):
    """The 004 municipality with a memo signed by its first two steps."""
    monkeypatch.setenv("SARABAN_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    load_kokphutsa(engine)
    memo_id = memo_in_review(engine).id
    for username in ("kanokporn", "phakphum"):
        sign(engine, memo_id, username)
    yield engine
    get_settings.cache_clear()


def problems(engine) -> list[str]:
    return [str(p) for p in verify_audit(engine).problems]


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_change_made_out_of_band_is_named(office, attack):
    assert problems(office) == []
    table, statement = ATTACKS[attack]
    as_database_writer(office, statement)
    found = problems(office)
    assert found, f"{attack}: nothing found"
    assert all(problem.startswith(f"{table} ") for problem in found), found
    assert any(
        what in problem
        for problem in found
        for what in ("changed since audit entry", "has no audit entry: added out of band", "disappeared")
    ), found


def test_the_same_kind_of_change_made_by_an_administrator_verifies(office):
    with session_scope(office) as session:
        org = session.exec(select(Organisation)).one()
        update_person(
            session,
            actor="kanokporn",
            org=org,
            username="wanna",
            full_name="นางวรรณา ใจดี",
            rank="",
            initials="ว.",
            email="",
            phone="",
            is_admin=True,
        )
    assert problems(office) == []


def test_a_restart_does_not_vouch_for_a_row_added_out_of_band(office):
    """`saraban init` and `serve` record, on first use, the rows a table had before it was
    covered: once per table. A holding added by hand afterwards stays unrecorded at every start."""
    with session_scope(office) as session:
        assert record_identity_rows(session) == 0  # every row recorded by its own entry: tables marked
    as_database_writer(office, ATTACKS["a holding added"][1])
    with session_scope(office) as session:  # the next start
        assert record_identity_rows(session) == 0
    assert any(p.startswith("holding ") and "added out of band" in p for p in problems(office)), problems(office)
