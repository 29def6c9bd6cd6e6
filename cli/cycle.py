"""`saraban cycle run`: open a fiscal year's review work by hand (the schedule does it on 1 October)."""

import sys

import typer

from cli.common import EXIT_REFUSED, be_year_option, domain_errors, print_json
from models.fiscal import current_fiscal_year, fiscal_year_bounds
from services.errors import BadInput
from services.yearly.cycle_run import organisation_codes, run_cycle

app = typer.Typer(help="รอบทบทวนประจำปีงบประมาณ (the annual review cycle)", no_args_is_help=True)


@app.command("run")
def run(
    fiscal_year: int | None = typer.Option(
        None, "--fiscal-year", parser=be_year_option, help="BE, e.g. 2570 or ๒๕๗๐; the current one if omitted"
    ),
    organisation: str | None = typer.Option(None, "--org", help="one organisation's code; all when omitted"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Open each organisation's review memo and next year's draft; a second run opens nothing new."""
    year = fiscal_year or current_fiscal_year()
    with domain_errors():
        _check_be(year)
        codes = organisation_codes(organisation)
        if sys.stdout.isatty() and not as_json:
            with typer.progressbar(length=len(codes), label=f"ปีงบประมาณ {year}") as bar:
                report = run_cycle(year, organisation, progress=lambda _code: bar.update(1))
        else:
            report = run_cycle(year, organisation)
    if as_json:
        print_json(
            {"fiscal_year": year, "created": report.created, "opened": report.opened, "problems": report.problems}
        )
    else:
        typer.echo(
            f"fiscal year {year}: {report.created} item(s) opened, "
            f"{len(report.opened) - report.created} already open, {len(report.problems)} problem(s)"
        )
        for problem in report.problems:
            typer.echo(f"  {problem}", err=True)
    if report.problems:
        raise typer.Exit(EXIT_REFUSED)


def _check_be(year: int) -> None:
    """A Western year (2026) typed by habit is refused before anything is opened."""
    try:
        fiscal_year_bounds(year)
    except ValueError as error:
        raise BadInput(f"ปีงบประมาณไม่ถูกต้อง (bad fiscal year): {error}") from error
