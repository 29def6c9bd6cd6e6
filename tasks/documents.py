"""Writing the memo's documents and running the automated proofreading checks."""

import json

from prefect import task
from sqlmodel import select

from documents.proofread import proofread_docx
from models import Decision, Memo, Organisation, Revision
from models.db import session_scope
from services.rendering import write_memo
from tasks.caching import once_per_flow_run


@task(name="typeset-memo", cache_key_fn=once_per_flow_run(), persist_result=True)
def typeset_memo(memo_id: int, round_no: int) -> str:
    """The memo .docx of this round's revision, before any minute."""
    with session_scope() as session:
        memo = session.get(Memo, memo_id)
        return str(write_memo(session, memo, _revision(session, memo_id, round_no), minutes=0).path)


@task(name="render-memo-with-minutes", cache_key_fn=once_per_flow_run(), persist_result=True)
def render_memo_after(memo_id: int, decision_id: int) -> str:
    """The memo re-rendered after a decision, carrying the minutes up to and including it."""
    with session_scope() as session:
        memo = session.get(Memo, memo_id)
        decision = session.get(Decision, decision_id)
        revision = _revision(session, memo_id, decision.round)
        return str(write_memo(session, memo, revision, minutes=decision.step_index + 1).path)


@task(name="proofread-memo", cache_key_fn=once_per_flow_run(), persist_result=True)
def proofread_memo(memo_id: int, round_no: int, memo_path: str) -> int:
    """Automated checks for the human proofreader (ทาน); the report sits beside the .docx."""
    with session_scope() as session:
        memo = session.get(Memo, memo_id)
        prefix = session.get(Organisation, memo.organisation_id).register_prefix
    warnings = proofread_docx(memo_path, register_prefix=prefix)
    report = [w.__dict__ for w in warnings]
    with open(f"{memo_path.removesuffix('.docx')}.proofread.json", "w", encoding="utf-8") as handle:
        json.dump(report, handle, ensure_ascii=False, indent=1)
    return len(report)


def _revision(session, memo_id: int, round_no: int) -> Revision:  # noqa: ANN001
    return session.exec(select(Revision).where(Revision.memo_id == memo_id, Revision.number == round_no)).one()
