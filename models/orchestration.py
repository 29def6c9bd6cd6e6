"""What the database tells the memo's Prefect flow run, and what the run reports back.

`FlowSignal` is a transactional outbox: the transaction that records a person's action also
records, in the same commit, that the memo's flow run has work to do (a new memo to typeset, a
revision, an approval to publish). A deliverer hands pending signals to Prefect after the commit,
so no person's request ever waits on Prefect, and a signal lost in between (Prefect down, a
crash) is still in the table: it is delivered later, exactly when it is pending.
"""

import datetime as dt

from sqlmodel import Field, SQLModel, UniqueConstraint

from models.clock import utcnow


# One piece of work the memo's flow run must be told about; done once the run has done it.
class FlowSignal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    reason: str  # submitted | revised | approved | nudge | prefect-ui
    created_at: dt.datetime = Field(default_factory=utcnow)
    # A deliverer claims a signal until this time, so that two deliverers never send it twice.
    claimed_until: dt.datetime | None = None
    delivered_at: dt.datetime | None = None  # the run was started or resumed for it
    done_at: dt.datetime | None = Field(default=None, index=True)  # the run did the work
    attempts: int = 0  # deliveries so far (a failed or crashed run makes another)
    next_attempt_at: dt.datetime = Field(default_factory=utcnow)  # back-off between attempts
    last_error: str = ""


# The automated proofreading of one revision, made by the flow run for the human proofreader (ทาน).
class ProofreadReport(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("memo_id", "round"),)
    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    round: int
    warnings_json: str  # a JSON list of warnings (see services.memo_life.proofreading)
    created_at: dt.datetime = Field(default_factory=utcnow)
