"""`saraban audit`: check that the audit trail and the history it covers were not edited."""

import dataclasses

import typer

from cli.common import EXIT_BAD_INPUT, EXIT_REFUSED, print_json
from models.audit import parse_head
from services.audit.audit_verify import verify_audit

app = typer.Typer(help="บันทึกการตรวจสอบ (audit trail)", no_args_is_help=True)


@app.command("verify")
def verify(
    as_json: bool = typer.Option(False, "--json"),
    head: str = typer.Option(
        "",
        "--head",
        metavar="SEQ:HASH",
        help="a chain head published earlier (public page, feed): prove the chain still contains it",
    ),
) -> None:
    """Check every entry's MAC against the instance's key and every decision, stage, revision,
    stage return and publication against its entry; exit 1 and name each problem."""
    try:
        expected = parse_head(head) if head else None
    except ValueError as error:
        typer.echo(f"ข้อมูลไม่ถูกต้อง (bad input): {error}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from error
    report = verify_audit(head=expected)
    if as_json:
        print_json(
            {
                "entries": report.entries,
                "rows": report.rows,
                "head": report.head,
                "intact": report.intact,
                "problems": [{**dataclasses.asdict(p), "text": str(p)} for p in report.problems],
            }
        )
    elif report.intact:
        typer.echo(f"audit trail intact: {report.entries} entries, {report.rows} history rows; head {report.head}")
    else:
        typer.echo(
            f"audit trail BROKEN ({len(report.problems)} problems):\n" + "\n".join(f"  {p}" for p in report.problems),
            err=True,
        )
    if not report.intact:
        raise typer.Exit(EXIT_REFUSED)
