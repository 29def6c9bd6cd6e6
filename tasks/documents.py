"""Typesetting the current revision and proofreading it automatically, for the ทาน stage."""

import json

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models import Memo, ProofreadReport, Revision
from models.db import read_scope, session_scope
from services.memo_life.proofreading import proofread_revision
from services.orchestration.flow_work import has_report
from services.printing.rendering import write_memo


@task(name="typeset-and-proofread", cache_policy=NO_CACHE, persist_result=False)
def prepare_revision(memo_id: int, round_no: int) -> int:
    """The memo .docx of this round's revision before any minute, and the automated
    proofreading of the memo and its announcement in the database; the number of warnings."""
    with read_scope() as session:
        memo = session.get(Memo, memo_id)
        revision = session.exec(select(Revision).where(Revision.memo_id == memo_id, Revision.number == round_no)).one()
        write_memo(session, memo, revision, minutes=0)
        warnings = proofread_revision(session, memo, revision)
    _store_report(memo_id, round_no, warnings)
    return len(warnings)


def _store_report(memo_id: int, round_no: int, warnings: list[dict]) -> None:
    try:
        with session_scope() as session:
            if not has_report(session, memo_id, round_no):
                session.add(
                    ProofreadReport(
                        memo_id=memo_id,
                        round=round_no,
                        warnings_json=json.dumps(warnings, ensure_ascii=False, default=str),
                    )
                )
    except IntegrityError:
        pass  # a replacement run stored the same revision's report first: keep that one
