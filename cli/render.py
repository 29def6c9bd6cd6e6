"""`saraban render MEMO_ID [--pdf] [--out DIR]`: the memo's current documents, on demand."""

from pathlib import Path

import typer

from cli.common import domain_errors
from services.printing.rendering import render_current_documents


def render(
    memo_id: int,
    pdf: bool = typer.Option(False, "--pdf", help="PDFs too (LibreOffice), with continuation words"),
    out: Path | None = typer.Option(None, "--out", help="folder to write to; default the memo's documents folder"),
) -> None:
    """Write the current memo (.docx) and, once the memo is approved, its announcement."""
    with domain_errors():
        rendered = render_current_documents(memo_id, out_dir=out, pdf=pdf)
    for path in rendered.files:
        typer.echo(str(path))
    for note in rendered.notes:  # on stderr: stdout stays a plain list of the files written
        typer.echo(note, err=True)
