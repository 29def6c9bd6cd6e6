"""prefect.yaml (for `prefect deploy --all`) and `saraban deploy` register the same deployments:
names, entrypoints, schedules, the work pool and the warm flow-run command."""

from pathlib import Path

import yaml

from deployments.work_pool import POOL, pooled_deployments

PREFECT_YAML = Path(__file__).resolve().parents[2] / "prefect.yaml"


def test_prefect_yaml_describes_the_deployments_saraban_deploy_registers():
    described = {entry["name"]: entry for entry in yaml.safe_load(PREFECT_YAML.read_text())["deployments"]}
    registered = {deployment.name: deployment for deployment in pooled_deployments()}
    assert described.keys() == registered.keys()
    for name, deployment in registered.items():
        entry = described[name]
        assert entry["entrypoint"] == deployment.entrypoint
        assert entry["work_pool"]["name"] == POOL
        # The same command; prefect.yaml names the interpreter on PATH, saraban deploy its own.
        assert entry["work_pool"]["job_variables"]["command"] == "python -m deployments.warm_client"
        assert deployment.job_variables["command"].endswith("python -m deployments.warm_client")
        schedules = [(s["cron"], s["timezone"]) for s in entry.get("schedules", [])]
        assert schedules == [(s.schedule.cron, s.schedule.timezone) for s in deployment.schedules]
