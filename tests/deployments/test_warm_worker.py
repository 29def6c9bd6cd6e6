"""A run resumed while a process worker still holds the slot of its last execution (its process
not yet reaped). Prefect 3.8.8's process worker died of it ("this borrower is already holding one of
this CapacityLimiter's tokens"), so Saraban had its own worker class and `saraban deliver` waited
for suspensions to settle. Prefect 3.9's worker leaves such a run for its next poll: both are gone,
and this test shows the fault is gone with them."""

import asyncio
import uuid
from types import SimpleNamespace

import anyio
from prefect.client.schemas.responses import WorkerFlowRunResponse
from prefect.workers.process import ProcessWorker


def scheduled(run_id: uuid.UUID) -> WorkerFlowRunResponse:
    return WorkerFlowRunResponse.model_construct(flow_run=SimpleNamespace(id=run_id))


async def submit_while_holding(run_id: uuid.UUID) -> tuple[list, anyio.CapacityLimiter]:
    worker = ProcessWorker(work_pool_name="saraban", limit=4)
    worker._limiter = anyio.CapacityLimiter(4)
    worker._limiter.acquire_on_behalf_of_nowait(run_id)  # its last execution is not reaped yet
    return await worker._submit_scheduled_flow_runs([scheduled(run_id)]), worker._limiter


def test_prefects_own_process_worker_leaves_a_run_it_still_holds_for_the_next_poll():
    run_id = uuid.uuid4()
    submitted, limiter = asyncio.run(submit_while_holding(run_id))  # 3.8.8 raised "already holding" here
    assert submitted == []
    assert limiter.statistics().borrowers == (run_id,)  # still only its last execution's slot
