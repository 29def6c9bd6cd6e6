"""What `saraban serve` puts on the Prefect server."""

import time

import pendulum
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterId,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.client.schemas.sorting import FlowRunSort

pytestmark = pytest.mark.prefect
SCHEDULER_WAIT_SECONDS = 180  # the scheduler service loops every 60 s


def test_the_ita_year_opens_on_the_1st_of_every_month_at_0800_bangkok(stack):
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("annual-review-cycle/annual-review-cycle")
    [schedule] = [s.schedule for s in deployment.schedules if s.active]
    assert (schedule.cron, schedule.timezone) == ("0 8 1 * *", "Asia/Bangkok")  # 1 October among them


def test_the_memo_flow_is_served_without_a_schedule(stack):
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("memo-routing/memo-routing")
    assert deployment.schedules == []


def test_the_daily_reminders_run_on_weekday_mornings_in_bangkok(stack):
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("daily-reminders/daily-reminders")
    [schedule] = [s.schedule for s in deployment.schedules if s.active]
    assert (schedule.cron, schedule.timezone) == ("0 8 * * 1-5", "Asia/Bangkok")


def test_the_scheduler_creates_the_reminder_runs_by_itself_at_0800_bangkok_on_weekdays(stack):
    # Nobody starts these runs: Prefect's own scheduler service must. (Prefect 3.8.8's failed on
    # every loop under SQLAlchemy 2.1, so schedules never fired; 3.9.1 runs on 2.1: this shows it.)
    deadline = time.monotonic() + SCHEDULER_WAIT_SECONDS
    while not (runs := scheduled_runs("daily-reminders/daily-reminders")):
        assert time.monotonic() < deadline, "the scheduler created no daily-reminders run"
        time.sleep(2)
    starts = [pendulum.instance(run.expected_start_time).in_timezone("Asia/Bangkok") for run in runs]
    assert all((s.hour, s.minute) == (8, 0) and s.day_of_week < 5 for s in starts), starts
    assert starts[0] > pendulum.now("Asia/Bangkok")


def scheduled_runs(deployment_name: str) -> list:  # noqa: ANN201
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(deployment_name)
        return client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
            ),
            sort=FlowRunSort.EXPECTED_START_TIME_ASC,
            limit=50,
        )
