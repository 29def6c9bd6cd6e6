"""The running system on embedded defaults: a Prefect server (unless PREFECT_API_URL names
one) and a runner serving the deployments, both stopped when the block ends."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from prefect.client.orchestration import get_client
from prefect.exceptions import ObjectNotFound
from prefect.settings import PREFECT_API_URL, temporary_settings

from deployments.environment import apply, prefect_environment
from deployments.local_server import local_prefect_server, stop_process
from workflows.names import memo_deployment_path

REGISTER_TIMEOUT_SECONDS = 90


@contextmanager
def running_stack() -> Iterator[str]:
    """Yields the Prefect API URL once the memo deployment is served."""
    with ExitStack() as stack:
        api_url = os.environ.get("PREFECT_API_URL") or stack.enter_context(local_prefect_server())
        env = prefect_environment(api_url)
        apply(env)  # this process's Prefect client and every subprocess use the same server
        stack.enter_context(_prefect_settings(api_url))
        runner = stack.enter_context(_runner_process(env))
        _wait_for_deployment(runner)
        yield api_url


@contextmanager
def _prefect_settings(api_url: str) -> Iterator[None]:
    # Prefect read its settings when it was imported; the temporary settings make this
    # process's client follow the server just started.
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        yield


@contextmanager
def _runner_process(env: dict[str, str]) -> Iterator[subprocess.Popen]:
    log_path = env["PREFECT_HOME"] + "/runner.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "deployments.runner"], env={**os.environ, **env},
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        stop_process(process)


def _wait_for_deployment(runner: subprocess.Popen) -> None:
    deadline = time.monotonic() + REGISTER_TIMEOUT_SECONDS
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            if runner.poll() is not None:
                raise RuntimeError(f"the runner exited with code {runner.returncode}; see its log under PREFECT_HOME")
            try:
                client.read_deployment_by_name(memo_deployment_path())
                return
            except ObjectNotFound:
                time.sleep(0.5)
    raise RuntimeError(f"the memo deployment was not served within {REGISTER_TIMEOUT_SECONDS} s")
