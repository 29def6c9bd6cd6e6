"""The running system on embedded defaults: a Prefect server (unless PREFECT_API_URL names
one), the deployments on the `saraban` process pool with one warm worker (as in production,
on one box), the deliverer of flow signals, the sender of work notices and the daily signer of
chain heads, all stopped when the block ends."""

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from functools import partial

from deployments.environment import configure_prefect, remember_api_url
from deployments.local_server import local_prefect_server, stop_process
from deployments.work_pool import deploy_to_pool
from documents.pdf.office_server import running_office
from services.notices.work_notices import run_forever as send_notices_forever
from services.publication.chain_heads import anchor_forever
from workflows.delivery import run_forever

WORKER_LIMIT = 4  # flow runs at once on one box


@contextmanager
def running_stack(*, deliver: bool = True) -> Iterator[str]:
    """Yields the Prefect API URL once the deployments are registered and their worker is starting."""
    with ExitStack() as stack:
        given_url = os.environ.get("PREFECT_API_URL")
        api_url = given_url or stack.enter_context(local_prefect_server())
        configure_prefect(api_url)  # every thread here, and every subprocess, uses this server
        remember_api_url(api_url)
        stack.callback(remember_api_url, None)
        deploy_to_pool()
        # One LibreOffice for the box: the web app's print previews here, and the flow runs of
        # the worker, which inherits its address.
        stack.enter_context(running_office())
        stack.enter_context(_worker_process())
        if deliver:
            stack.enter_context(deliverer_thread())
            stack.enter_context(notice_sender_thread())
            stack.enter_context(_loop_thread(anchor_forever, "saraban-heads"))  # signed heads, daily
        yield api_url


def deliverer_thread() -> AbstractContextManager[threading.Thread]:
    """The deliverer, which registers the deployments again should the server have lost them."""
    return _loop_thread(partial(run_forever, redeploy=deploy_to_pool), "saraban-deliverer")


def notice_sender_thread() -> AbstractContextManager[threading.Thread]:
    """Sends the immediate notices of work arriving (services.notices.work_notices), beside the deliverer."""
    return _loop_thread(send_notices_forever, "saraban-notices")


@contextmanager
def _loop_thread(loop: Callable[[threading.Event], None], name: str) -> Iterator[threading.Thread]:
    """`loop(stop)` in a thread until the block ends (then it is asked to stop and waited for)."""
    stop = threading.Event()
    thread = threading.Thread(target=loop, args=(stop,), name=name, daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        stop.set()
        thread.join(timeout=30)


@contextmanager
def _worker_process() -> Iterator[subprocess.Popen]:
    log_path = os.environ["PREFECT_HOME"] + "/worker.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "deployments.warm_worker", "--limit", str(WORKER_LIMIT)],
            env=dict(os.environ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        stop_process(process)
