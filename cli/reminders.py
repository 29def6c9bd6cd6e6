"""`saraban reminders run`: the daily round by hand (the schedule runs it on weekday mornings)."""

import typer
from sqlmodel import select

from cli.common import EXIT_BAD_INPUT, print_json
from models import Organisation
from models.db import session_scope
from services.notices.reminders import daily_round

app = typer.Typer(help="การแจ้งเตือนและการยกระดับเรื่องเกินกำหนด (reminders and escalation)", no_args_is_help=True)


@app.command("run")
def run(
    organisation: str | None = typer.Option(None, "--org", help="one organisation's code; all when omitted"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Escalate steps overdue too long and send each person their digest."""
    with session_scope() as session:
        codes = list(
            session.exec(
                select(Organisation.code).where(Organisation.code == organisation)
                if organisation
                else select(Organisation.code)
            )
        )
    if organisation and not codes:
        typer.echo(f"ไม่พบหน่วยงาน {organisation} (no organisation '{organisation}')", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    reports = [daily_round(code) for code in codes]
    if as_json:
        print_json(reports)
        return
    for r in reports:
        typer.echo(
            f"{r.organisation}: "
            + (
                "holiday, nothing sent"
                if r.skipped
                else f"{r.escalations} escalated, {r.digests} digests, {r.failed_deliveries} failed deliveries"
            )
        )
