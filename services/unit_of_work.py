"""Running one domain action as one transaction, and logging refusals in the audit trail."""

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from models import audit
from models.db import session_scope
from models.rules import Refused

T = TypeVar("T")


def run_action(action: Callable[[Session], T], *, engine: Engine | None, actor: str, name: str, subject: str, via: str) -> T:
    """Run `action` in one transaction; when the rules refuse it, nothing of it is kept and
    the refusal itself is written to the audit log in a transaction of its own."""
    try:
        with session_scope(engine) as session:
            return action(session)
    except Refused as refusal:
        with session_scope(engine) as session:
            audit.append(session, actor=actor, action=f"{name}.refused", subject=subject,
                         data={"code": refusal.code, "reason": refusal.message, "via": via})
        raise
