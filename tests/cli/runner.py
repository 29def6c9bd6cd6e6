"""`saraban` run in this process with Typer's CliRunner: the same commands, arguments, standard
input, exit codes and output as the installed command, without the seconds each new interpreter
spends importing Prefect. The environment and working folder are the command's for its run, and
the settings and database engine are read anew, as a new process would.
(tests/cli/test_cli.py keeps one run of the installed command itself.)"""

import os
import subprocess
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from models.db import default_engine
from models.settings import get_settings


def instance_env(home: Path, database_url: str = "") -> dict[str, str]:
    """This process's environment for a command of the instance at `home`, without any other
    SARABAN_ setting: a Prefect stack started earlier in the process leaves its documents folder
    (and more) in the environment, which would point the command at that instance's files."""
    kept = {name: value for name, value in os.environ.items() if not name.startswith("SARABAN_")}
    return kept | {"SARABAN_HOME": str(home), "SARABAN_DATABASE_URL": database_url}


def run_saraban(
    *args: str, env: Mapping[str, str], cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    with instance_process(env, cwd):
        result = CliRunner().invoke(app, [str(arg) for arg in args], input=stdin)
    code, stderr = result.exit_code, result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        code, stderr = 1, stderr + "".join(traceback.format_exception(result.exception))  # as Python would print
    return subprocess.CompletedProcess(["saraban", *args], code, result.stdout, stderr)


@contextmanager
def instance_process(env: Mapping[str, str], cwd: Path) -> Iterator[None]:
    """This process as a process of the instance `env` names: what a command, or a test acting
    as the instance's own code (an administrator's change made through the services), runs in."""
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    _forget_settings()
    try:
        yield
    finally:
        _forget_settings()
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def _forget_settings() -> None:
    if default_engine.cache_info().currsize:
        default_engine().dispose()
    default_engine.cache_clear()
    get_settings.cache_clear()
