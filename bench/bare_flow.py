"""The baseline: a flow that suspends and resumes as often as a memo does, with no-op tasks."""

from prefect import flow, serve, task
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput

from tasks.caching import once_per_flow_run


class Go(RunInput):
    ref: int


@task(cache_key_fn=once_per_flow_run(), persist_result=True)
def no_op(index: int) -> int:
    return index


@flow(name="bench-bare", persist_result=True)
def bare(waits: int) -> int:
    for index in range(waits):
        no_op(index)
        suspend_flow_run(wait_for_input=Go, key=f"w{index}-a0", timeout=None)
    return waits


if __name__ == "__main__":
    serve(bare.to_deployment(name="bench-bare"), limit=4, print_starting_message=False)
