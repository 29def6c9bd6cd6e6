"""Running the web app with uvicorn: in the foreground for `saraban serve`, or in a
background thread for tests and benchmarks."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from documents.proofreading import proofread
from models.settings import get_settings

START_TIMEOUT_SECONDS = 30


def run_web(app: FastAPI, host: str, port: int) -> None:
    # The memo form's live preview proofreads as the officer types: load the word lists (about
    # 1 s) before the first request, not during it.
    proofread.warm_up()
    uvicorn.run(app, host=host, port=port, log_level="warning", **proxy_options())


def proxy_options() -> dict:
    """Forwarded headers believed from SARABAN_TRUSTED_PROXIES alone. Uvicorn's default believes
    any connection from 127.0.0.1, so a local user (or a proxy on another machine, whose clients
    would all share its address) could choose the address the login throttle counts."""
    trusted = [address.strip() for address in get_settings().trusted_proxies.split(",") if address.strip()]
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or ""}


@contextmanager
def web_in_background(app: FastAPI, port: int, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve `app` on a thread until the block ends; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", **proxy_options()))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the web app did not start on {host}:{port}")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
