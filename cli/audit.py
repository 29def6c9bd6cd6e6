"""`saraban audit`: check that the audit trail and the history it covers were not edited."""

import dataclasses

import typer

from cli.common import EXIT_BAD_INPUT, EXIT_REFUSED, domain_errors, print_json
from models.audit import parse_head
from services.audit.audit_verify import verify_audit
from services.publication.chain_heads import anchor_organisations

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


@app.command("anchor")
def anchor(
    org: str = typer.Option("", "--org", help="one organisation's code (default: every organisation)"),
    force: bool = typer.Option(False, "--force", help="sign the head even if nothing happened since the last one"),
) -> None:
    """Sign the audit chain's head now with each organisation's signing key (a statement on its
    public page /public/CODE/heads), so that entries after its latest publication are anchored too."""
    with domain_errors():
        codes = [org] if org else None
        made = anchor_organisations(codes, actor="system", force=force)
    for code, signed in made.items():
        if signed is None:
            typer.echo(f"{code}: ไม่มีรายการใหม่ (nothing new since its last signed head)")
            continue
        stamped = "time-stamped" if signed.statement.timestamp_token else "not time-stamped"
        note = f" ({signed.timestamp_problem})" if signed.timestamp_problem else ""
        typer.echo(
            f"{code}: ลงนามหัวห่วงโซ่ (signed head) {signed.statement.seq}:{signed.statement.head[:16]}, {stamped}{note}"
        )
