"""Deployments on a process work pool, for any number of `prefect worker start --pool saraban`
processes on one or several machines (the production topology; `saraban serve` is the one-box
default). Each worker machine runs the same installed code (`uv sync`), so the entrypoints are
module paths and nothing is pulled; `prefect.yaml` describes the same deployments for
`prefect deploy --all`."""

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate, WorkPoolUpdate
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound
from prefect.workers.process import ProcessWorker

from deployments.definitions import cycle_batch_deployment, cycle_deployment, memo_deployment, reminders_deployment
from deployments.warm_client import warm_command

POOL = "saraban"


def ensure_process_pool(name: str = POOL) -> None:
    """The pool, with Prefect's default base job template: `saraban worker` runs nothing on a pool
    whose template was changed (deployments.guarded_worker), so registering restores it."""
    default = ProcessWorker.get_default_base_job_template()
    with get_client(sync_client=True) as client:
        try:
            if client.read_work_pool(name).base_job_template != default:
                client.update_work_pool(name, WorkPoolUpdate(base_job_template=default))
        except ObjectNotFound:
            try:
                client.create_work_pool(WorkPoolCreate(name=name, type="process", base_job_template=default))
            except ObjectAlreadyExists:
                pass  # a worker made it meanwhile (workers create their pool when it is missing)


def pooled_deployments() -> list[RunnerDeployment]:
    # Flow runs start through the warm client: forked warm under `saraban worker`, Prefect's
    # own engine command under a plain `prefect worker start`.
    options = {"entrypoint_type": EntrypointType.MODULE_PATH, "job_variables": {"command": warm_command()}}
    return [
        memo_deployment(**options),
        cycle_deployment(**options),
        cycle_batch_deployment(**options),
        reminders_deployment(**options),
    ]


def deploy_to_pool(pool: str = POOL) -> list[str]:
    """Register (or update) every deployment on `pool`; the names registered."""
    ensure_process_pool(pool)
    deployments = pooled_deployments()
    for deployment in deployments:
        # apply() registers it as it is; prefect.deploy() would first look for workers on the pool.
        deployment.apply(work_pool_name=pool)
    return [f"{d.flow_name}/{d.name}" for d in deployments]
