"""`saraban circular`: staff acknowledgements (รับทราบ) of a published announcement or circular:
ask the staff, see who has and has not, and send the day's reminders by hand (the daily
schedule sends them too). Acknowledging itself is the person's own, signed in to the web app."""

import json

import typer

from cli.common import domain_errors, print_json, read_pin
from models.db import read_scope, session_scope
from services.accounts.people import authenticate_by_pin
from services.acknowledgements.acknowledging import who_has_and_has_not
from services.acknowledgements.asking import Recipients, ask_staff_to_acknowledge
from services.acknowledgements.reminders import remind_unacknowledged
from services.errors import BadInput
from services.yearly.cycle_run import organisation_codes

app = typer.Typer(help="หนังสือเวียนและการรับทราบ (circulars: staff acknowledgements)", no_args_is_help=True)


@app.command("ask")
def ask(
    memo_id: int = typer.Argument(..., help="the published memo"),
    username: str = typer.Option(..., "--as", help="the memo's drafter or an administrator"),
    units: list[str] = typer.Option([], "--unit", help="a unit's code: the holders of its posts (repeatable)"),
    positions: list[str] = typer.Option([], "--position", help="a position's code: its holder (repeatable)"),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help="read the person's PIN from standard input"),
) -> None:
    """Ask the staff to acknowledge a published announcement: everyone active, or the holders of
    the units' and positions' posts given. Once per memo (asked again, nothing changes). The
    person named proves it is them with their PIN, as for every act in their name."""
    pin = read_pin(pin_stdin)
    with domain_errors(), session_scope() as session:
        authenticate_by_pin(session, username, pin)
        request = ask_staff_to_acknowledge(
            session,
            memo_id=memo_id,
            username=username,
            recipients=Recipients(units=tuple(units), positions=tuple(positions)),
            via="cli",
        )
        count = len(json.loads(request.recipient_ids_json))
    typer.echo(f"memo {memo_id}: {count} people asked to acknowledge")


@app.command("acknowledgements")
def acknowledgements(
    memo_id: int = typer.Argument(..., help="the published memo"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Who has acknowledged the memo's announcement, when and how, and who has not."""
    with domain_errors(), read_scope() as session:
        found = who_has_and_has_not(session, memo_id)
        if found is None:
            raise BadInput(f"ไม่มีการขอให้รับทราบบันทึก {memo_id} (nobody was asked to acknowledge memo {memo_id})")
    rows = [
        {
            "username": r.username,
            "full_name": r.full_name,
            "positions": r.positions,
            "active": r.active,
            "acknowledged_at": r.at.isoformat() if r.at else None,
            "via": r.via or None,
        }
        for r in found.rows
    ]
    if as_json:
        print_json(
            {
                "memo_id": memo_id,
                "title": found.title,
                "announcement_sha256": found.request.announcement_sha256,
                "asked_at": found.request.at.isoformat(),
                "cancelled": found.cancelled,
                "acknowledged": len(found.done),
                "not_yet": len(found.not_yet),
                "recipients": rows,
            }
        )
        return
    typer.echo(f"{found.title}: {len(found.done)} of {len(found.rows)} acknowledged")
    for row in rows:
        typer.echo(f"  {row['acknowledged_at'] or 'NOT YET':32} {row['username']:16} {row['full_name']}")


@app.command("remind")
def remind(
    organisation: str | None = typer.Option(None, "--org", help="one organisation's code; all when omitted"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Remind those who have not acknowledged after the organisation's working days (once a day)."""
    with domain_errors():
        codes = organisation_codes(organisation)  # an unknown code: exit 2, naming it
    reports = [remind_unacknowledged(code) for code in codes]
    if as_json:
        print_json(reports)
        return
    for r in reports:
        typer.echo(
            f"{r.organisation}: "
            + (
                "holiday, nothing sent"
                if r.skipped
                else f"{r.reminded} reminded, {r.failed} failed, {r.without_channel} without a channel"
            )
        )
