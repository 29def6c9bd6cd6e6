"""`saraban org`: load an organisation from YAML."""

from pathlib import Path

import typer

from cli.common import domain_errors
from models.db import session_scope
from services.org_loader import load_organisation, read_organisation_file

app = typer.Typer(help="หน่วยงาน (organisations)", no_args_is_help=True)


@app.command("load")
def load(file: Path = typer.Argument(..., help="YAML file: examples/kokphutsa/organisation.yaml"),
         demo: bool = typer.Option(False, "--demo", help="demo data: accept clear-text passwords and PINs")) -> None:
    """Create an organisation with its units, positions, people, chains and delegations.
    People's passwords and PINs are given as hashes (`saraban account hash-password`,
    `hash-pin`); clear ones only with --demo."""
    with domain_errors():
        spec = read_organisation_file(file)
        with session_scope() as session:
            org = load_organisation(session, spec, actor="cli", demo=demo)
            typer.echo(f"loaded {org.code}: {org.name}")
