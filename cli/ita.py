"""`saraban ita`: adopt an ITA catalogue (examples/ita/*.yaml) for an organisation, and list what
it adopted; open the year's work by hand (open); where the year's items stand (status), the file for the ITAS upload (export), and the
link checker over everything published (check-links). The catalogue is data: another year or
scheme is another file (docs/ita-catalogue.md)."""

from pathlib import Path

import typer

from cli.common import EXIT_REFUSED, be_date_option, be_year_option, domain_errors, print_json
from documents.thai_format import thai_date_short
from models.clock import office_date, utcnow
from models.db import read_scope, session_scope
from models.fiscal import fiscal_year_label
from models.settings import get_settings
from models.workdays import office_morning
from services.errors import BadInput
from services.ita.catalogue_format import read_catalogue_file
from services.ita.catalogue_load import Adoption, adopt_catalogue, organisation_named
from services.ita.catalogue_view import CADENCE_WORDS, SHAPE_WORDS, catalogue_of, item_lines, no_catalogue
from services.ita.export import write_export
from services.ita.year_links import check_year, year_links
from services.ita.year_view import YearRow, year_view
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
    for code, names in report.missing_templates.items():
        lines.append(
            f"  รายการ {code}: หน่วยงานไม่มีแม่แบบ {', '.join(names)} ร่างจะเริ่มจากประกาศทั่วไปจนกว่าจะเพิ่มแม่แบบ "
            f"(item {code}: the organisation has no template {', '.join(names)}; its drafts start as a general "
            "announcement until one is added)"
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
            raise no_catalogue(org, fiscal_year)
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
            report = run_cycle(fiscal_year, organisation, now=office_morning(day) if day else None, catalogue_only=True)
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


def _year_rows(organisation: str, fiscal_year: int, base_url: str) -> tuple[str, list[YearRow]]:
    with read_scope() as session:
        org = organisation_named(session, organisation)
        if catalogue_of(session, org, fiscal_year) is None:
            raise no_catalogue(org, fiscal_year)
        return org.name, year_view(session, org, fiscal_year, utcnow(), base_url).rows


@app.command("status")
def status(
    fiscal_year: int = typer.Option(..., "--fiscal-year", parser=be_year_option, help="BE, e.g. 2570 or ๒๕๗๐"),
    organisation: str = typer.Option(..., "--org", help="the organisation's code"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Where each item of the year stands: code, title, status, late, who holds it, due, its public URL."""
    with domain_errors():
        _, rows = _year_rows(organisation, fiscal_year, get_settings().public_base_url)
    lines = [
        {
            "code": row.code,
            "title": row.title,
            "status": row.status,
            "status_title": row.status_title,
            "late": row.late,
            "holder": row.holder,
            "due": row.due_at.isoformat() if row.due_at else None,
            "published": row.published_at.isoformat() if row.published_at else None,
            "url": row.public_url,
        }
        for row in rows
    ]
    if as_json:
        print_json(lines)
        return
    for row in rows:  # dates as the office reads them: "๓๑ มี.ค. ๒๕๗๐"
        late = " เลยกำหนด (late)" if row.late else ""
        due = thai_date_short(office_date(row.due_at)) if row.due_at else "-"
        typer.echo(
            f"{row.code}\t{row.title}\t{row.status_title} ({row.status}){late}\t"
            f"{row.holder}\tกำหนด (due) {due}\t{row.public_url}"
        )


@app.command("export")
def export(
    fiscal_year: int = typer.Option(..., "--fiscal-year", parser=be_year_option, help="BE, e.g. 2570 or ๒๕๗๐"),
    organisation: str = typer.Option(..., "--org", help="the organisation's code"),
    out: Path = typer.Option(..., "--out", help="FILE.csv (UTF-8, Excel opens it) or FILE.xlsx"),
) -> None:
    """The year's items for the ITAS upload: code, title, indicator, the item's public URL, status, dates."""
    with domain_errors():
        _, rows = _year_rows(organisation, fiscal_year, get_settings().public_base_url)
        write_export(rows, out, sheet_title=f"ITA {fiscal_year}")
    typer.echo(f"เขียน {len(rows)} รายการลงไฟล์ {out} แล้ว (wrote {len(rows)} items to {out})")
    if not get_settings().public_base_url:
        typer.echo(
            "ลิงก์ในไฟล์ไม่มีชื่อเว็บไซต์ ตั้ง SARABAN_PUBLIC_BASE_URL ก่อนส่ง ITAS "
            "(the links lack the site's address: set SARABAN_PUBLIC_BASE_URL before the ITAS upload)",
            err=True,
        )


@app.command("check-links")
def check_links_command(
    fiscal_year: int = typer.Option(..., "--fiscal-year", parser=be_year_option, help="BE, e.g. 2570 or ๒๕๗๐"),
    organisation: str = typer.Option(..., "--org", help="the organisation's code"),
    base_url: str = typer.Option("", "--base-url", help="the public site, e.g. https://saraban.example.go.th"),
) -> None:
    """Fetch every published item's page, files and addresses; exit 1 naming each broken link."""
    base = (base_url or get_settings().public_base_url).rstrip("/")
    with domain_errors():
        if not base.startswith(("http://", "https://")):
            raise BadInput(
                "ต้องระบุที่อยู่เว็บไซต์สาธารณะด้วย --base-url หรือ SARABAN_PUBLIC_BASE_URL "
                "(give the public site's address: --base-url https://... or SARABAN_PUBLIC_BASE_URL)",
                field="base_url",
            )
        with read_scope() as session:
            org = organisation_named(session, organisation)
            items = year_links(session, org, fiscal_year, utcnow(), base)
    checks = check_year(items)
    broken = 0
    for check in checks:
        for result in check.results:
            if result.ok:
                continue
            broken += 1
            typer.echo(f"{check.code}\t{result.link.label}\t{result.link.url}\t{result.detail}")
    total = sum(len(c.results) for c in checks)
    if broken:
        typer.echo(f"ลิงก์มีปัญหา {broken} จาก {total} ลิงก์ (broken: {broken} of {total})")
        raise typer.Exit(1)
    typer.echo(f"ลิงก์ใช้ได้ทั้งหมด {total} ลิงก์ ใน {len(checks)} รายการ (all {total} links of {len(checks)} items work)")
