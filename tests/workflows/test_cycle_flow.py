"""The annual review cycle through its deployment on the real Prefect server: a run stopped by
one office's problem, the run that completes it, and a run that finds nothing left to open."""

import pytest
from prefect.deployments import run_deployment
from sqlmodel import func, select

from models import CycleItem, Holding, Person, Position
from models.db import session_scope
from services.accounts.org_loader import OrganisationFile, load_organisation, read_organisation_file
from tests.builders import EXAMPLES, operator_scope

pytestmark = pytest.mark.prefect
YEAR = 2575  # a year no other test opens
CYCLE = "annual-review-cycle/annual-review-cycle"


def opened_in(year: int) -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(CycleItem).where(CycleItem.fiscal_year == year)).one()


def office_without_a_drafter() -> None:
    """A second office whose drafting position is vacant: the cycle cannot open its work."""
    spec = read_organisation_file(EXAMPLES / "organisation.yaml").model_dump()
    spec["organisation"].update(code="cycle-office", name="เทศบาลตำบลรอบทบทวน")
    for person in spec["people"]:
        person["username"] += "-cycle"
        person["holds"] = [code for code in person["holds"] if code != "legal-officer"]
    for delegation in spec["delegations"]:
        delegation["person"] += "-cycle"
    with session_scope() as session:
        load_organisation(session, OrganisationFile.model_validate(spec), demo=True)


def appoint_drafter() -> None:
    with operator_scope() as session:
        position = session.exec(
            select(Position).where(Position.code == "legal-officer").order_by(Position.id.desc())
        ).first()
        person = session.exec(select(Person).where(Person.username == "somying-cycle")).one()
        session.add(Holding(person_id=person.id, position_id=position.id))


def test_an_interrupted_cycle_is_completed_by_the_next_run_and_then_opens_nothing(stack):
    office_without_a_drafter()
    interrupted = run_deployment(CYCLE, parameters={"fiscal_year": YEAR}, timeout=180)
    assert interrupted.state.is_failed()  # the operator sees that an office needs fixing
    assert opened_in(YEAR) == 1  # the other office's work was opened all the same
    appoint_drafter()
    completed = run_deployment(CYCLE, parameters={"fiscal_year": YEAR}, timeout=180)
    assert completed.state.is_completed(), completed.state.message
    assert opened_in(YEAR) == 2
    again = run_deployment(CYCLE, parameters={"fiscal_year": YEAR}, timeout=180)
    assert again.state.is_completed() and opened_in(YEAR) == 2
