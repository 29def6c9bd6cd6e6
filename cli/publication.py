"""`saraban publication`: what happens to an announcement after it is published."""

import typer

from cli.common import domain_errors, read_pin
from models.db import read_scope
from services.publication.cancellation import cancel_publication_once, cancellation_of, cancelled_text

app = typer.Typer(no_args_is_help=True, help="published announcements")


@app.command("cancel")
def cancel(
    publication_id: int = typer.Argument(..., help="the announcement's number, as in its public page's address"),
    username: str = typer.Option(..., "--as", help="the administrator cancelling it"),
    reason: str = typer.Option(..., "--reason", help="why: shown with the announcement, on its page and in the feed"),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help="read the signing PIN from standard input"),
    superseded_by: int | None = typer.Option(
        None, "--superseded-by", help="the later announcement (its number) that replaces this one"
    ),
) -> None:
    """Cancel a published announcement (ยกเลิกประกาศ), or mark it superseded by a later one. Its
    number, files and page stay, marked; `saraban verify` then says CANCELLED or SUPERSEDED."""
    with domain_errors():
        cancel_publication_once(
            publication_id=publication_id,
            username=username,
            pin=read_pin(pin_stdin),
            reason=reason,
            via="cli",
            superseded_by_id=superseded_by,
        )
        with read_scope() as session:
            said = cancelled_text(session, cancellation_of(session, publication_id))
    typer.echo(f"publication {publication_id}: {said}")
