"""`saraban serve` as a service manager stops it (SIGTERM): the Prefect server, the worker and the
LibreOffice it started stop with it, none left running on the machine."""

import os
import signal
import subprocess
import time

import httpx
import pytest

from bench.topology import descendants, free_port
from tests.cli.conftest import EXAMPLES, SARABAN
from tests.cli.runner import run_saraban

pytestmark = pytest.mark.prefect
WAIT_SECONDS = 300  # a busy 2-core machine starts a Prefect server, a worker and LibreOffice


def test_sigterm_stops_serve_and_everything_it_started(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SARABAN_"))}
    env["SARABAN_HOME"] = str(tmp_path / "home")
    assert run_saraban("init", env=env, cwd=tmp_path).returncode == 0
    assert run_saraban("org", "load", "--demo", EXAMPLES / "organisation.yaml", env=env, cwd=tmp_path).returncode == 0
    port = free_port()
    with open(tmp_path / "serve.log", "wb") as log:
        serve = subprocess.Popen([SARABAN, "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
    try:
        started = until(lambda: _healthy(port) and len(descendants(serve.pid)) >= 3, serve)
        assert started, (tmp_path / "serve.log").read_text()
        children = descendants(serve.pid)  # the Prefect server, the worker, the warm starter, LibreOffice...
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=WAIT_SECONDS)
        assert until(lambda: not [pid for pid in children if _alive(pid)]), [pid for pid in children if _alive(pid)]
    finally:
        for pid in [*descendants(serve.pid), serve.pid]:
            _kill(pid)


def until(condition, process: subprocess.Popen | None = None) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return True
        if process is not None and process.poll() is not None:
            return False
        time.sleep(0.5)
    return False


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"  # a zombie has ended, only not reaped
    except FileNotFoundError:
        return False


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
