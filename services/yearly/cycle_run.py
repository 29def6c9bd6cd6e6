"""Running the cycle for every organisation (or one), each in its own transaction, so an
interrupted run keeps what it opened and a later run opens only the rest."""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import select

from models import Organisation
from models.clock import utcnow
from models.db import read_scope, session_scope
from services.errors import BadInput
from services.yearly.cycle import Opened, items_of, open_year


@dataclass
class CycleReport:
    fiscal_year: int
    opened: list[Opened] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # organisations that need fixing first

    @property
    def created(self) -> int:
        return sum(o.created for o in self.opened)


def organisation_codes(only: str | None = None, engine: Engine | None = None) -> list[str]:
    with read_scope(engine) as session:
        query = select(Organisation.code).order_by(Organisation.id)
        codes = list(session.exec(query.where(Organisation.code == only) if only else query))
    if only and not codes:
        raise BadInput(f"ไม่พบหน่วยงาน {only} (no organisation '{only}')")
    return codes


def open_organisation(code: str, fiscal_year: int, engine: Engine | None = None) -> list[Opened]:
    """Open every recurring item of one organisation for the year, in one transaction."""
    with session_scope(engine) as session:
        org = session.exec(select(Organisation).where(Organisation.code == code)).one()
        return [open_year(session, org, fiscal_year, item, utcnow()) for item in items_of(org)]


def run_cycle(
    fiscal_year: int,
    only: str | None = None,
    *,
    engine: Engine | None = None,
    progress: Callable[[str], None] = lambda _code: None,
) -> CycleReport:
    report = CycleReport(fiscal_year)
    for code in organisation_codes(only, engine):
        try:
            report.opened += open_organisation(code, fiscal_year, engine)
        except BadInput as problem:  # one organisation's setup must not stop the others
            report.problems.append(str(problem))
        progress(code)
    return report
