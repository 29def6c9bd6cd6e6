"""Routing chains: the ordered sign-off steps per organisation and document kind."""

import datetime as dt

from sqlmodel import Field, SQLModel, UniqueConstraint

from models.clock import utcnow
from models.enums import Capacity
from models.rules import ChainDuties, StepRule, rules_of


# The chain a kind of memo climbs in one organisation.
class Chain(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "document_kind"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    document_kind: str  # "announcement"
    name: str = ""
    # Separation of duties (models.rules.ChainDuties): by default the drafter signs no step of
    # their own memo, and nobody signs two steps in a row (004's clerk-as-acting-mayor chain allows it).
    drafter_may_sign: bool = False
    same_signer_consecutive_steps: bool = False

    def duties(self) -> ChainDuties:
        return ChainDuties(self.drafter_may_sign, self.same_signer_consecutive_steps)


# One step of a chain: which position signs and what it may do.
class ChainStep(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("chain_id", "step_index"),)
    id: int | None = Field(default=None, primary_key=True)
    chain_id: int = Field(foreign_key="chain.id", index=True)
    step_index: int  # 0-based order
    position_id: int = Field(foreign_key="position.id")
    may_return: bool = True
    # Comma-separated Capacity values accepted at this step; all of them when empty.
    accepted_capacities: str = ""

    def rule(self) -> StepRule:
        accepted = frozenset(Capacity(c) for c in self.accepted_capacities.split(",") if c) or frozenset(Capacity)
        return StepRule(self.step_index, self.position_id, self.may_return, accepted)


# One saved form of a chain: its steps (in MemoRoute's steps_json form: each step's position and
# rules travel together) and separation of duties. Saving a changed chain adds the next version;
# a memo follows the version it was submitted under (MemoRoute.chain_version), so a chain changes
# while memos are on it. Insert-only, covered by the audit chain.
class ChainVersion(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("chain_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    chain_id: int = Field(foreign_key="chain.id", index=True)
    number: int  # 1, 2, ...
    steps_json: str
    drafter_may_sign: bool
    same_signer_consecutive_steps: bool
    made_by: str  # the administrator's username, or "system" for the version a chain had already
    at: dt.datetime = Field(default_factory=utcnow)

    def rules(self) -> list[StepRule]:
        return rules_of(self.steps_json)

    def duties(self) -> ChainDuties:
        return ChainDuties(self.drafter_may_sign, self.same_signer_consecutive_steps)
