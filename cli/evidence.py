"""`saraban evidence export --fiscal-year 2569 [--org CODE] [--out DIR]`: the assessor's pack.

Exit codes: 0 the pack is written and every file matches its recorded SHA-256; 1 the pack is
written but a file is missing or no longer matches (listed on stderr); 2 bad input.
"""

from pathlib import Path

import typer

from cli.common import EXIT_REFUSED, be_year_option, domain_errors
from services.yearly.evidence import export_evidence
from services.yearly.evidence_ended import counts_text

app = typer.Typer(help="หลักฐานการเผยแพร่สำหรับผู้ประเมิน (evidence for the integrity assessment)", no_args_is_help=True)


@app.command("export")
def export(
    fiscal_year: int = typer.Option(..., "--fiscal-year", parser=be_year_option, help="Buddhist Era, e.g. 2569"),
    org: str | None = typer.Option(None, "--org", help="one organisation's code; default all"),
    out: Path | None = typer.Option(None, "--out", help="a new folder; default ./evidence-<year>[-<org>]"),
) -> None:
    """Write every publication of the fiscal year with its files, record, hashes and an index."""
    with domain_errors():
        pack = export_evidence(fiscal_year, org_code=org, out_dir=out)
    typer.echo(f"{len(pack.items)} รายการ (items) → {pack.out_dir}")
    # The year's memos by standing: the ended ones and the cancelled announcements apart.
    typer.echo(f"บันทึกทั้งปี (memos of the year): {counts_text(pack.counts)}")
    for path in pack.index_files:
        typer.echo(str(path))
    if not pack.items:
        typer.echo(f"ไม่มีประกาศที่เผยแพร่ในปีงบประมาณ {fiscal_year} (nothing was published in {fiscal_year})", err=True)
    if pack.problems:
        typer.echo(
            f"\n!!! ไฟล์ไม่ตรงกับค่า SHA-256 ที่บันทึกไว้ {len(pack.problems)} รายการ "
            f"(EVIDENCE DOES NOT MATCH THE RECORD: {len(pack.problems)} file(s)) !!!",
            err=True,
        )
        for problem in pack.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(EXIT_REFUSED)
