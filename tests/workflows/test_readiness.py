"""Readiness as a service manager or a container probe checks it: `saraban health` for the
database, the keys and the deliverer, and Prefect's own /health of `saraban worker --healthcheck`."""

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from cli.main import app
from deployments.local_server import stop_process
from services.orchestration.health import deliverer_heartbeat
from tests.cli.conftest import SARABAN
from workflows.delivery import run_forever

pytestmark = pytest.mark.prefect
WAIT_SECONDS = 180


def health(*args: str):  # noqa: ANN201
    return CliRunner().invoke(app, ["health", *args])


def wait_for(condition, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"not {what} within {WAIT_SECONDS} s"
        time.sleep(0.2)


def test_the_deliverer_is_ready_while_it_delivers_and_not_once_it_stopped(stack):
    heartbeat = deliverer_heartbeat()
    heartbeat.path.unlink(missing_ok=True)
    never = health("--deliverer")
    assert never.exit_code == 1 and "deliverer: never ran here" in never.output
    assert "database: ok" in never.output and "keys: ok" in never.output

    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(stop,), kwargs={"every_seconds": 0.1}, daemon=True)
    thread.start()
    try:
        wait_for(lambda: heartbeat.age_seconds() is not None, "delivering")
        ready = health("--deliverer", "--max-age", "60")
        assert ready.exit_code == 0, ready.output
    finally:
        stop.set()
        thread.join(timeout=60)
    wait_for(lambda: heartbeat.age_seconds() > 1, "a second past its last round")
    stale = health("--deliverer", "--max-age", "1")
    assert stale.exit_code == 1 and "deliverer: last round" in stale.output


def test_saraban_worker_serves_prefects_health_check(stack, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Where the worker makes its temporary folders: short, as /tmp is (a UNIX socket's path holds
    # 107 bytes at most, and pytest's folders under xdist come close to that alone).
    scratch = Path(tempfile.mkdtemp(prefix="rd-", dir="/tmp"))
    env = {
        **os.environ,
        "PREFECT_WORKER_WEBSERVER_HOST": "127.0.0.1",
        "PREFECT_WORKER_WEBSERVER_PORT": str(port),
        "TMPDIR": str(scratch),
    }
    # A pool of its own: this worker must not take the session's flow runs.
    command = [SARABAN, "worker", "--pool", "readiness-probe", "--healthcheck"]
    with open(tmp_path / "worker.log", "wb") as log:
        worker = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            wait_for(lambda: _answer(port) == 200, "answering /health with 200")
        finally:
            stop_process(worker)
        assert _answer(port) is None  # gone with its worker
        assert not list(scratch.glob("saraban-warm-*")), "the warm starter's folder is removed when the worker stops"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _answer(port: int) -> int | None:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code
    except httpx.HTTPError:
        return None
