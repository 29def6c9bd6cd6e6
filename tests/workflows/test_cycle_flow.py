"""The annual review cycle through its deployment on the real Prefect server."""

import pytest
from prefect.deployments import run_deployment
from sqlmodel import func, select

from models import CycleItem
from models.db import session_scope

pytestmark = pytest.mark.prefect
YEAR = 2575  # a year no other test opens


def opened_in(year: int) -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(CycleItem).where(CycleItem.fiscal_year == year)).one()


def test_the_cycle_deployment_opens_each_organisation_once(stack):
    first = run_deployment("annual-review-cycle/annual-review-cycle", parameters={"fiscal_year": YEAR}, timeout=180)
    assert first.state.is_completed(), first.state.message
    assert opened_in(YEAR) == 1
    second = run_deployment("annual-review-cycle/annual-review-cycle", parameters={"fiscal_year": YEAR}, timeout=180)
    assert second.state.is_completed() and opened_in(YEAR) == 1
