"""Work spread over the work pool's workers: one child flow run of a deployment per batch, each
taken by whichever worker (on whichever machine) has room, and waited for together.

Prefect's own scheduling does the spreading (no queue of our own): the parent creates the child
runs at once and reads their states until every one is final. Each child run carries an
idempotency key made from the parent run and the batch, so a parent that is retried finds its
children instead of making them twice; the batches themselves must be safe to run again (a later
parent run makes new children, which find their work done)."""

import time
from collections.abc import Sequence
from typing import Any

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.runtime import flow_run

# Read every second at first, then less often (every 5 s after about 20 s): a fan-out of
# 8,000 offices lasts minutes, and each read of its runs costs the server (the workers poll it too).
FIRST_POLL_SECONDS, LAST_POLL_SECONDS = 1.0, 5.0
READ_AT_ONCE = 200  # the runs' states read per request (the server's page size)


def run_batches(deployment_path: str, batches: Sequence[dict[str, Any]], *, name: str) -> list[FlowRun]:
    """One child run of `deployment_path` per parameter set in `batches`, waited for; the runs, in
    the order of `batches`, each in a final state (a failed batch does not stop the others)."""
    parent = flow_run.get_id() or "by-hand"
    children = [
        run_deployment(
            deployment_path,
            parameters=parameters,
            timeout=0,  # created and left to the workers; waited for below, all together
            idempotency_key=f"{parent}:{name}:{index}",
            flow_run_name=f"{name} {index + 1}/{len(batches)}",
        )
        for index, parameters in enumerate(batches)
    ]
    return _until_final([child.id for child in children])


def _until_final(run_ids: list) -> list[FlowRun]:
    final: dict = {}
    pause = FIRST_POLL_SECONDS
    with get_client(sync_client=True) as client:
        while len(final) < len(run_ids):
            waiting = [run_id for run_id in run_ids if run_id not in final]
            for start in range(0, len(waiting), READ_AT_ONCE):
                chosen = FlowRunFilter(id=FlowRunFilterId(any_=waiting[start : start + READ_AT_ONCE]))
                for run in client.read_flow_runs(flow_run_filter=chosen, limit=READ_AT_ONCE):
                    if run.state is not None and run.state.is_final():
                        final[run.id] = run
            if len(final) < len(run_ids):
                time.sleep(pause)
                pause = min(pause * 1.2, LAST_POLL_SECONDS)
    return [final[run_id] for run_id in run_ids]
