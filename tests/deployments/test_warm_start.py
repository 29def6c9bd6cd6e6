"""The warm starter and its client, as a process worker uses them: the client is the flow-run
command; the forked copy runs Prefect's engine with the client's environment, streams and exit
code; without a warm starter the client is Prefect's engine itself. (The topology test runs
memos through `saraban worker`, i.e. through all of this, with a Prefect server.)"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from deployments.warm_client import SOCKET_VARIABLE

START_SECONDS = 180  # the starter loads Prefect, the flows and the word lists first
NO_SERVER = "http://127.0.0.1:9/api"  # nothing listens on the discard port


def client(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return subprocess.run(
        [sys.executable, "-m", "deployments.warm_client", *args],
        cwd=tmp_path,
        timeout=120,
        env={**base, "PREFECT_API_URL": NO_SERVER, "PREFECT_LOGGING_LEVEL": "INFO", **env},
        capture_output=True,
        text=True,
    )


@contextmanager
def running_starter(folder: Path) -> Iterator[tuple[Path, subprocess.Popen]]:
    """A warm starter whose parent is a `sleep` standing in for the worker (it exits with it)."""
    socket_path = folder / "starter.sock"
    code = (
        "import os, subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-m', 'deployments.warm_start', {str(socket_path)!r}])\n"
        "os.execvp('sleep', ['sleep', '600'])\n"
    )
    worker = subprocess.Popen([sys.executable, "-c", code], cwd=Path(__file__).parents[2])
    deadline = time.monotonic() + START_SECONDS
    while not socket_path.exists():
        assert time.monotonic() < deadline and worker.poll() is None, "the warm starter did not start"
        time.sleep(0.1)
    try:
        yield socket_path, worker
    finally:
        worker.kill()
        worker.wait()


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Iterator[tuple[Path, subprocess.Popen]]:
    """One starter for the tests that fork runs from it (it loads for seconds on a busy machine)."""
    with running_starter(tmp_path_factory.mktemp("starter")) as started:
        yield started


@pytest.fixture
def own_starter(tmp_path) -> Iterator[tuple[Path, subprocess.Popen]]:
    """A starter of the test's own, for a test that kills its worker."""
    with running_starter(tmp_path) as started:
        yield started


def test_without_a_warm_starter_the_client_is_prefects_engine(tmp_path):
    for env in ({}, {SOCKET_VARIABLE: str(tmp_path / "nobody-listens.sock")}):
        result = client(tmp_path, "not-a-flow-run-id", **env)
        assert result.returncode == 1
        assert "Invalid flow run id" in result.stderr


def test_a_forked_run_gets_the_clients_environment_streams_and_exit_code(tmp_path, starter):
    socket_path, _worker = starter
    run_id = "8c2f5d3e-0000-4000-8000-000000000001"
    # Prefect's engine in the fork asks the configured server (none here) for this run and fails:
    # its message reaches the client's own stderr, and its exit code is the client's.
    result = client(tmp_path, SOCKET_VARIABLE=str(socket_path), PREFECT__FLOW_RUN_ID=run_id)
    assert result.returncode == 1
    # The client's flow run and PREFECT_API_URL (the starter has none: it would say "No Prefect API URL").
    assert f"Execution of flow run '{run_id}'" in result.stderr
    assert "Connection refused" in result.stderr and "No Prefect API URL" not in result.stderr


def waiting_client(tmp_path: Path, socket_path: Path, port: int) -> subprocess.Popen:
    """A client whose forked run waits for ever: its PREFECT_API_URL accepts and never answers."""
    return subprocess.Popen(
        [sys.executable, "-m", "deployments.warm_client"],
        cwd=tmp_path,
        env={
            **os.environ,
            SOCKET_VARIABLE: str(socket_path),
            "PREFECT__FLOW_RUN_ID": "8c2f5d3e-0000-4000-8000-000000000002",
            "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_the_worker_stopping_the_client_stops_the_forked_run(tmp_path, starter):
    socket_path, _worker = starter
    with silent_server() as port:
        process = waiting_client(tmp_path, socket_path, port)
        child = wait_for_child_of_starter(socket_path)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        wait_until_gone(child)


def test_the_starter_exits_with_its_worker(own_starter):
    socket_path, worker = own_starter
    worker.kill()
    worker.wait()
    deadline = time.monotonic() + 30
    while socket_path.exists():
        assert time.monotonic() < deadline, "the warm starter outlived its worker"
        time.sleep(0.2)


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def wait_for_child_of_starter(socket_path: Path) -> int:
    starter_pid = int(next(p.name for p in Path("/proc").iterdir() if p.name.isdigit() and _is_starter(p, socket_path)))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = Path(f"/proc/{starter_pid}/task/{starter_pid}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise AssertionError("the warm starter forked no run")


def _is_starter(proc: Path, socket_path: Path) -> bool:
    try:
        return str(socket_path).encode() in (proc / "cmdline").read_bytes()
    except OSError:
        return False


def wait_until_gone(pid: int) -> None:
    deadline = time.monotonic() + 60
    while Path(f"/proc/{pid}").exists() and "Z" not in _state(pid):
        assert time.monotonic() < deadline, f"forked run {pid} still running after its client was stopped"
        time.sleep(0.1)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_killing_the_client_kills_its_forked_run(tmp_path, starter):
    """To the worker (and to whoever kills -9 the run's process) the client is the flow run."""
    socket_path, _worker = starter
    with silent_server() as port:
        process = waiting_client(tmp_path, socket_path, port)
        child = wait_for_child_of_starter(socket_path)
        process.kill()
        process.wait()
        wait_until_gone(child)
