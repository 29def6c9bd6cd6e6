"""A local Prefect server for the embedded default, started and stopped by Saraban itself."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import httpx

from deployments.environment import prefect_environment, prefect_server_environment

START_TIMEOUT_SECONDS = 90


class PrefectServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def local_prefect_server(port: int | None = None, *, overrides: Mapping[str, str] | None = None) -> Iterator[str]:
    """Run `prefect server start` on loopback, with credentials and CSRF checks, until the block
    ends; yields its API URL. `overrides` change its settings (the benchmarks' baselines)."""
    port = port or free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, **prefect_server_environment(port), **(overrides or {})}
    env.pop("PREFECT_API_URL", None)
    log_path = prefect_environment()["PREFECT_HOME"] + "/server.log"
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(api_url, process, log_path)
        yield api_url
    finally:
        stop_process(process)


def _wait_healthy(api_url: str, process: subprocess.Popen, log_path: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PrefectServerError(f"the Prefect server exited with code {process.returncode}; see {log_path}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise PrefectServerError(f"the Prefect server did not answer within {START_TIMEOUT_SECONDS} s; see {log_path}")


def stop_process(process: subprocess.Popen) -> None:
    """Ask a child process to stop; kill it when it does not within 20 s."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
