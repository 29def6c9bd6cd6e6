"""What `saraban serve` puts on the Prefect server."""

import pytest
from prefect.client.orchestration import get_client

pytestmark = pytest.mark.prefect


def test_the_annual_cycle_is_scheduled_for_1_october_0800_bangkok(stack):
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("annual-review-cycle/annual-review-cycle")
    [schedule] = [s.schedule for s in deployment.schedules if s.active]
    assert (schedule.cron, schedule.timezone) == ("0 8 1 10 *", "Asia/Bangkok")


def test_the_memo_flow_is_served_without_a_schedule(stack):
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("memo-routing/memo-routing")
    assert deployment.schedules == []


def test_the_daily_reminders_run_on_weekday_mornings_in_bangkok(stack):
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("daily-reminders/daily-reminders")
    [schedule] = [s.schedule for s in deployment.schedules if s.active]
    assert (schedule.cron, schedule.timezone) == ("0 8 * * 1-5", "Asia/Bangkok")
