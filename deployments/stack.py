"""The running system on embedded defaults: a Prefect server (unless PREFECT_API_URL names
one), a runner serving the deployments, and the deliverer of flow signals, all stopped when
the block ends."""

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from prefect.client.orchestration import get_client
from prefect.exceptions import ObjectNotFound

from deployments.environment import configure_prefect, remember_api_url
from deployments.local_server import local_prefect_server, stop_process
from workflows.delivery import run_forever
from workflows.names import CYCLE_DEPLOYMENT, CYCLE_FLOW, REMINDERS_DEPLOYMENT, REMINDERS_FLOW, memo_deployment_path

REGISTER_TIMEOUT_SECONDS = 90
SERVED = (memo_deployment_path(), f"{CYCLE_FLOW}/{CYCLE_DEPLOYMENT}", f"{REMINDERS_FLOW}/{REMINDERS_DEPLOYMENT}")


@contextmanager
def running_stack(*, deliver: bool = True) -> Iterator[str]:
    """Yields the Prefect API URL once every deployment is served."""
    with ExitStack() as stack:
        api_url = os.environ.get("PREFECT_API_URL") or stack.enter_context(local_prefect_server())
        configure_prefect(api_url)  # every thread here, and every subprocess, uses this server
        remember_api_url(api_url)
        stack.callback(remember_api_url, None)
        runner = stack.enter_context(_runner_process())
        _wait_for_deployment(runner)
        if deliver:
            stack.enter_context(deliverer_thread())
        yield api_url


@contextmanager
def deliverer_thread() -> Iterator[threading.Thread]:
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(stop,), name="saraban-deliverer", daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        stop.set()
        thread.join(timeout=30)


@contextmanager
def _runner_process() -> Iterator[subprocess.Popen]:
    log_path = os.environ["PREFECT_HOME"] + "/runner.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "deployments.runner"], env=dict(os.environ),
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
                for name in SERVED:
                    client.read_deployment_by_name(name)
                return
            except ObjectNotFound:
                time.sleep(0.5)
    raise RuntimeError(f"the deployments were not served within {REGISTER_TIMEOUT_SECONDS} s")
