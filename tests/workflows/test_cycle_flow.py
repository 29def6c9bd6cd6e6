"""The annual review cycle through its deployment on the real Prefect server, its batches child
runs on the work pool: a run stopped by one office's problem, and the run that completes it. (That
a run finds nothing left to open is tested without Prefect: tests/services/yearly.)"""

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from sqlmodel import func, select

from models import CycleItem, Holding, Person, Position
from models.db import session_scope
from services.accounts.org_loader import OrganisationFile, load_organisation, read_organisation_file
from services.yearly.cycle_run import organisation_codes
from tests.builders import EXAMPLES, operator_scope

pytestmark = pytest.mark.prefect
YEAR = 2575  # a year no other test opens
CYCLE = "annual-review-cycle/annual-review-cycle"
BATCH = "annual-review-batch"


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


def batch_runs_of(parent: FlowRun) -> list[FlowRun]:
    """The cycle's child runs (one per batch of organisations), from the work pool."""
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[BATCH])))
    return [run for run in runs if run.parent_task_run_id and run.start_time and run.start_time >= parent.start_time]


def test_an_interrupted_cycle_is_completed_by_the_next_run(stack):
    office_without_a_drafter()
    offices = organisation_codes()  # the session's offices (other modules add theirs), this one last
    # Two batches, each a flow run of its own taken by the pool's worker: the others, and this one.
    parameters = {"fiscal_year": YEAR, "batch_size": len(offices) - 1}
    interrupted = run_deployment(CYCLE, parameters=parameters, timeout=180, poll_interval=1)
    assert interrupted.state.is_failed()  # the operator sees that an office needs fixing
    assert "cycle-office" in interrupted.state.message
    batches = batch_runs_of(interrupted)
    assert sorted(run.state.name for run in batches) == ["Completed", "Failed"]
    assert opened_in(YEAR) == len(offices) - 1  # the other offices' work was opened all the same
    appoint_drafter()
    completed = run_deployment(CYCLE, parameters={"fiscal_year": YEAR}, timeout=180, poll_interval=1)
    assert completed.state.is_completed(), completed.state.message
    assert opened_in(YEAR) == len(offices)
