"""The deployments Saraban serves: the one place that knows their names and schedules."""

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from workflows.annual_cycle import annual_review_cycle, open_review_batch
from workflows.memo_routing import route_memo
from workflows.names import CYCLE_BATCH_DEPLOYMENT, CYCLE_DEPLOYMENT, MEMO_DEPLOYMENT, REMINDERS_DEPLOYMENT
from workflows.reminders import daily_reminders

OFFICE_TIMEZONE = "Asia/Bangkok"
# The ITA year's work opens on its cadence: the 1st of every month's morning opens what has come
# due (yearly items on 1 October, the fiscal year's first day; six-monthly reports in April and
# October; monthly reports on the 1st).
ANNUAL_CYCLE_CRON = "0 8 1 * *"
# Weekday mornings; the round itself skips an organisation's holidays.
DAILY_REMINDERS_CRON = "0 8 * * 1-5"


def memo_deployment(**options) -> RunnerDeployment:  # noqa: ANN003  (options: see Flow.to_deployment)
    return route_memo.to_deployment(
        name=MEMO_DEPLOYMENT, description="One run per memo, from draft to publication.", **options
    )


def cycle_deployment(**options) -> RunnerDeployment:  # noqa: ANN003
    return annual_review_cycle.to_deployment(
        name=CYCLE_DEPLOYMENT,
        schedule=Cron(ANNUAL_CYCLE_CRON, timezone=OFFICE_TIMEZONE),
        description="Opens the ITA year's work on its cadence (the 1st of each month).",
        **options,
    )


def cycle_batch_deployment(**options) -> RunnerDeployment:  # noqa: ANN003
    return open_review_batch.to_deployment(
        name=CYCLE_BATCH_DEPLOYMENT,
        description="Opens the year for one batch of organisations (the cycle's child runs).",
        **options,
    )


def reminders_deployment(**options) -> RunnerDeployment:  # noqa: ANN003
    return daily_reminders.to_deployment(
        name=REMINDERS_DEPLOYMENT,
        schedule=Cron(DAILY_REMINDERS_CRON, timezone=OFFICE_TIMEZONE),
        description="Escalates long-overdue steps and sends each person one digest.",
        **options,
    )
