"""Register numbers: 1..N per organisation and fiscal year, no gap, no duplicate, under load."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import select

from models import Organisation, RegisterEntry
from models.db import session_scope
from models.register import take_register_number
from tests.builders import load_kokphutsa

# Run on SQLite and PostgreSQL: locks, the application role, constraints or triggers differ here.
pytestmark = pytest.mark.dialects


def take(engine, org_id: int, fiscal_year: int = 2570) -> int:
    with session_scope(engine) as session:
        return take_register_number(session, organisation_id=org_id, fiscal_year=fiscal_year, subject="ทดสอบ")


@pytest.fixture
def org_id(engine) -> int:
    load_kokphutsa(engine)
    with session_scope(engine) as session:
        return session.exec(select(Organisation.id)).one()


def test_fifty_concurrent_requests_get_1_to_50(engine, org_id):
    with ThreadPoolExecutor(max_workers=10) as pool:
        numbers = list(pool.map(lambda _: take(engine, org_id), range(50)))
    assert sorted(numbers) == list(range(1, 51))
    with session_scope(engine) as session:
        stored = session.exec(select(RegisterEntry.number).where(RegisterEntry.fiscal_year == 2570)).all()
    assert sorted(stored) == list(range(1, 51))


def test_a_rolled_back_request_leaves_no_gap(engine, org_id):
    assert take(engine, org_id) == 1
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        assert take_register_number(session, organisation_id=org_id, fiscal_year=2570, subject="x") == 2
        raise RuntimeError("the memo could not be saved")
    assert take(engine, org_id) == 2


def test_numbers_restart_each_fiscal_year(engine, org_id):
    assert [take(engine, org_id, 2569), take(engine, org_id, 2569), take(engine, org_id, 2570)] == [1, 2, 1]
