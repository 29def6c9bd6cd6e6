"""The yearly review that the integrity assessment (ITA) asks of every office.

Scheduled for 1 October, 08:00 Asia/Bangkok, and runnable by hand for one organisation or all
and any fiscal year. Organisations are opened in batches, each organisation in a transaction
of its own: a second run opens nothing new, and the run after an interrupted one opens only
what the first had not.
"""

from dataclasses import asdict

from prefect import flow, get_run_logger, task

from models.fiscal import current_fiscal_year
from services.yearly.cycle_run import organisation_codes, run_cycle
from workflows.names import CYCLE_FLOW

BATCH = 200  # organisations per task: 8,000 offices make 40 task runs, not 8,000


@task(name="open-review-batch", retries=1, retry_delay_seconds=30)
def open_review_batch(codes: list[str], fiscal_year: int) -> dict:
    opened, problems = [], []
    for code in codes:
        report = run_cycle(fiscal_year, code)
        opened += [asdict(o) for o in report.opened]
        problems += report.problems
    return {"opened": opened, "problems": problems}


@flow(name=CYCLE_FLOW)
def annual_review_cycle(fiscal_year: int | None = None, organisation: str | None = None) -> dict:
    year = fiscal_year or current_fiscal_year()
    codes = organisation_codes(organisation)
    batches = [open_review_batch(codes[i : i + BATCH], year) for i in range(0, len(codes), BATCH)]
    opened = [o for b in batches for o in b["opened"]]
    problems = [p for b in batches for p in b["problems"]]
    for problem in problems:
        get_run_logger().error(problem)
    summary = {
        "fiscal_year": year,
        "organisations": len(codes),
        "created": sum(o["created"] for o in opened),
        "problems": problems,
    }
    if problems:
        # Shown as Failed so that an operator sees it; what was opened stays opened.
        raise RuntimeError(f"{len(problems)} organisation(s) need fixing, then run the cycle again: {problems}")
    return summary
