"""Routing chains: the ordered sign-off steps per organisation and document kind."""

from sqlmodel import Field, SQLModel, UniqueConstraint

from models.enums import Capacity
from models.rules import ChainDuties, StepRule


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
