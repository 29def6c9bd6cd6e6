"""`saraban worker`'s process worker (deployments.warm_worker.ResumeSafeProcessWorker): a run
resumed while the worker still holds the slot of its last execution is left for the next poll.
Prefect 3.8.8's own process worker dies of it ("this borrower is already holding one of this
CapacityLimiter's tokens"), which is why `saraban deliver` waits for suspensions to settle unless
told every worker is a `saraban worker` (`--settle-seconds 0`, as `saraban serve` does)."""

import asyncio
import uuid
from types import SimpleNamespace

import anyio
import pytest
from prefect.client.schemas.responses import WorkerFlowRunResponse
from prefect.workers.process import ProcessWorker

from deployments.warm_worker import ResumeSafeProcessWorker


def scheduled(run_id: uuid.UUID) -> WorkerFlowRunResponse:
    return WorkerFlowRunResponse.model_construct(flow_run=SimpleNamespace(id=run_id))


async def submit_while_holding(worker_class: type[ProcessWorker], run_id: uuid.UUID) -> list:
    worker = worker_class(work_pool_name="saraban", limit=4)
    worker._limiter = anyio.CapacityLimiter(4)
    worker._limiter.acquire_on_behalf_of_nowait(run_id)  # its last execution is not reaped yet
    return await worker._submit_scheduled_flow_runs([scheduled(run_id)])


def test_a_run_whose_last_execution_still_holds_a_slot_is_left_for_the_next_poll():
    assert asyncio.run(submit_while_holding(ResumeSafeProcessWorker, uuid.uuid4())) == []


def test_prefects_own_process_worker_dies_of_it():
    """What the class above exists for: if Prefect fixes it, this fails and the class can go."""
    with pytest.raises(RuntimeError, match="already holding"):
        asyncio.run(submit_while_holding(ProcessWorker, uuid.uuid4()))
