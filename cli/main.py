"""The `saraban` command: the contract other tools, tests and people rely on.

Exit codes: 0 success, 1 refused by the rules (with the reason), 2 bad input.
"""

import datetime as dt
import logging
import os
import threading
import time
from pathlib import Path

import typer

from cli import audit, cycle, evidence, memo, org, reminders, render
from cli.common import EXIT_BAD_INPUT, print_json
from models.db import default_engine
from models.migrate import upgrade
from models.settings import get_settings

app = typer.Typer(help="Saraban: สารบรรณ, approval routing for Thai government memos.", no_args_is_help=True)
app.add_typer(org.app, name="org")
app.add_typer(memo.app, name="memo")
app.add_typer(audit.app, name="audit")
app.add_typer(reminders.app, name="reminders")
app.add_typer(cycle.app, name="cycle")
app.add_typer(evidence.app, name="evidence")
app.command("render")(render.render)
RECONCILE_EVERY_SECONDS = 15
log = logging.getLogger(__name__)


@app.command("init")
def init() -> None:
    """Create the database, or upgrade it to the current schema."""
    url = get_settings().resolved_database_url
    get_settings().home.mkdir(parents=True, exist_ok=True)
    upgrade(url)
    typer.echo(f"database ready: {url}")


@app.command("serve")
def serve(host: str = typer.Option("127.0.0.1", help="the web app's address"),
          port: int = typer.Option(8000, help="the web app's port")) -> None:
    """Serve the web app and the deployments (memo routing, annual cycle); start a local
    Prefect server unless PREFECT_API_URL names one; deliver pending actions every few seconds."""
    # Loaded here, not at the top: the other commands should not pay for the server stack.
    from deployments.stack import running_stack
    from services.flow_bridge import FlowBridge
    from web.app import create_app
    from web.server import run_web

    upgrade(get_settings().resolved_database_url)
    with running_stack() as api_url:
        threading.Thread(target=_reconcile_forever, args=(FlowBridge(),), daemon=True).start()
        typer.echo(f"Prefect UI: {api_url.removesuffix('/api')}\nweb app:    http://{host}:{port}/  (Ctrl-C stops)")
        run_web(create_app(flow_bridge=FlowBridge(patience_seconds=30)), host, port)


def _reconcile_forever(bridge) -> None:  # noqa: ANN001
    while True:
        _reconcile_once(bridge)
        time.sleep(RECONCILE_EVERY_SECONDS)


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
    typer.echo(f"\nประกาศเผยแพร่แล้ว (published).\nmemo (.docx): {view['publication']['memo']}\n"
               f"announcement (.docx): {view['publication']['announcement']}")


@app.command("proofread")
def proofread(file: Path, as_json: bool = typer.Option(False, "--json"),
              register_prefix: str | None = typer.Option(None, "--register-prefix")) -> None:
    """Automated proofreading of a .txt, .md or .docx file: one warning per line (a memo or
    announcement .docx also names the part, paragraph and sentence)."""
    from documents.proofread import ProofreadError, proofread_file

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


def _reconcile_once(bridge) -> None:  # noqa: ANN001
    # A passing server or database hiccup must not stop serving; the next round retries.
    try:
        bridge.reconcile()
    except Exception:  # noqa: BLE001
        log.exception("reconciling memos with their flow runs failed; retrying in %s s", RECONCILE_EVERY_SECONDS)


def _use_home(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    os.environ["SARABAN_HOME"] = str(home.resolve())
    os.environ.pop("SARABAN_DATABASE_URL", None)
    get_settings.cache_clear()
    default_engine.cache_clear()
