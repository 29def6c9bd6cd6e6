"""Serve the deployments in this process until stopped: `python -m deployments.runner`.

Each flow run, and each resume of a suspended one, runs in a subprocess of this runner.
"""

from prefect import serve

from deployments.definitions import cycle_deployment, memo_deployment, reminders_deployment


def serve_deployments() -> None:
    # Schedules stay active when the runner stops: the next `saraban serve` picks them up.
    serve(memo_deployment(), cycle_deployment(), reminders_deployment(), limit=4, pause_on_shutdown=False, print_starting_message=False)


if __name__ == "__main__":
    serve_deployments()
