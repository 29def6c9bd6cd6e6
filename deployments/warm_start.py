"""A worker's warm starter: one process that has loaded Prefect and Saraban once, and forks a
copy of itself for each flow run its worker starts (`saraban worker` runs it beside
`prefect worker start`; deployments.warm_client asks it).

A process worker runs every flow run, and every resume of a suspended one, in a new
interpreter: importing Prefect, the flows, python-docx and the proofreading word lists costs
about 6 CPU-s before the run does anything, and a memo wakes at least twice. A fork of a
loaded process starts in milliseconds and shares the loaded pages. The child then runs
Prefect's own engine entry point (`python -m prefect.engine`) with the environment, working
folder and standard streams the worker gave the client, so it is the same flow run Prefect
would have started, only warm.

Forking is safe only from a process with one thread: this one starts none (it loads modules,
never opens a database or an API client) and checks before each fork. It serves requests one
at a time from a single loop; a child's exit status goes back to the client that asked for it.
It exits when its worker does (its parent changes), leaving running flow runs to finish.
"""

import atexit
import importlib
import json
import os
import random
import runpy
import selectors
import signal
import socket
import sys
import threading
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

# What every flow run imports at its start, loaded once here: the engine and every flow.
import prefect.engine  # noqa: F401
import prefect.flow_engine  # noqa: F401
from prefect.context import refresh_global_settings_context

import deployments.definitions  # noqa: F401
from deployments.warm_client import HEADER
from documents.pdf import continuation_words
from documents.proofreading import proofread

# Loaded lazily on a flow run's first use, so each fork would load them again: measured with
# py-spy on bench.throughput --topology, these and the word tries were a fifth of a run's CPU.
WARM_IMPORTS = (
    "psycopg",
    "sqlalchemy.dialects.postgresql.psycopg",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "prefect.utilities.visualization",
    "anyio._backends._asyncio",
)


@dataclass
class WarmStarter:
    socket_path: Path
    parent: int = field(default_factory=os.getppid)
    runs: dict[int, socket.socket] = field(default_factory=dict)  # child pid → its client
    events: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)

    def serve(self) -> None:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        # Bound aside and moved into place once listening: a client that finds the socket can connect.
        aside = self.socket_path.with_name(f".{self.socket_path.name}.{os.getpid()}")
        listener.bind(str(aside))
        listener.listen(64)
        aside.rename(self.socket_path)
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_write, False)
        signal.set_wakeup_fd(wake_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the loop through the pipe
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        self.events.register(listener, selectors.EVENT_READ, "request")
        self.events.register(wake_read, selectors.EVENT_READ, "signal")
        try:
            while os.getppid() == self.parent:
                for key, _ in self.events.select(timeout=1.0):
                    if key.data == "request":
                        self._start_run(listener, closing=(listener, wake_read, wake_write))
                    elif key.data == "signal":
                        os.read(wake_read, 512)
                    else:
                        self._client_gone(key.data)
                self._reap()
        finally:
            self.socket_path.unlink(missing_ok=True)

    def _start_run(self, listener: socket.socket, closing: tuple) -> None:
        connection, _ = listener.accept()
        connection.settimeout(10)  # a client sends its request at once; a silent one must not block the loop
        try:
            request, fds = _receive(connection)
        except (OSError, ValueError) as error:
            print(f"warm starter: a bad request ({error})", file=sys.stderr, flush=True)
            connection.close()
            return
        if threading.active_count() != 1:
            raise RuntimeError("the warm starter has started a thread: forking it is no longer safe")
        connection.settimeout(None)
        pid = os.fork()
        if pid == 0:
            self._close_in_child(connection, *closing)
            run_flow_in_child(request, fds)
        for descriptor in fds:
            os.close(descriptor)
        connection.sendall(f"{pid}\n".encode())
        self.runs[pid] = connection
        self.events.register(connection, selectors.EVENT_READ, pid)  # readable only when the client is gone
        print(
            f"warm starter: flow run {request['env'].get('PREFECT__FLOW_RUN_ID')} started as process {pid}",
            file=sys.stderr,
            flush=True,
        )

    def _close_in_child(self, *items: socket.socket | int) -> None:
        """What only the starter may hold: a run must not keep other clients' connections open."""
        self.events.close()
        for item in (*items, *self.runs.values()):
            item.close() if isinstance(item, socket.socket) else os.close(item)

    def _client_gone(self, pid: int) -> None:
        """The client never writes after its request: its connection ends when it dies. To the
        worker the client is the flow run's process, so whoever killed it meant the run."""
        self.events.unregister(self.runs[pid])
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def _reap(self) -> None:
        while self.runs:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            code = os.waitstatus_to_exitcode(status)
            connection = self.runs.pop(pid, None)
            if connection is not None:
                if connection.fileno() in self.events.get_map():
                    self.events.unregister(connection)
                try:
                    connection.sendall(f"{code if code >= 0 else 128 - code}\n".encode())
                except OSError:
                    pass  # the client was killed: nobody is waiting for this run any more
                connection.close()


def _receive(connection: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _flags, _address = socket.recv_fds(connection, 1 << 20, 3)
    if len(fds) != 3 or len(data) < HEADER.size:
        raise ValueError("expected a request with the three standard streams")
    (length,) = HEADER.unpack_from(data)
    body = data[HEADER.size :]
    while len(body) < length:
        chunk = connection.recv(length - len(body))
        if not chunk:
            raise ValueError("the request ended early")
        body += chunk
    return json.loads(body), fds


def run_flow_in_child(request: dict, fds: list[int]) -> None:
    """In the forked child: become `python -m prefect.engine` for the client's flow run; never returns."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        for number in (signal.SIGCHLD, signal.SIGTERM):
            signal.signal(number, signal.SIG_DFL)
        for target, descriptor in zip((0, 1, 2), fds, strict=False):
            os.dup2(descriptor, target)
            os.close(descriptor)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        random.seed()  # the fork copied the parent's generator state
        refresh_global_settings_context()  # the run's own PREFECT_* settings, not the starter's
        sys.argv = ["prefect.engine", *request["argv"]]
        with warnings.catch_warnings():
            # "found in sys.modules ... prior to execution": loaded on purpose, it is what makes this warm.
            warnings.filterwarnings("ignore", category=RuntimeWarning, module="runpy")
            runpy.run_module("prefect.engine", run_name="__main__", alter_sys=False)
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:  # noqa: BLE001  (the child must end here, whatever happened)
        traceback.print_exc()
    finally:
        atexit._run_exitfuncs()  # what an interpreter does at exit: Prefect flushes its logs here
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def load_once() -> None:
    """Everything a flow run would otherwise build after the fork: modules and word tries."""
    for name in WARM_IMPORTS:
        importlib.import_module(name)
    proofread.warm_up()  # the proofreading word lists, which the typesetting of each new revision needs
    continuation_words.warm_up()  # the word trie the continuation marks of each PDF need


def main() -> None:
    load_once()
    WarmStarter(Path(sys.argv[1])).serve()


if __name__ == "__main__":
    main()
