"""Work arriving: the outbox row written in the transaction that moves a memo to a new wait.

Every action that moves a memo (submit, a stage recorded or returned, a sign-off, a revision)
goes through services.memo_life.memos.move, which calls `note_arrival`; an escalation calls it too. The row
costs one INSERT and never waits on anything: the notice sender (services.notices.work_notices) reads it
after the commit, works out who may act now by the queue's own rules, and notifies them. An
action rolled back takes its arrival with it, so nobody hears of work that never arrived.
"""

from sqlmodel import Session

from models import Memo, WorkArrival
from models.deadlines import WAITING


def wait_key(memo: Memo) -> str:
    """Which wait of the memo this is: a new stage, step, round or status is a new arrival; an
    escalation of the same step is the same wait (its assignee is not told a second time)."""
    return f"{memo.status.value}/{memo.round}/{memo.step}/{memo.stages_done}"


def note_arrival(session: Session, memo: Memo, *, reason: str = "moved") -> WorkArrival | None:
    """Record, in the caller's transaction, that the memo now waits for someone (None when it
    waits for nobody: approved or published)."""
    if memo.status not in WAITING:
        return None
    arrival = WorkArrival(memo_id=memo.id, wait_key=wait_key(memo), reason=reason)
    session.add(arrival)
    return arrival
