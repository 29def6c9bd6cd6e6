"""The production topology on one machine, for the topology test and the benchmarks.

A Prefect server on PostgreSQL, the deployments registered on the `saraban` process work pool
(`saraban deploy`), any number of `prefect worker start --pool saraban` processes, any number of
`saraban web` processes, and `saraban deliver`; all share Saraban's PostgreSQL database and one
documents folder. Each process is started exactly as the README's Production section says, in
its own process group, so that `kill_hard` can kill it with everything it started (a machine
that dies takes its flow runs with it). The Prefect server asks for credentials and CSRF
tokens; every process gets the credential as PREFECT_API_AUTH_STRING, as a worker on another
machine would.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from prefect.client.orchestration import get_client
from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

from deployments.environment import PAUSE_EXPIRATIONS

BIN = Path(sys.executable).parent
PROJECT = Path(__file__).resolve().parents[1]
START_SECONDS = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Topology:
    home: Path  # logs and the shared documents folder
    database_url: str  # Saraban's PostgreSQL (postgresql+psycopg://...)
    prefect_database_url: str  # the Prefect server's PostgreSQL (postgresql+asyncpg://...)
    api_port: int = field(default_factory=free_port)
    auth_string: str = field(default_factory=lambda: f"saraban:{secrets.token_hex(32)}")
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)  # SARABAN_* for every process it starts

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}/api"

    def env(self) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SARABAN_"))}
        return {
            **base,
            "SARABAN_HOME": str(self.home),
            "SARABAN_DATABASE_URL": self.database_url,
            "SARABAN_DOCUMENTS_DIR": str(self.home / "documents"),
            "PREFECT_API_URL": self.api_url,
            "PREFECT_HOME": str(self.home / "prefect"),
            "PREFECT_SERVER_EPHEMERAL_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_WORKER_QUERY_SECONDS": "1",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "PREFECT_API_AUTH_STRING": self.auth_string,
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            # As under `uv run`: `python` in the deployments' command is the project's.
            "PATH": f"{BIN}{os.pathsep}{base.get('PATH', '')}",
            **self.settings,
        }

    def start(self, name: str, *command: str, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.home / f"{name}.log", "ab") as log:
            process = subprocess.Popen(
                command,
                env={**self.env(), **(extra_env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        return process

    def start_server(self) -> None:
        self.start(
            "prefect-server",
            str(BIN / "prefect"),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.api_port),
            extra_env={
                "PREFECT_API_DATABASE_CONNECTION_URL": self.prefect_database_url,
                "PREFECT_SERVER_API_AUTH_STRING": self.auth_string,
                "PREFECT_SERVER_CSRF_PROTECTION_ENABLED": "true",
                PAUSE_EXPIRATIONS: "false",
                "PREFECT_SERVER_API_PORT": str(self.api_port),
                "PREFECT_UI_API_URL": self.api_url,
            },
        )
        self.wait_http(f"{self.api_url}/health", "prefect-server")

    def saraban(self, *args: str) -> str:
        return self._command("saraban", *args)

    def prefect(self, *args: str) -> str:
        """Prefect's own command, from this project's folder (prefect.yaml)."""
        return self._command("prefect", *args)

    def _command(self, program: str, *args: str) -> str:
        result = subprocess.run(
            [str(BIN / program), *args], env=self.env(), capture_output=True, text=True, timeout=300, cwd=PROJECT
        )
        if result.returncode != 0:
            raise RuntimeError(f"{program} {' '.join(args)} failed: {(result.stdout + result.stderr)[-2000:]}")
        return result.stdout

    def start_worker(self, name: str, limit: int = 4, *, warm: bool = True) -> subprocess.Popen:
        """`saraban worker` (flow runs forked warm), or a plain `prefect worker start` when not warm."""
        if warm:
            return self.start(
                name, str(BIN / "saraban"), "worker", "--pool", "saraban", "--limit", str(limit), "--name", name
            )
        return self.start(
            name,
            str(BIN / "prefect"),
            "worker",
            "start",
            "--pool",
            "saraban",
            "--type",
            "process",
            "--limit",
            str(limit),
            "--name",
            name,
        )

    def wait_for_worker(self, name: str) -> None:
        """Until the worker named `name` is online on the pool (a warm one first loads everything)."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited; see {self.home / (name + '.log')}")
            if name in self._online_workers():
                return
            time.sleep(0.5)
        raise RuntimeError(f"{name} was not online within {START_SECONDS} s")

    def _online_workers(self) -> set[str]:
        # Prefect's client: this server wants the credential and a CSRF token on every POST.
        with (
            temporary_settings(updates={PREFECT_API_URL: self.api_url, PREFECT_API_AUTH_STRING: self.auth_string}),
            get_client(sync_client=True) as client,
        ):
            return {w.name for w in client.read_workers_for_work_pool("saraban") if w.status == "ONLINE"}

    def start_web(self, name: str = "web", port: int | None = None) -> str:
        port = port or free_port()
        self.start(name, str(BIN / "saraban"), "web", "--port", str(port))
        url = f"http://127.0.0.1:{port}"
        self.wait_http(f"{url}/login", name)
        return url

    def start_deliverer(self, name: str = "deliverer") -> subprocess.Popen:
        return self.start(name, str(BIN / "saraban"), "deliver")

    def wait_http(self, url: str, name: str) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited; see {self.home / (name + '.log')}")
            try:
                if httpx.get(url, timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{name} did not answer within {START_SECONDS} s")

    def kill_hard(self, name: str) -> None:
        """kill -9 the process and everything it started, as if its machine died."""
        process = self.processes[name]
        for pid in [*descendants(process.pid), process.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait()

    def stop(self, name: str) -> None:
        """Stop the process and its group as a service manager would (SIGTERM, then -9)."""
        process = self.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill_hard(name)

    def stop_all(self) -> None:
        for name in reversed(list(self.processes)):
            self.stop(name)

    def cpu_seconds(self) -> float:
        """User+system CPU of every process started here and of all their children."""
        return sum(self.cpu_by_process().values())

    def cpu_by_process(self) -> dict[str, float]:
        ticks = os.sysconf("SC_CLK_TCK")
        return {
            name: sum(_cpu_ticks(pid) for pid in [process.pid, *descendants(process.pid)]) / ticks
            for name, process in self.processes.items()
        }


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _cpu_ticks(pid: int) -> int:
    """utime+stime+cutime+cstime: a process's CPU and that of its children it has waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return sum(int(f) for f in fields[11:15])
