"""The ITA year's work that the integrity assessment asks of every office, opened on its cadence.

Scheduled for the 1st of every month, 08:00 Asia/Bangkok (yearly items open on 1 October,
six-monthly reports in April and October, monthly reports on the 1st: each run opens what has
come due, services.yearly.ita_opening), and runnable by hand for one organisation or all and any
fiscal year. The organisations are split in batches, each batch a flow run of its own on
the work pool (`annual-review-batch`), so that the workers of every machine open them side by
side; each organisation is opened in a transaction of its own: a second run opens nothing new,
and the run after an interrupted one opens only what the first had not.
"""

import datetime as dt

from prefect import flow, get_run_logger

from models.fiscal import current_fiscal_year
from models.workdays import office_morning
from services.yearly.cycle_run import organisation_codes, run_cycle
from workflows.fan_out import run_batches
from workflows.names import CYCLE_BATCH_FLOW, CYCLE_FLOW, cycle_batch_deployment_path

BATCH = 200  # organisations per batch run: 8,000 offices make 40 flow runs, not 8,000


@flow(name=CYCLE_BATCH_FLOW)
def open_review_batch(codes: list[str], fiscal_year: int, as_of: str | None = None) -> dict:
    """Open the year for these organisations (what is due by `as_of`, an ISO date; default now);
    Failed, naming them, when some need fixing first (the others stay opened)."""
    created, problems = 0, []
    now = office_morning(dt.date.fromisoformat(as_of)) if as_of else None
    for code in codes:
        report = run_cycle(fiscal_year, code, now=now)
        created += report.created
        problems += report.problems
    if problems:
        raise RuntimeError(f"{len(problems)} organisation(s) need fixing: {problems}")
    return {"organisations": len(codes), "created": created}


@flow(name=CYCLE_FLOW)
def annual_review_cycle(
    fiscal_year: int | None = None, organisation: str | None = None, batch_size: int = BATCH, as_of: str | None = None
) -> dict:
    year = fiscal_year or current_fiscal_year()
    codes = organisation_codes(organisation)
    size = max(batch_size, 1)
    batches = [{"codes": codes[i : i + size], "fiscal_year": year, "as_of": as_of} for i in range(0, len(codes), size)]
    runs = run_batches(cycle_batch_deployment_path(), batches, name=f"{CYCLE_BATCH_FLOW} {year}")
    problems = [run.state.message or run.state.name for run in runs if not run.state.is_completed()]
    for problem in problems:
        get_run_logger().error(problem)
    if problems:
        # Shown as Failed so that an operator sees it; what was opened stays opened.
        raise RuntimeError(f"{len(problems)} batch(es) need fixing, then run the cycle again: {problems}")
    return {"fiscal_year": year, "organisations": len(codes), "batches": len(runs)}
