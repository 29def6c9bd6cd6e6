"""The names operators see in the Prefect UI, kept where the flows and their callers agree."""

MEMO_FLOW = "memo-routing"
MEMO_DEPLOYMENT = "memo-routing"
CYCLE_FLOW = "annual-review-cycle"
CYCLE_DEPLOYMENT = "annual-review-cycle"
# A batch of organisations the cycle opens, as a flow run of its own on any worker.
CYCLE_BATCH_FLOW = "annual-review-batch"
CYCLE_BATCH_DEPLOYMENT = "annual-review-batch"


def cycle_batch_deployment_path() -> str:
    return f"{CYCLE_BATCH_FLOW}/{CYCLE_BATCH_DEPLOYMENT}"


def memo_deployment_path() -> str:
    return f"{MEMO_FLOW}/{MEMO_DEPLOYMENT}"


def memo_run_name(memo_id: int, register_number: str) -> str:
    """How an operator finds a memo among flow runs: its id and its register number."""
    return f"memo-{memo_id} {register_number}"


REMINDERS_FLOW = "daily-reminders"
REMINDERS_DEPLOYMENT = "daily-reminders"
