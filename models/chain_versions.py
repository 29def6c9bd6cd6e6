"""A chain's versions (models.ChainVersion): the one in force, and the next one saved.

A memo's route is frozen from its chain's latest version; a chain loaded or set up before
versions existed gets its first version, as its steps stand, the first time one is needed (in
the caller's transaction, whose audit entry covers it).
"""

from sqlmodel import Session, col, select

from models.routing import Chain, ChainStep, ChainVersion
from models.rules import StepRule, steps_json_of

SYSTEM = "system"


def latest_version(session: Session, chain_id: int) -> ChainVersion | None:
    statement = select(ChainVersion).where(ChainVersion.chain_id == chain_id)
    return session.exec(statement.order_by(col(ChainVersion.number).desc())).first()


def current_version(session: Session, chain: Chain) -> ChainVersion:
    """The version in force: the latest saved, or a first one made from the chain's rows."""
    return latest_version(session, chain.id) or add_version(session, chain, live_rules(session, chain.id), SYSTEM)


def add_version(session: Session, chain: Chain, rules: list[StepRule], made_by: str) -> ChainVersion:
    """The next version of `chain`: these steps, and the chain's separation of duties as set now."""
    latest = latest_version(session, chain.id)
    version = ChainVersion(
        chain_id=chain.id,
        number=(latest.number if latest else 0) + 1,
        steps_json=steps_json_of(rules),
        drafter_may_sign=chain.drafter_may_sign,
        same_signer_consecutive_steps=chain.same_signer_consecutive_steps,
        made_by=made_by,
    )
    session.add(version)
    session.flush()
    return version


def live_rules(session: Session, chain_id: int) -> list[StepRule]:
    """The chain's steps as its rows stand (the latest version's, once it has one)."""
    steps = session.exec(select(ChainStep).where(ChainStep.chain_id == chain_id).order_by(ChainStep.step_index))
    return [s.rule() for s in steps]
