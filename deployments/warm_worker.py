"""`saraban worker`: a Prefect process worker on the `saraban` pool, with a warm starter beside it.
It starts only Saraban's own deployments as registered (deployments.guarded_worker).

The warm starter (deployments.warm_start) loads Prefect and Saraban once; the deployments'
command (deployments.warm_client) asks it for a forked copy per flow run instead of a new
interpreter. This process starts the warm starter, waits for its socket, and then runs
Prefect's process worker itself (same process: whoever stops or kills the worker finds it where
they started it), with the socket in SARABAN_WARM_SOCKET for the flow runs' command. The warm
starter follows its parent: it exits when the worker does. So does the machine's office server
(documents.pdf.office_server), started before both, which makes every flow run's PDFs.
"""

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from prefect.settings import PREFECT_WORKER_HEARTBEAT_SECONDS

from deployments.guarded_worker import GuardedProcessWorker, Registered, registered_deployments
from deployments.signals import stop_on_sigterm
from deployments.warm_client import SOCKET_VARIABLE
from documents.pdf.office_server import running_office

STARTER_SECONDS = 180  # loading everything takes ~6 CPU-s; a busy 2-core machine may need far more


def become_worker(pool: str, limit: int, name: str | None, *, healthcheck: bool = False) -> None:
    # The office server first: the warm starter and every flow run inherit its address.
    stop_on_sigterm()  # stopped by a service manager, it still stops its starter and removes its folder
    # The starter's socket in a folder only this user can enter (0700), removed when the worker stops.
    with running_office(), tempfile.TemporaryDirectory(prefix="saraban-warm-") as folder:
        socket_path = Path(folder) / "starter.sock"
        starter = subprocess.Popen([sys.executable, "-m", "deployments.warm_start", str(socket_path)])
        _wait_for(socket_path, starter)
        os.environ[SOCKET_VARIABLE] = str(socket_path)  # every flow run's command inherits it
        asyncio.run(_work(pool, limit, name, healthcheck, registered_deployments()))


async def _work(pool: str, limit: int, name: str | None, healthcheck: bool, registered: Registered) -> None:
    worker = GuardedProcessWorker(  # runs Saraban's deployments as registered, nothing else
        registered=registered,
        name=name,
        work_pool_name=pool,
        limit=limit,
        heartbeat_interval_seconds=int(PREFECT_WORKER_HEARTBEAT_SECONDS.value()),
    )
    await worker.start(with_healthcheck=healthcheck)


def _wait_for(socket_path: Path, starter: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTER_SECONDS
    while not socket_path.exists():
        if starter.poll() is not None:
            raise RuntimeError(f"the warm starter exited with code {starter.returncode} before it was ready")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the warm starter was not ready within {STARTER_SECONDS} s")
        time.sleep(0.1)


if __name__ == "__main__":  # `saraban serve` starts its worker this way; people use `saraban worker`
    parser = argparse.ArgumentParser()
    parser.add_argument("--pool", default="saraban")
    parser.add_argument("--limit", type=int, default=4)
    parser.add_argument("--name", default=None)
    arguments = parser.parse_args()
    become_worker(arguments.pool, arguments.limit, arguments.name)
