"""The environment Saraban's Prefect processes run in: set before Prefect reads settings."""

import os
from pathlib import Path

from models.settings import get_settings


def prefect_environment(api_url: str | None = None) -> dict[str, str]:
    """Variables for a Prefect server, a runner or a client working for this Saraban home."""
    home = get_settings().home.resolve()
    env = {
        "PREFECT_HOME": str(home / "prefect"),
        # No internet here: telemetry calls would only fail and fill the logs.
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # A resumed memo run is picked up within a second instead of the default ten.
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"),
        # The flow subprocesses must find the same database.
        "SARABAN_HOME": str(home),
        "SARABAN_DATABASE_URL": get_settings().resolved_database_url,
    }
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def apply(env: dict[str, str]) -> None:
    os.environ.update(env)


def prefect_home() -> Path:
    return Path(prefect_environment()["PREFECT_HOME"])
