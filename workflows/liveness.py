"""A busy flow run says it is alive while it works, so the reconciler tells it from a dead one.

A run whose process died (its worker's machine went down, a kill -9) stays Running in Prefect
for ever. The reconciler replaces a Running run that has not been heard of for a while; work
such as publishing runs LibreOffice for tens of seconds, so during work a thread notes the run
alive every few seconds, and a dead run is recognised within a minute instead of several.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from models.db import session_scope
from services.orchestration.flow_work import note_alive

ALIVE_EVERY_SECONDS = 10.0


@contextmanager
def kept_alive(memo_id: int, every_seconds: float = ALIVE_EVERY_SECONDS) -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(
        target=_note_until, args=(memo_id, stop, every_seconds), daemon=True, name=f"memo-{memo_id}-alive"
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _note_until(memo_id: int, stop: threading.Event, every_seconds: float) -> None:
    while not stop.wait(every_seconds):
        try:
            with session_scope() as session:
                note_alive(session, memo_id)
        except Exception:  # noqa: BLE001  (a database hiccup: the next beat tries again)
            continue
