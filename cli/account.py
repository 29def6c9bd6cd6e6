"""`saraban account`: change one's own password or PIN, an operator's reset and deactivation,
and the hashes an organisation file carries instead of clear secrets.

Secrets are read from a hidden prompt, or from standard input with --stdin (one per line:
the current one, then the new one), never from the command line, where `ps` and the shell's
history would keep them.
"""

import sys

import typer
from sqlmodel import Session, select

from cli.common import domain_errors, run
from models import Organisation, Person
from models.db import session_scope
from models.secrets import peppered_hash, peppered_pin_hash
from services.accounts.credentials import (
    change_own_password,
    change_own_pin,
    check_new_password,
    new_pin_or_bad_input,
    reset_password,
    reset_pin,
)
from services.errors import BadInput
from services.memo_life.deactivation import deactivate
from services.notices.channels import personal_channels
from services.notices.notify import Channel
from services.notices.work_notices import MODE_LABELS, choose_notify_mode, notify_mode
from services.unit_of_work import run_action

app = typer.Typer(help="บัญชีผู้ใช้ (accounts: passwords, PINs, deactivation)", no_args_is_help=True)
AS_USER = typer.Option(..., "--as", help="your username")
STDIN = typer.Option(False, "--stdin", help="read the secrets from standard input, one per line")
OPERATOR = "cli"  # who the audit log names for operator commands: whoever runs them has the database


def _secret(prompt: str, stdin: bool, *, confirm: bool = False) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm)


@app.command("password")
def password(username: str = AS_USER, stdin: bool = STDIN) -> None:
    """Change your password (you give the current one, or the one-time code from a reset)."""
    old = _secret("รหัสผ่านปัจจุบัน (current password)", stdin)
    new = _secret("รหัสผ่านใหม่ (new password)", stdin, confirm=True)
    run(
        lambda: run_action(
            lambda s: change_own_password(s, username=username, old=old, new=new),
            engine=None,
            actor=username,
            name="account.password",
            subject="account",
            via="cli",
        )
    )
    typer.echo("เปลี่ยนรหัสผ่านแล้ว (password changed)")


@app.command("pin")
def pin(username: str = AS_USER, stdin: bool = STDIN) -> None:
    """Change your signing PIN (Thai or Arabic digits; at least 6 by default)."""
    old = _secret("รหัส PIN ปัจจุบัน (current PIN)", stdin)
    new = _secret("รหัส PIN ใหม่ (new PIN)", stdin, confirm=True)
    run(
        lambda: run_action(
            lambda s: change_own_pin(s, username=username, old=old, new=new),
            engine=None,
            actor=username,
            name="account.pin",
            subject="account",
            via="cli",
        )
    )
    typer.echo("เปลี่ยนรหัส PIN แล้ว (PIN changed)")


@app.command("reset")
def reset(
    username: str = typer.Argument(..., help="whose password or PIN"),
    what: str = typer.Option(..., "--what", help="password or pin"),
) -> None:
    """Give a person a one-time password or PIN, printed once; they must replace it (the
    password at their next login, the PIN before their next signature)."""
    with domain_errors():
        if what not in ("password", "pin"):
            raise BadInput("--what ต้องเป็น password หรือ pin (--what is password or pin)")
        reset_one = reset_password if what == "password" else reset_pin
        with session_scope() as session:
            code = reset_one(session, actor=OPERATOR, org=_organisation_of(session, username), username=username)
    typer.echo(f"รหัสใช้ครั้งเดียวของ {username} (one-time {what} for {username}): {code.code}")


@app.command("deactivate")
def deactivate_person(username: str = typer.Argument(..., help="who leaves")) -> None:
    """The person can no longer log in or sign; their waiting steps go to the position above."""
    with domain_errors(), session_scope() as session:
        escalated = deactivate(session, actor=OPERATOR, org=_organisation_of(session, username), username=username)
    typer.echo(f"ปิดบัญชี {username} แล้ว (deactivated); memos sent to the position above: {escalated or 'none'}")


@app.command("notify")
def notify(
    username: str = AS_USER,
    mode: str = typer.Option("", "--mode", help="immediate, digest or both; omitted: show the setting"),
) -> None:
    """How you hear of work arriving: at once (immediate), in the daily digest, or both; and where."""
    with domain_errors(), session_scope() as session:
        person = session.exec(select(Person).where(Person.username == username)).first()
        if person is None:
            raise BadInput(f"ไม่พบผู้ใช้ {username} (unknown user {username})")
        if mode:
            choose_notify_mode(session, person, mode, via="cli")
        current = notify_mode(session, person.id)
        channels = [f"{c.name}: {Channel(c.name, c.url).redacted_url()}" for c in personal_channels(session, person)]
    typer.echo(f"การแจ้งเตือนของ {username} (notifications): {current} - {MODE_LABELS[current]}")
    typer.echo("ช่องทาง (channels): " + ("; ".join(channels) or "ยังไม่มี ให้ผู้ดูแลระบบเพิ่ม (none: ask the administrator)"))


@app.command("hash-password")
def hash_password(stdin: bool = STDIN) -> None:
    """The password_hash for an organisation file, valid on this instance only (its pepper);
    loading the file binds it to the person it is given for."""
    typer.echo(peppered_hash(run(lambda: check_new_password(_secret("รหัสผ่าน (password)", stdin, confirm=not stdin)))))


@app.command("hash-pin")
def hash_pin_command(stdin: bool = STDIN) -> None:
    """The pin_hash for an organisation file, valid on this instance only (its pepper)."""
    typer.echo(peppered_pin_hash(run(lambda: new_pin_or_bad_input(_secret("รหัส PIN (PIN)", stdin, confirm=not stdin)))))


def _organisation_of(session: Session, username: str) -> Organisation:
    person = session.exec(select(Person).where(Person.username == username)).first()
    if person is None:
        raise BadInput(f"ไม่พบผู้ใช้ {username} (unknown user {username})")
    return session.get(Organisation, person.organisation_id)
