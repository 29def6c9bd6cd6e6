"""`saraban worker`: a Prefect process worker on the `saraban` pool, with a warm starter beside it.

The warm starter (deployments.warm_start) loads Prefect and Saraban once; the deployments'
command (deployments.warm_client) asks it for a forked copy per flow run instead of a new
interpreter. This process starts the warm starter, waits for its socket, and then becomes
`prefect worker start` itself (same process: whoever stops or kills the worker finds it where
they started it), with the socket in SARABAN_WARM_SOCKET for the flow runs' command. The warm
starter follows its parent: it exits when the worker does.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deployments.warm_client import SOCKET_VARIABLE

STARTER_SECONDS = 180  # loading everything takes ~6 CPU-s; a busy 2-core machine may need far more


def warm_command() -> str:
    """The flow-run command of the deployments on the pool. The same installation path on every
    worker machine (a `uv sync` of this project in the same folder) keeps it valid everywhere."""
    return f"{sys.executable} -m deployments.warm_client"


def become_worker(pool: str, limit: int, name: str | None) -> None:
    socket_path = Path(tempfile.mkdtemp(prefix="saraban-warm-")) / "starter.sock"
    starter = subprocess.Popen([sys.executable, "-m", "deployments.warm_start", str(socket_path)])
    _wait_for(socket_path, starter)
    command = [str(Path(sys.executable).parent / "prefect"), "worker", "start", "--pool", pool, "--type", "process",
               "--limit", str(limit), *(["--name", name] if name else [])]
    os.execve(command[0], command, {**os.environ, SOCKET_VARIABLE: str(socket_path)})


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
