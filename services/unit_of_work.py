"""Running one domain action as one transaction, and logging refusals in the audit trail."""

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session, select

from models import Person, audit
from models.db import session_scope
from models.rules import Refused

T = TypeVar("T")
UNKNOWN_ACTOR = "(unknown user)"


def run_action(
    action: Callable[[Session], T], *, engine: Engine | None, actor: str, name: str, subject: str, via: str
) -> T:
    """Run `action` in one transaction; when the rules refuse it, nothing of it is kept and
    the refusal itself is written to the audit log in a transaction of its own."""
    try:
        with session_scope(engine) as session:
            return action(session)
    except Refused as refusal:
        with session_scope(engine) as session:
            audit.append(
                session,
                actor=known_actor(session, actor),
                action=f"{name}.refused",
                subject=subject,
                data={"code": refusal.code, "reason": refusal.message, "via": via},
            )
        raise


def known_actor(session: Session, actor: str) -> str:
    """The username if someone has it. A name typed where nobody checks it first (the Prefect
    UI's form, the CLI's --as) may be anything, a password included: it is not kept."""
    return actor if session.exec(select(Person.id).where(Person.username == actor)).first() else UNKNOWN_ACTOR
