"""The yearly review that the integrity assessment (ITA) asks of every office.

This flow is the scheduled entry point (1 October, 08:00 Asia/Bangkok). What it opens for
each organisation (the review memo and next year's draft) is the annual-cycle issue's work;
here it settles which fiscal year is starting and which organisations take part.
"""

from prefect import flow, get_run_logger
from sqlmodel import select

from models import Organisation
from models.clock import office_date
from models.db import session_scope
from models.fiscal import fiscal_year_of
from workflows.names import CYCLE_FLOW


@flow(name=CYCLE_FLOW)
def annual_review_cycle(fiscal_year: int | None = None, organisation: str | None = None) -> dict:
    year = fiscal_year or fiscal_year_of(office_date())
    with session_scope() as session:
        query = select(Organisation.code)
        if organisation:
            query = query.where(Organisation.code == organisation)
        codes = list(session.exec(query))
    get_run_logger().info("fiscal year %s: %d organisation(s): %s", year, len(codes), ", ".join(codes))
    return {"fiscal_year": year, "organisations": codes}
