"""`saraban audit`: check that the audit trail was not edited."""

import typer

from cli.common import EXIT_REFUSED, print_json
from models import audit
from models.db import session_scope

app = typer.Typer(help="บันทึกการตรวจสอบ (audit trail)", no_args_is_help=True)


@app.command("verify")
def verify(as_json: bool = typer.Option(False, "--json")) -> None:
    """Recompute the hash chain; exit 1 and say where when an entry was edited or deleted."""
    with session_scope() as session:
        report = audit.verify(session)
    if as_json:
        print_json({"entries": report.entries, "intact": report.intact, "problems": report.problems})
    elif report.intact:
        typer.echo(f"audit trail intact: {report.entries} entries")
    else:
        typer.echo("audit trail BROKEN:\n" + "\n".join(f"  {p}" for p in report.problems), err=True)
    if not report.intact:
        raise typer.Exit(EXIT_REFUSED)
