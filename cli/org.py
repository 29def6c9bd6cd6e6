"""`saraban org`: load an organisation from YAML; its signing certificate."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from sqlmodel import select

from cli.common import EXIT_BAD_INPUT, be_date_option, domain_errors, print_json
from documents.pdf.signing_certificate import (
    CertificateFacts,
    SigningIdentity,
    SigningIdentityProblem,
    certificate_facts,
    identity_from_pkcs12,
)
from documents.thai_format import thai_date_full
from models import Organisation
from models.db import session_scope
from models.enums import Capacity
from services.accounts.admin import add_delegation
from services.accounts.org_loader import load_organisation, read_organisation_file
from services.errors import BadInput
from services.printing.emblem import MISSING_NOTE, emblem_missing
from services.publication.public import public_organisation
from services.publication.signing_keys import install_identity, organisation_identity, signing_key_files

app = typer.Typer(help="หน่วยงาน (organisations)", no_args_is_help=True)


@app.command("load")
def load(
    file: Path = typer.Argument(..., help="YAML file: examples/kokphutsa/organisation.yaml"),
    demo: bool = typer.Option(False, "--demo", help="demo data: accept clear-text passwords and PINs"),
) -> None:
    """Create an organisation with its units, positions, people, chains and delegations, and its
    self-signed signing certificate (unless one is already in the keys folder). People's passwords
    and PINs are given as hashes (`saraban account hash-password`, `hash-pin`); clear ones only with --demo."""
    with domain_errors():
        spec = read_organisation_file(file)
        # All or nothing: the signing identity is made inside the transaction, and "loaded" is
        # said only once it has committed.
        with session_scope() as session:
            org = load_organisation(session, spec, actor="cli", demo=demo)
            with key_problems():
                identity = organisation_identity(org)
            code, name, no_emblem = org.code, org.name, emblem_missing(org)
        typer.echo(f"loaded {code}: {name}")
        if no_emblem:
            typer.echo(MISSING_NOTE)
        _echo_certificate(certificate_facts(identity.certificate_pem), signing_key_files(code).certificate)


@app.command("certificate")
def certificate(
    code: str = typer.Argument(..., help="the organisation's code, e.g. kokphutsa"),
    key: Path | None = typer.Option(None, "--key", help="the private key (PEM, unencrypted)"),
    cert: Path | None = typer.Option(None, "--cert", help="its certificate (PEM)"),
    chain: Path | None = typer.Option(None, "--chain", help="the issuers' certificates (PEM), optional"),
    p12: Path | None = typer.Option(None, "--p12", help="a PKCS#12 (.p12/.pfx) file instead of --key/--cert"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read the .p12 password from stdin"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Show the certificate the organisation's PDFs are signed with; with --key and --cert (or
    --p12), install a real one in its place (the key is written to the keys folder, mode 0600)."""
    with domain_errors(), key_problems(), session_scope() as session:
        org = public_organisation(session, code)
        if key or cert or p12:
            identity = _read_identity(key, cert, chain, p12, password_stdin)
            install_identity(session, org, identity, actor="cli")
        else:
            identity = organisation_identity(org)
    facts = certificate_facts(identity.certificate_pem)
    if as_json:
        print_json(facts)
    else:
        _echo_certificate(facts, signing_key_files(code).certificate)


def _read_identity(
    key: Path | None, cert: Path | None, chain: Path | None, p12: Path | None, password_stdin: bool
) -> SigningIdentity:
    if p12 is not None:
        password = (
            typer.get_text_stream("stdin").readline().rstrip("\n")
            if password_stdin
            else typer.prompt("รหัสผ่านไฟล์ .p12 (PKCS#12 password)", hide_input=True, default="", show_default=False)
        )
        return identity_from_pkcs12(_read(p12), password.encode() or None)
    if key is None or cert is None:
        raise SigningIdentityProblem("ต้องระบุทั้ง --key และ --cert หรือ --p12 (give both --key and --cert, or --p12)")
    return SigningIdentity(_read(key), _read(cert), _read(chain) if chain else b"")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SigningIdentityProblem(f"อ่านไฟล์ {path} ไม่ได้ (cannot read {path}: {error.strerror})") from error


@contextmanager
def key_problems() -> Iterator[None]:
    """A key or certificate that cannot be used: bad input, said in Thai and English."""
    try:
        yield
    except SigningIdentityProblem as problem:
        typer.echo(f"ข้อมูลไม่ถูกต้อง (bad input): {problem}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from problem


def _echo_certificate(facts: CertificateFacts, path: Path) -> None:
    kind = "ใบรับรองที่หน่วยงานออกเอง (self-signed)" if facts.self_signed else f"ออกโดย (issued by) {facts.issuer}"
    typer.echo(
        f"ใบรับรองสำหรับลงนาม PDF (signing certificate): {facts.subject}\n"
        f"  SHA-256: {facts.sha256}\n  {kind}; ใช้ได้ถึง (valid until) {facts.not_after:%Y-%m-%d}\n  {path}"
    )


@app.command("delegate")
def delegate(
    code: str = typer.Argument(..., help="the organisation's code, e.g. kokphutsa"),
    username: str = typer.Option(..., "--user", help="who acts"),
    position: str = typer.Option(..., "--position", help="the position acted for (its code)"),
    capacity: Capacity = typer.Option(..., "--capacity", help="ปฏิบัติหน้าที่, รักษาราชการแทน or ปฏิบัติราชการแทน"),
    order_number: str = typer.Option(..., "--order", help='the order\'s number, e.g. "คำสั่ง ที่ ๙/๒๕๗๐"'),
    valid_from: dt.date = typer.Option(
        ...,
        "--from",
        parser=be_date_option,
        metavar="D/M/BE-YEAR",
        help="first day, day/month/BE year: 2/12/2569 or ๒/๑๒/๒๕๖๙",
    ),
    valid_to: dt.date = typer.Option(
        ..., "--to", parser=be_date_option, metavar="D/M/BE-YEAR", help="last day, day/month/BE year"
    ),
) -> None:
    """Record an order letting a person sign for a position (the admin page's delegation form)."""
    with domain_errors(), session_scope() as session:
        org = session.exec(select(Organisation).where(Organisation.code == code)).first()
        if org is None:
            raise BadInput(f"ไม่พบหน่วยงาน {code} (unknown organisation {code})")
        add_delegation(
            session,
            actor="cli",
            org=org,
            username=username,
            position_code=position,
            capacity=capacity,
            order_number=order_number,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    typer.echo(
        f"delegation recorded: {username} {capacity.value} {position}, "
        f"{thai_date_full(valid_from)} – {thai_date_full(valid_to)}"
    )
