"""`saraban worker`'s process worker: it runs Saraban's own deployments as Saraban registers them,
and nothing else.

Whoever holds the Prefect credential can create a flow run with job variables of their choosing
(`command`, `env`), change a deployment's entrypoint, pull steps or job variables, add a
deployment to the pool, or change the pool's base job template. Prefect's process worker would
run whatever that says, as the worker's user, on every worker machine: the credential would be a
shell. Before it starts a flow run this worker checks that

- the run overrides no job variable;
- its deployment is one of Saraban's (deployments.work_pool, or prefect.yaml through `prefect
  deploy --all`), with Saraban's entrypoint, the warm client as its only job variable, and no pull
  step but the one `prefect deploy` adds, into this installation's folder;
- the pool's base job template is Prefect's default (`saraban deploy` restores it);
- the command the worker is about to run is the warm client's.

Otherwise the run does not start: Prefect marks it Crashed with the reason, and the worker's log
says it. (A plain `prefect worker start` has no such check: use `saraban worker`.)
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import anyio.abc
from prefect.client.schemas.objects import FlowRun
from prefect.workers.process import ProcessJobConfiguration, ProcessWorker, ProcessWorkerResult

from deployments.warm_client import warm_command
from deployments.work_pool import pooled_deployments


class RefusedFlowRun(RuntimeError):
    """A flow run this worker will not start; the message says why."""


Registered = dict[tuple[str, str], str]  # (flow name, deployment name) -> entrypoint
# The flow run's command: `saraban deploy` registers the first, prefect.yaml the second (with the
# project's environment first on PATH).
COMMANDS = (warm_command(), "python -m deployments.warm_client")
INSTALLATION = Path(__file__).resolve().parents[1]
WORKING_DIRECTORY_STEP = "prefect.deployments.steps.set_working_directory"


def registered_deployments() -> Registered:
    """Saraban's deployments and their entrypoints. Called outside an event loop: inside one,
    Prefect's to_deployment returns a coroutine."""
    return {(d.flow_name, d.name): d.entrypoint or "" for d in pooled_deployments()}


with warnings.catch_warnings():
    # It takes the process worker's place in Prefect's registry of worker types, in this process.
    warnings.simplefilter("ignore", UserWarning)

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
            entrypoint = self._registered.get((flow.name, deployment.name))
            if entrypoint is None:
                return f"{flow.name}/{deployment.name} is not one of Saraban's deployments"
            if deployment.entrypoint != entrypoint:
                return f"its deployment's entrypoint was changed to {deployment.entrypoint!r}"
            if not _only_into_this_installation(deployment.pull_steps or []):
                return "its deployment was given pull steps"
            job_variables = deployment.job_variables or {}
            if set(job_variables) != {"command"} or job_variables["command"] not in COMMANDS:
                return "its deployment's job variables were changed (run `saraban deploy`)"
            if self.work_pool is None or self.work_pool.base_job_template != self.get_default_base_job_template():
                return "the pool's base job template was changed (run `saraban deploy`)"
            if configuration.command not in COMMANDS:
                return "the command to run is not Saraban's"
            return ""


def _only_into_this_installation(steps: list[dict[str, Any]]) -> bool:
    """No pull step, or only the one `prefect deploy` adds: into the folder it ran in, which must
    be this installation's (the same `uv sync` on every worker machine)."""
    if not steps:
        return True
    if len(steps) != 1 or set(steps[0]) != {WORKING_DIRECTORY_STEP}:
        return False
    arguments = steps[0][WORKING_DIRECTORY_STEP]
    return set(arguments) == {"directory"} and Path(str(arguments["directory"])).resolve() == INSTALLATION
