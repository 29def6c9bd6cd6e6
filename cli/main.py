"""The `saraban` command: the contract other tools, tests and people rely on.

Exit codes: 0 success, 1 refused by the rules (with the reason), 2 bad input.
"""

import datetime as dt
import os
import threading
from pathlib import Path

import typer
from sqlalchemy import make_url

from cli import (
    account,
    audit,
    backup,
    circular,
    cycle,
    evidence,
    ita,
    memo,
    org,
    publication,
    reminders,
    render,
    verify,
)
from cli.common import EXIT_BAD_INPUT, EXIT_REFUSED, domain_errors, print_json
from models.audit_keying import record_identity_rows
from models.db import default_engine, read_scope, session_scope
from models.db_roles import RoleProblem, prepare_database
from models.instance_keys_check import check_instance_keys
from models.migrate import upgrade
from models.private_data import FOLDER_MODE, check_private, keep_private, make_private
from models.settings import get_settings
from services.accounts.credentials import bind_hashes_made_before_binding, credentials_without_pepper
from services.memo_life.frozen_route import freeze_missing_routes
from services.printing.emblem import MISSING_NOTE, organisations_missing_emblem

app = typer.Typer(help="Saraban: สารบรรณ, approval routing for Thai government memos.", no_args_is_help=True)


@app.callback()
def private_files() -> None:
    """Every command: what it writes (and what the processes it starts write) is this user's alone."""
    keep_private()


app.add_typer(org.app, name="org")
app.add_typer(memo.app, name="memo")
app.add_typer(publication.app, name="publication")
app.add_typer(circular.app, name="circular")
app.add_typer(audit.app, name="audit")
app.add_typer(reminders.app, name="reminders")
app.add_typer(cycle.app, name="cycle")
app.add_typer(evidence.app, name="evidence")
app.add_typer(ita.app, name="ita")
app.add_typer(account.app, name="account")
app.command("render")(render.render)
app.command("verify")(verify.verify)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)


@app.command("init")
def init(
    owner_url: str = typer.Option(
        "",
        "--owner-url",
        metavar="URL",
        help="PostgreSQL: the tables' owner, who migrates "
        "(default SARABAN_MIGRATION_DATABASE_URL, else SARABAN_DATABASE_URL)",
    ),
) -> None:
    """Create the database, or upgrade it to the current schema; on PostgreSQL with a separate
    owner, grant the application's role what it may do (add history, never change it)."""
    settings = get_settings()
    settings.home.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    url = settings.resolved_database_url
    try:
        role = prepare_database(app_url=url, owner_url=owner_url or settings.resolved_migration_url)
    except RoleProblem as problem:
        typer.echo(f"ปฏิเสธ (refused): {problem}", err=True)
        raise typer.Exit(EXIT_REFUSED) from problem
    typer.echo(f"database ready: {make_url(url).render_as_string(hide_password=True)}")
    if role:
        typer.echo(f"application role {role}: may add history rows, never change or delete them")
    elif url.startswith("postgresql"):
        typer.echo(
            "note: the application connects as the tables' owner, which could rewrite history; "
            "set SARABAN_MIGRATION_DATABASE_URL to the owner and SARABAN_DATABASE_URL to another role",
            err=True,
        )
    _cover_what_earlier_releases_left_uncovered()
    for path in make_private(settings):
        typer.echo(f"ปิดสิทธิ์ผู้ใช้อื่น (made private to this user): {path}")
    _echo_missing_emblems()
    _echo_credentials_without_pepper()


def check_this_machine() -> None:
    """Before a long-running command starts: the instance's data is private, and the keys the
    database depends on are here."""
    check_private(get_settings())
    check_instance_keys(default_engine())


def _cover_what_earlier_releases_left_uncovered() -> None:
    """After an upgrade from before 0019: memos get their frozen routes, and the rows of who may
    act their first audit entry (from before 0034, the ITA year's work and its memos: once per
    table); from before 0021, credential hashes are bound to their owners (trust on first use,
    said here)."""
    frozen = freeze_missing_routes()
    if frozen:
        typer.echo(
            f"เส้นทางของบันทึก {len(frozen)} ฉบับบันทึกไว้แล้ว (routes frozen from their chains as they stand "
            f"for {len(frozen)} memos submitted before this release: memos {', '.join(map(str, frozen))})"
        )
    with session_scope() as session:
        recorded = record_identity_rows(session)
    with session_scope() as session:
        bound = bind_hashes_made_before_binding(session)
    if bound:
        typer.echo(
            f"ผูกรหัสผ่านและ PIN ที่เก็บไว้กับเจ้าของบัญชีแล้ว (bound the stored password and PIN hashes "
            f"to their own accounts, as they stand): {', '.join(bound)}"
        )
    if recorded:
        typer.echo(
            f"บันทึกข้อมูลผู้มีสิทธิ์และงาน ITA {recorded} แถวเข้าห่วงโซ่ตรวจสอบแล้ว (recorded {recorded} rows of "
            "people, positions, holdings, delegations, chains, organisations and the ITA year's work in the audit "
            "chain, as they stand)"
        )


def _echo_credentials_without_pepper() -> None:
    """Accounts whose password or PIN hash was made without the pepper: refused until reset."""
    with read_scope() as session:
        for username, what in credentials_without_pepper(session):
            for name in what:
                typer.echo(
                    f"{username}: {name} ใช้ไม่ได้จนกว่าจะตั้งใหม่ (made without the pepper: refused until reset): "
                    f"saraban account reset {username} --what {name}"
                )


def _echo_missing_emblems() -> None:
    """Every loaded organisation whose announcements would print the "[ตราครุฑ]" placeholder."""
    with read_scope() as session:
        for org in organisations_missing_emblem(session):
            typer.echo(f"{org.code}: {MISSING_NOTE}")


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", help="the web app's address"),
    port: int = typer.Option(8000, help="the web app's port"),
) -> None:
    """The one-box embedded default: the web app, a runner serving the deployments, the
    deliverer of flow signals, and a local Prefect server unless PREFECT_API_URL names one."""
    # Loaded here, not at the top: the other commands should not pay for the server stack.
    from deployments.signals import stop_on_sigterm
    from deployments.stack import running_stack
    from web.app import create_app
    from web.server import run_web

    upgrade(get_settings().resolved_migration_url)
    with domain_errors():
        check_this_machine()
    _cover_what_earlier_releases_left_uncovered()
    # A service manager stops it with SIGTERM: uvicorn shuts the web app down and then raises the
    # signal again, which would end the process before the Prefect server, worker and LibreOffice
    # it started are stopped. As an interrupt, the stack below stops them first.
    stop_on_sigterm()
    with running_stack() as api_url:
        typer.echo(
            f"Prefect UI: {api_url.removesuffix('/api')}  (its login: `saraban prefect-auth`)\n"
            f"web app:    http://{host}:{port}/  (Ctrl-C stops)"
        )
        run_web(create_app(), host, port)


@app.command("web")
def web(
    host: str = typer.Option("127.0.0.1", help="the address to listen on"),
    port: int = typer.Option(8000, help="the port to listen on"),
) -> None:
    """The web app alone (production: any number of them, beside `saraban deliver` and the
    Prefect workers, all on the same PostgreSQL database). It never talks to Prefect."""
    from web.app import create_app
    from web.server import run_web

    with domain_errors():
        check_this_machine()
    typer.echo(f"web app: http://{host}:{port}/  (Ctrl-C stops)")
    run_web(create_app(), host, port)


@app.command("deliver")
def deliver(
    _settle_seconds: float = typer.Option(
        0.0,
        "--settle-seconds",
        min=0,
        hidden=True,
        help="no longer used: Prefect 3.9's workers take a run resumed at once (accepted so that "
        "existing service files keep working)",
    ),
) -> None:
    """Hand recorded actions to the memos' flow runs and repair failed runs, until stopped
    (production; `saraban serve` does this itself). Needs PREFECT_API_URL."""
    from cli.prefect_client import use_configured_prefect
    from deployments.work_pool import deploy_to_pool
    from workflows.delivery import run_forever

    with domain_errors():
        check_this_machine()
        url = use_configured_prefect()
    typer.echo(f"delivering flow signals to {url}  (Ctrl-C stops)")
    stop = threading.Event()
    try:
        run_forever(stop, redeploy=deploy_to_pool)
    except KeyboardInterrupt:
        stop.set()


@app.command("notify-send")
def notify_send(once: bool = typer.Option(False, "--once", help="one round, then exit (for cron or a check)")) -> None:
    """Send the immediate notices of work arriving (production: one or more beside the web apps;
    `saraban serve` runs one itself). Retries failed deliveries with a back-off; logs each try."""
    from services.notices.work_notices import run_forever, run_once

    if once:
        report = run_once()
        typer.echo(f"sent {report.sent}, failed {report.failed}, no longer needed {report.moot}")
        return
    typer.echo("sending work notices (Ctrl-C stops)")
    stop = threading.Event()
    try:
        run_forever(stop)
    except KeyboardInterrupt:
        stop.set()


@app.command("deploy")
def deploy(pool: str = typer.Option("saraban", help="the process work pool the deployments run on")) -> None:
    """Register the deployments (memo routing, annual cycle, daily reminders) on a process work
    pool of the Prefect server at PREFECT_API_URL; start workers with `prefect worker start --pool saraban`."""
    from cli.prefect_client import use_configured_prefect
    from deployments.work_pool import deploy_to_pool

    with domain_errors():
        use_configured_prefect()
        for name in deploy_to_pool(pool):
            typer.echo(f"deployed {name} on work pool '{pool}'")


@app.command("worker")
def worker(
    pool: str = typer.Option("saraban", help="the process work pool to take flow runs from"),
    limit: int = typer.Option(4, help="flow runs at once"),
    name: str | None = typer.Option(None, help="the worker's name in Prefect"),
    healthcheck: bool = typer.Option(
        False,
        "--healthcheck",
        help="serve Prefect's worker health check (GET /health: 503 once the worker stops polling) on "
        "PREFECT_WORKER_WEBSERVER_HOST:PREFECT_WORKER_WEBSERVER_PORT (default 0.0.0.0:8080)",
    ),
) -> None:
    """A Prefect process worker whose flow runs start warm (forked from a process that has
    loaded everything once) instead of in a new interpreter each. Needs PREFECT_API_URL; a
    plain `prefect worker start --pool saraban` works too, only slower."""
    from cli.prefect_client import use_configured_prefect
    from deployments.warm_worker import become_worker

    with domain_errors():
        check_this_machine()
        use_configured_prefect()
        become_worker(pool, limit, name, healthcheck=healthcheck)


@app.command("health")
def health_check(
    deliverer: bool = typer.Option(
        False, "--deliverer", help="also: a `saraban deliver` on this machine is delivering"
    ),
    max_age: float = typer.Option(30.0, "--max-age", min=1, help="seconds since the deliverer's last good round"),
) -> None:
    """Readiness for a service manager or a container probe: the database answers and the keys
    it needs are here (what the web app's /healthz says); exit 0 ready, 1 not. A worker's own
    probe is Prefect's: `saraban worker --healthcheck` serves /health."""
    from services.orchestration.health import deliverer_heartbeat, health

    report = health(default_engine())
    checks = dict(report.checks)
    if deliverer:
        checks["deliverer"] = _deliverer_state(deliverer_heartbeat().age_seconds(), max_age)
    for name, result in checks.items():
        typer.echo(f"{name}: {result}")
    if any(result != "ok" for result in checks.values()):
        raise typer.Exit(EXIT_REFUSED)


def _deliverer_state(age: float | None, max_age: float) -> str:
    if age is None:
        return "never ran here"
    return "ok" if age <= max_age else f"last round {age:.0f} s ago"


@app.command("prefect-auth")
def prefect_auth() -> None:
    """Print the credential (user:password) of this instance's Prefect server: give it to
    workers on other machines as PREFECT_API_AUTH_STRING and to a Prefect server you start
    yourself as PREFECT_SERVER_API_AUTH_STRING; the Prefect UI asks for it. Keep it secret."""
    from deployments.environment import prefect_auth_string

    typer.echo(prefect_auth_string())


@app.command("demo")
def demo(home: Path | None = typer.Option(None, "--home", help="where to keep the demo's data (a new folder)")) -> None:
    """Replay the whole 004 case on embedded defaults and print where the documents went."""
    from cli.demo import play_004, prepare_database
    from deployments.stack import running_stack

    home = home or Path(".saraban") / f"demo-{dt.datetime.now():%Y%m%d-%H%M%S}"
    if home.exists() and any(home.iterdir()):
        typer.echo(f"{home} is not empty: give --home a new folder", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    _use_home(home)
    prepare_database()
    with running_stack():
        view = play_004(typer.echo)
    typer.echo(
        f"\nประกาศเผยแพร่แล้ว (published).\nmemo (.docx): {view['publication']['memo']}\n"
        f"announcement (.docx): {view['publication']['announcement']}"
    )


@app.command("proofread")
def proofread(
    file: Path,
    as_json: bool = typer.Option(False, "--json"),
    register_prefix: str | None = typer.Option(None, "--register-prefix"),
) -> None:
    """Automated proofreading of a .txt, .md or .docx file: one warning per line (a memo or
    announcement .docx also names the part, paragraph and sentence)."""
    from documents.proofreading.proofread import ProofreadError, proofread_file

    try:
        warnings = proofread_file(file, register_prefix=register_prefix)
    except ProofreadError as error:
        typer.echo(f"อ่านไฟล์ไม่ได้ (cannot read): {error}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from error
    if as_json:
        print_json(warnings)
    for w in [] if as_json else warnings:
        place = f" {w.section} ย่อหน้าที่ {w.paragraph}: “{w.sentence}”" if w.section else ""
        typer.echo(f"{file}:{w.line}:{w.column}:{place} [{w.kind}] {w.text!r} -> {w.suggestion} ({w.message})")
    raise typer.Exit(1 if warnings else 0)


def _use_home(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    os.environ["SARABAN_HOME"] = str(home.resolve())
    os.environ.pop("SARABAN_DATABASE_URL", None)
    get_settings.cache_clear()
    default_engine.cache_clear()
