"""Memos and what happens to them: the route frozen at submission, revisions, preparation stages,
decisions, stage returns.

Routes, revisions, stage records, decisions and stage returns are insert-only (database triggers refuse
UPDATE and DELETE on them, see the migrations): the history of a memo is never rewritten.
"""

import datetime as dt

from sqlmodel import Field, Index, SQLModel, UniqueConstraint

from models.clock import utcnow
from models.enums import Capacity, DecisionKind, MemoStatus, Stage, stored_as_value
from models.rules import ChainDuties, Progress, StepRule, rules_of


# A memo (บันทึกข้อความ) and the announcement it asks for, with where it stands now.
class Memo(SQLModel, table=True):
    __table_args__ = (Index("uq_memo_drafter_submission_key", "drafter_id", "submission_key", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    chain_id: int = Field(foreign_key="chain.id")
    drafter_id: int = Field(foreign_key="person.id", index=True)
    subject: str
    register_number: str  # "อท ๕๓๗๐๑.๔/๓๐"
    fiscal_year: int  # Buddhist Era, e.g. 2570
    status: MemoStatus = Field(sa_type=stored_as_value(MemoStatus), index=True)
    round: int = 1
    step: int = 0  # the sign-off step waited for while in review
    steps_total: int
    stages_done: str = "ร่าง"  # comma-separated Stage values on the current revision
    flow_run_id: str = ""  # the Prefect run that orchestrates this memo
    flow_runs: int = 0  # runs created so far: a new one replaces a Failed or Crashed run
    flow_wait_key: str = ""  # the pause key the run last suspended at (to read a Prefect UI answer)
    flow_seen_at: dt.datetime | None = None  # the run's last sign of life (it is busy since then)
    # What went wrong after a decision (a render error, a crashed run), in words for the people
    # concerned; empty when the flow run is healthy. `saraban memo nudge` retries.
    flow_problem: str = ""
    flow_problem_at: dt.datetime | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)  # when it reached where it stands
    due_at: dt.datetime | None = None  # when the wait it stands at is due (official working days)
    # The one-time key of the form or API request that submitted it: the same key again finds
    # this memo instead of making a second one (a double click, a retried POST).
    submission_key: str | None = None
    # What the memo asks for (models.document_kinds): "announcement" for every memo before 0030.
    # Kept here, from the draft, so that lists and the sign form say ทราบ for a report memo
    # without reading its revision; a revision cannot change it.
    document_kind: str = "announcement"

    def progress(self) -> Progress:
        stages = tuple(Stage(s) for s in self.stages_done.split(",") if s)
        return Progress(self.status, self.round, stages, self.step, self.steps_total)

    def move_to(self, progress: Progress, at: dt.datetime) -> None:
        self.status = progress.status
        self.round = progress.round
        self.step = progress.step
        self.stages_done = ",".join(progress.stages_done)
        self.updated_at = at


# The route a memo was submitted on: its organisation, its chain, and that chain's steps and
# separation of duties as they stood, frozen. Sign-off reads its rules from here, publication
# requires an approval of every step here, and `audit verify` compares the memo's row with it: the
# route cannot be changed through the memo's row or the chain's (both are mutable state), only
# by writing history the audit chain would not cover.
#
# A memo has the route frozen at submission, and one more per move to a newer version of its
# chain (services.memo_life.route_move), made before anyone signed in the round it was made in
# (`from_round`). The route in force is the latest row.
class MemoRoute(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    chain_id: int = Field(foreign_key="chain.id")
    # The chain's version (models.ChainVersion.number) these steps are; 0 for a route frozen
    # before chains had versions.
    chain_version: int = 0
    from_round: int = 1
    # [{"index", "position_id", "may_return", "accepted_capacities": [Capacity values]}]
    steps_json: str
    drafter_may_sign: bool
    same_signer_consecutive_steps: bool
    at: dt.datetime = Field(default_factory=utcnow)

    def rules(self) -> list[StepRule]:
        return rules_of(self.steps_json)

    def duties(self) -> ChainDuties:
        return ChainDuties(self.drafter_may_sign, self.same_signer_consecutive_steps)


# One immutable version of the memo's content; a return leads to a new one.
class Revision(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("memo_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    number: int  # equals the memo round it belongs to
    content_json: str  # canonical JSON of the memo and announcement fields
    sha256: str
    author_id: int = Field(foreign_key="person.id")
    note: str = ""  # what the drafter changed, for a revision after a return
    created_at: dt.datetime = Field(default_factory=utcnow)


# Who did a preparation stage (ร่าง/พิมพ์/ทาน/ตรวจ) on which revision, and when.
class StageRecord(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("memo_id", "round", "stage"),)
    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    round: int
    revision_id: int = Field(foreign_key="revision.id")
    stage: Stage = Field(sa_type=stored_as_value(Stage))
    person_id: int = Field(foreign_key="person.id")
    note: str = ""
    at: dt.datetime = Field(default_factory=utcnow)


# One sign-off: approve or return, with the minute, the signer and the capacity.
class Decision(SQLModel, table=True):
    # One decision per step and round: a double submission cannot make two.
    __table_args__ = (UniqueConstraint("memo_id", "round", "step_index"),)
    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    round: int
    step_index: int
    position_id: int = Field(foreign_key="position.id")  # the position the step belongs to
    kind: DecisionKind = Field(sa_type=stored_as_value(DecisionKind))
    minute: str
    signer_id: int = Field(foreign_key="person.id")
    capacity: Capacity = Field(sa_type=stored_as_value(Capacity))
    delegation_id: int | None = Field(default=None, foreign_key="delegation.id")
    revision_sha256: str  # the exact revision approved or returned
    # SHA-256 of the announcement's words as they would be published when the signer decided
    # (services.printing.rendering.announcement_text_sha256): publication refuses any other text.
    # Empty on decisions recorded before it was kept.
    announcement_sha256: str = ""
    # The position whose title prints under a signer in their own name: the step's position, or
    # for an escalated step the signer's own position it was escalated to. None for a delegate
    # (and on decisions recorded before it was kept: the step's position then).
    signed_as_position_id: int | None = None
    # The signature block as it printed when the signer decided (JSON of documents.context.Signatory
    # and the step's title): documents and public pages print this, never today's person and
    # position rows, which may be renamed later. Empty on decisions recorded before it was kept.
    printed_as: str = ""
    # A sign-off soon after an administrator reset the signer's password or PIN (within
    # SARABAN_RESET_WATCH_HOURS): JSON {"by", "at", "what"} of that reset, shown with the decision
    # on the memo, in the audit log and in the evidence. Empty otherwise.
    after_reset: str = ""
    at: dt.datetime = Field(default_factory=utcnow)


# A memo withdrawn by its drafter or cancelled by an administrator: who, why, in which round.
# Insert-only, one per memo, covered by the audit chain (a disapproval is its decision row).
class MemoEnding(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("memo_id"),)
    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id")
    kind: str  # MemoStatus.WITHDRAWN or MemoStatus.CANCELLED, as its value
    round: int
    person_id: int = Field(foreign_key="person.id")
    reason: str
    at: dt.datetime = Field(default_factory=utcnow)


# The proofreader (ทาน) or the checker (ตรวจ) sends the memo back to its drafter with the
# corrections to make, instead of confirming the stage: the round ends as after a sign-off return.
class StageReturn(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("memo_id", "round"),)  # a return ends its round: one per round
    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    round: int
    revision_id: int = Field(foreign_key="revision.id")
    stage: Stage = Field(sa_type=stored_as_value(Stage))  # the stage that returned it: ทาน or ตรวจ
    person_id: int = Field(foreign_key="person.id")
    note: str  # the corrections, for the drafter
    revision_sha256: str  # the exact revision returned
    at: dt.datetime = Field(default_factory=utcnow)
