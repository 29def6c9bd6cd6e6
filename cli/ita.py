"""`saraban ita`: adopt an ITA catalogue (examples/ita/*.yaml) for an organisation, and list what
it adopted. The catalogue is data: another year or scheme is another file (docs/ita-catalogue.md)."""

from pathlib import Path

import typer

from cli.common import EXIT_REFUSED, be_date_option, be_year_option, domain_errors, print_json
from models.db import read_scope, session_scope
from models.fiscal import fiscal_year_label
from models.workdays import office_morning
from services.errors import BadInput
from services.ita.catalogue_format import read_catalogue_file
from services.ita.catalogue_load import Adoption, adopt_catalogue, organisation_named
from services.ita.catalogue_view import CADENCE_WORDS, SHAPE_WORDS, catalogue_of, item_lines
from services.yearly.cycle_run import run_cycle
from services.yearly.ita_opening import OpenedWork, open_on_demand

app = typer.Typer(help="แคตตาล็อก ITA (the ITA catalogue an organisation adopts)", no_args_is_help=True)


@app.command("load")
def load(
    file: Path = typer.Argument(..., help="the catalogue, e.g. examples/ita/lao-2570.yaml"),
    organisation: str = typer.Option(..., "--org", help="the organisation's code, e.g. kokphutsa"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Adopt the catalogue for the organisation's fiscal year: again with the same file changes
    nothing; a changed file updates the items not yet opened and says what changed."""
    with domain_errors():
        catalogue = read_catalogue_file(file)
        with session_scope() as session:
            org = organisation_named(session, organisation)
            report = adopt_catalogue(session, org, catalogue, actor="cli", source_file=file.name)
            name = org.name
    if as_json:
        print_json(report)
        return
    for line in adoption_lines(report, name, len(catalogue.items)):
        typer.echo(line)


def adoption_lines(report: Adoption, org_name: str, items: int) -> list[str]:
    """What a load did, in Thai (English in brackets)."""
    year = fiscal_year_label(report.fiscal_year)
    if report.new_catalogue:
        head = f"{org_name} รับแคตตาล็อก ITA {year} แล้ว {items} รายการ (adopted, {items} items)"
    elif report.anything_changed:
        head = f"{org_name} ปรับแคตตาล็อก ITA {year} ตามไฟล์แล้ว (updated from the file)"
    else:
        head = f"{org_name} มีแคตตาล็อก ITA {year} ตามไฟล์นี้อยู่แล้ว ไม่มีสิ่งใดเปลี่ยน (already adopted: nothing changed)"
    lines = [head, f"  {report.scheme}"]
    if report.details_changed and not (report.added or report.changed or report.removed):
        lines.append(
            "  รายการไม่เปลี่ยน เปลี่ยนเฉพาะรายละเอียดของแคตตาล็อก (the items are as they were; the scheme's details changed)"
        )
    if report.added and not report.new_catalogue:
        lines.append(f"  เพิ่มรายการ (added): {', '.join(report.added)}")
    for code, fields in report.changed.items():
        lines.append(f"  แก้ไขรายการ {code} (changed): {', '.join(fields)}")
    if report.removed:
        lines.append(f"  นำรายการออก (removed): {', '.join(report.removed)}")
    if report.kept_opened:
        lines.append(
            f"  รายการที่เปิดงานแล้ว คงไว้ตามเดิม (already opened, kept as they were): {', '.join(report.kept_opened)}"
        )
    if report.unused_choices:
        lines.append(
            "  แฟ้มหน่วยงานกำหนดตำแหน่งให้รายการที่แคตตาล็อกนี้ไม่มี (the organisation file's ita: names items "
            f"this catalogue lacks): {', '.join(report.unused_choices)}"
        )
    return lines


@app.command("items")
def items(
    fiscal_year: int = typer.Option(..., "--fiscal-year", parser=be_year_option, help="BE, e.g. 2570 or ๒๕๗๐"),
    organisation: str = typer.Option(..., "--org", help="the organisation's code"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The adopted items: code, title, shape, cadence, due and the responsible position."""
    with domain_errors(), read_scope() as session:
        org = organisation_named(session, organisation)
        if catalogue_of(session, org, fiscal_year) is None:
            raise BadInput(
                f"{org.name} ยังไม่ได้รับแคตตาล็อก ITA ปีงบประมาณ {fiscal_year} ใช้คำสั่ง saraban ita load "
                f"(no ITA catalogue adopted for {fiscal_year}: `saraban ita load FILE --org {org.code}`)",
                field="fiscal_year",
            )
        lines = item_lines(session, org, fiscal_year)
    if as_json:
        print_json(lines)
        return
    for line in lines:
        shape, cadence = SHAPE_WORDS[line.shape], CADENCE_WORDS[line.cadence]
        typer.echo(
            f"{line.code}\t{line.title}\t{shape} ({line.shape})\t{cadence} ({line.cadence})\t"
            f"กำหนด (due) {line.due}\t{line.position_title} ({line.position_code})"
        )


@app.command("open")
def open_work(
    fiscal_year: int = typer.Option(..., "--fiscal-year", parser=be_year_option, help="BE, e.g. 2570 or ๒๕๗๐"),
    organisation: str = typer.Option(..., "--org", help="the organisation's code"),
    item: str = typer.Option("", "--item", help="open this item's next period now (an on-demand item's next round)"),
    as_of: str = typer.Option(
        "",
        "--as-of",
        metavar="DD/MM/YYYY",
        help="open what is due by this day (BE), as the schedule would that morning",
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Open the year's work by hand, as the schedule does on the 1st of each month: every item
    whose period has come (or one item's next period with --item). Again opens nothing twice."""
    with domain_errors():
        day = be_date_option(as_of) if as_of else None
        if item:
            with session_scope() as session:
                org = organisation_named(session, organisation)
                work = open_on_demand(session, org, fiscal_year, item, by="cli")
                opened = [OpenedWork(org.code, item, work.period, created=True)]
            problems: list[str] = []
        else:
            report = run_cycle(fiscal_year, organisation, now=office_morning(day) if day else None)
            opened, problems = report.works, report.problems
    if as_json:
        print_json({"opened": opened, "problems": problems})
    else:
        for work in opened:
            typer.echo(f"เปิดงาน (opened) {work.item} {work.period}")
        if not opened:
            typer.echo("ไม่มีงานที่ถึงกำหนดเปิด ทุกรายการเปิดแล้ว (nothing due to open: all opened)")
        for problem in problems:
            typer.echo(problem, err=True)
    if problems:
        raise typer.Exit(EXIT_REFUSED)
