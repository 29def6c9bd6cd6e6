"""SIGTERM as an interrupt, for the long-running commands a service manager stops.

Python's default for SIGTERM ends the process at once: no `finally`, no context manager's exit,
so what the command started (a Prefect server, the warm starter, LibreOffice) and the temporary
folders it made would be left behind. Raised as KeyboardInterrupt, they are stopped and removed
as on Ctrl-C."""

import signal


def stop_on_sigterm() -> None:
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")
