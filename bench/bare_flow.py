"""The baseline: a flow that wakes as often as a memo's does, with a no-op task and nothing
else, and goes straight to its next wait each time (no replay), as the memo flow does."""

from prefect import flow, serve, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput


class Go(RunInput):
    ref: int


@task(cache_policy=NO_CACHE, persist_result=False)
def no_op(index: int) -> int:
    return index


@flow(name="bench-bare", persist_result=False)
def bare(wakes: int) -> int:
    executions = FlowRunContext.get().flow_run.run_count  # 1 when started, +1 per resume
    no_op(executions)
    if executions < wakes:
        suspend_flow_run(wait_for_input=Go, key=f"w{executions}", timeout=None)
    return executions


if __name__ == "__main__":
    serve(bare.to_deployment(name="bench-bare"), limit=4, print_starting_message=False)
