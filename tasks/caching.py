"""Task results are kept per flow run, so re-running a memo's flow from the top after each
resume returns every finished task's stored result instead of doing its work again."""

import hashlib
from collections.abc import Callable
from typing import Any

from prefect.context import TaskRunContext

from models.audit import canonical_json


def once_per_flow_run(*, ignoring: tuple[str, ...] = ()) -> Callable[[TaskRunContext, dict[str, Any]], str]:
    """A cache key of the flow run, the task and its arguments (except those `ignoring` names,
    such as a form holding a PIN, which must not end up in a key)."""

    def key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
        kept = {name: value for name, value in parameters.items() if name not in ignoring}
        raw = f"{context.task_run.flow_run_id}|{context.task.name}|{canonical_json(kept)}"
        return hashlib.sha256(raw.encode()).hexdigest()

    return key
