"""The command a Prefect process worker runs for each flow run: `python -m deployments.warm_client`.

Prefect's own command, `python -m prefect.engine`, starts a new interpreter that imports
Prefect and Saraban (about 3.5 CPU-s here) before the run does anything. This client imports
nothing heavy: it asks the warm starter of its worker (deployments.warm_start, whose socket is
in SARABAN_WARM_SOCKET) to fork an already-loaded copy that runs the flow run, passes it its own
environment and standard streams, forwards the worker's signals to it, and exits with its code.
Where no warm starter answers (a plain `prefect worker start`), it becomes `prefect.engine` itself.
"""

import json
import os
import signal
import socket
import struct
import sys

SOCKET_VARIABLE = "SARABAN_WARM_SOCKET"
HEADER = struct.Struct("!I")  # a request's length, before the JSON


def warm_command() -> str:
    """This command, as the deployments on the pool give it to the worker. The same installation
    path on every worker machine (a `uv sync` of this project in the same folder) keeps it valid."""
    return f"{sys.executable} -m deployments.warm_client"


def main() -> None:
    path = os.environ.get(SOCKET_VARIABLE, "")
    connection = _connect(path) if path else None
    if connection is None:
        cold_start()
    pid = _request(connection)
    for forwarded in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(forwarded, lambda number, _frame: _forward(pid, number))
    sys.exit(_exit_code(connection))


def cold_start() -> None:
    """Become Prefect's own engine command, as if the worker had run it."""
    os.execv(sys.executable, [sys.executable, "-m", "prefect.engine", *sys.argv[1:]])


def _connect(path: str) -> socket.socket | None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
    except OSError:
        connection.close()
        return None
    return connection


def _request(connection: socket.socket) -> int:
    body = json.dumps({"env": dict(os.environ), "cwd": os.getcwd(), "argv": sys.argv[1:]}).encode()
    socket.send_fds(connection, [HEADER.pack(len(body)) + body], [0, 1, 2])
    return int(_line(connection))


def _exit_code(connection: socket.socket) -> int:
    try:
        return int(_line(connection))
    except ValueError:  # the warm starter died with the run: say so like a killed process
        return 128 + signal.SIGKILL


def _line(connection: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\n"):
        try:
            chunk = connection.recv(64)
        except InterruptedError:
            continue
        if not chunk:
            break
        data += chunk
    return data.decode().strip()


def _forward(pid: int, number: int) -> None:
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    main()
