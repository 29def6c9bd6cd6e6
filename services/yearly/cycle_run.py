"""Running the cycle for every organisation (or one), each in its own transaction, so an
interrupted run keeps what it opened and a later run opens only the rest.

An organisation that adopted an ITA catalogue for the year has its work opened item by item on
the catalogue's cadence (services.yearly.ita_opening); one that did not has its recurring items
(`cycle_items`) opened as before: last year's review and next year's announcement."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import select

from models import ItaCatalogue, Organisation
from models.clock import utcnow
from models.db import read_scope, session_scope
from services.errors import BadInput
from services.yearly.cycle import Opened, items_of, open_year
from services.yearly.ita_opening import OpenedWork, open_due_work


@dataclass
class CycleReport:
    fiscal_year: int
    opened: list[Opened] = field(default_factory=list)
    works: list[OpenedWork] = field(default_factory=list)  # the ITA catalogue's items opened
    problems: list[str] = field(default_factory=list)  # organisations (or items) that need fixing first

    @property
    def created(self) -> int:
        return sum(o.created for o in self.opened) + len(self.works)


def organisation_codes(only: str | None = None, engine: Engine | None = None) -> list[str]:
    with read_scope(engine) as session:
        query = select(Organisation.code).order_by(Organisation.id)
        codes = list(session.exec(query.where(Organisation.code == only) if only else query))
    if only and not codes:
        raise BadInput(f"ไม่พบหน่วยงาน {only} (no organisation '{only}')")
    return codes


def open_organisation(
    code: str, fiscal_year: int, engine: Engine | None = None, *, now: dt.datetime | None = None
) -> tuple[list[Opened], list[OpenedWork], list[str]]:
    """Open one organisation's work for the year, in one transaction: its catalogue's items whose
    day has come by `now`, or else its recurring items. What was opened, and the items' problems."""
    moment = now or utcnow()
    with session_scope(engine) as session:
        org = session.exec(select(Organisation).where(Organisation.code == code)).one()
        adopted = session.exec(
            select(ItaCatalogue.id).where(
                ItaCatalogue.organisation_id == org.id, ItaCatalogue.fiscal_year == fiscal_year
            )
        ).first()
        if adopted is not None:
            works, problems = open_due_work(session, org, moment)
            return [], works, problems
        return [open_year(session, org, fiscal_year, item, moment) for item in items_of(org)], [], []


def run_cycle(
    fiscal_year: int,
    only: str | None = None,
    *,
    engine: Engine | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] = lambda _code: None,
) -> CycleReport:
    report = CycleReport(fiscal_year)
    for code in organisation_codes(only, engine):
        try:
            opened, works, problems = open_organisation(code, fiscal_year, engine, now=now)
            report.opened += opened
            report.works += works
            report.problems += problems
        except BadInput as problem:  # one organisation's setup must not stop the others
            report.problems.append(str(problem))
        progress(code)
    return report
