"""`saraban worker`'s process worker: it runs Saraban's own deployments as Saraban registers them,
and nothing else.

Whoever holds the Prefect credential can create a flow run with job variables of their choosing
(`command`, `env`), change a deployment's entrypoint, pull steps or job variables, add a
deployment to the pool, or change the pool's base job template. Prefect's process worker would
run whatever that says, as the worker's user, on every worker machine: the credential would be a
shell. Before it starts a flow run this worker checks that

- the run overrides no job variable;
- its deployment is one of Saraban's (deployments.work_pool), with the entrypoint and the job
  variables Saraban registers and no pull step;
- the pool's base job template is Prefect's default (`saraban deploy` restores it);
- the command the worker is about to run is the warm client's.

Otherwise the run does not start: Prefect marks it Crashed with the reason, and the worker's log
says it. (A plain `prefect worker start` has no such check: use `saraban worker`.)
"""

from __future__ import annotations

from typing import Any

import anyio.abc
from prefect.client.schemas.objects import FlowRun
from prefect.workers.process import ProcessJobConfiguration, ProcessWorker, ProcessWorkerResult

from deployments.warm_client import warm_command
from deployments.work_pool import pooled_deployments


class RefusedFlowRun(RuntimeError):
    """A flow run this worker will not start; the message says why."""


Registered = dict[tuple[str, str], tuple[str, dict[str, Any]]]


def registered_deployments() -> Registered:
    """(flow name, deployment name) -> (entrypoint, job variables), as Saraban registers them.
    Outside an event loop: inside one, Prefect's to_deployment returns a coroutine."""
    return {
        (deployment.flow_name, deployment.name): (deployment.entrypoint or "", dict(deployment.job_variables))
        for deployment in pooled_deployments()
    }


class GuardedProcessWorker(ProcessWorker):
    def __init__(self, *, registered: Registered, **options: Any) -> None:
        super().__init__(**options)
        self._registered = registered

    async def run(
        self,
        flow_run: FlowRun,
        configuration: ProcessJobConfiguration,
        task_status: anyio.abc.TaskStatus[int] | None = None,
    ) -> ProcessWorkerResult:
        refusal = await self._refusal(flow_run, configuration)
        if refusal:
            self._logger.warning("refused flow run %s: %s", flow_run.id, refusal)
            raise RefusedFlowRun(f"saraban worker refuses this flow run: {refusal}")
        return await super().run(flow_run, configuration, task_status)

    async def _refusal(self, flow_run: FlowRun, configuration: ProcessJobConfiguration) -> str:
        if flow_run.job_variables:
            return f"it overrides job variables ({', '.join(sorted(flow_run.job_variables))})"
        if flow_run.deployment_id is None:
            return "it belongs to no deployment"
        deployment = await self.client.read_deployment(flow_run.deployment_id)
        flow = await self.client.read_flow(deployment.flow_id)
        registered = self._registered.get((flow.name, deployment.name))
        if registered is None:
            return f"{flow.name}/{deployment.name} is not one of Saraban's deployments"
        entrypoint, job_variables = registered
        if deployment.entrypoint != entrypoint:
            return f"its deployment's entrypoint was changed to {deployment.entrypoint!r}"
        if deployment.pull_steps:
            return "its deployment was given pull steps"
        if (deployment.job_variables or {}) != job_variables:
            return "its deployment's job variables were changed (run `saraban deploy`)"
        if self.work_pool is None or self.work_pool.base_job_template != self.get_default_base_job_template():
            return "the pool's base job template was changed (run `saraban deploy`)"
        if configuration.command != warm_command():
            return "the command to run is not Saraban's"
        return ""
