"""`saraban publication`: what happens to an announcement after it is published."""

import typer

from cli.common import domain_errors, read_pin
from services.publication.cancellation import cancel_publication_once, cancelled_text

app = typer.Typer(no_args_is_help=True, help="published announcements")


@app.command("cancel")
def cancel(
    publication_id: int = typer.Argument(..., help="the announcement's number, as in its public page's address"),
    username: str = typer.Option(..., "--as", help="the administrator cancelling it"),
    reason: str = typer.Option(..., "--reason", help="why: shown with the announcement, on its page and in the feed"),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help="read the signing PIN from standard input"),
) -> None:
    """Cancel a published announcement (ยกเลิกประกาศ). Its number, files and page stay, marked
    cancelled; `saraban verify` then says CANCELLED for its files."""
    with domain_errors():
        cancellation = cancel_publication_once(
            publication_id=publication_id, username=username, pin=read_pin(pin_stdin), reason=reason, via="cli"
        )
    typer.echo(f"publication {publication_id}: {cancelled_text(cancellation)} (cancelled)")
