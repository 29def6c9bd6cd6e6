"""Publication's own check that every signer approved: recomputed from the chained history,
whatever the memo's row, the chain's rows or a flow signal say.

A database writer without the keys could set `memo.status = 'approved'` and `steps_total = 1`
after one approval and insert a flow signal; the flow run would then publish, and sign with the
organisation's key, an announcement only one of three signers approved. Here the route is the
one frozen at submission (models.MemoRoute), each of its steps needs an approval of the latest
revision, and every row relied on must be as an authentic audit entry recorded it
(models.audit.unvouched_rows): rows the writer inserted or edited carry no entry they could make.
"""

from sqlmodel import Session

from models import Decision, Memo, Revision
from models.approvals import approval_gaps, latest_revision, round_decisions, route_of
from models.audit import unvouched_rows
from models.enums import DecisionKind
from models.rules import Refused


def approvals_of_record(session: Session, memo: Memo, revision: Revision) -> list[Decision]:
    """The approvals of every step of the memo's frozen route on `revision`, in step order.
    Refused ("not-approved") when the history does not show them all, saying what is missing."""
    gaps = history_gaps(session, memo, revision)
    if gaps:
        _refuse(memo, gaps)
    return [d for d in round_decisions(session, memo.id, revision.number) if d.kind == DecisionKind.APPROVE]


def history_gaps(session: Session, memo: Memo, revision: Revision) -> list[str]:
    """What keeps the history from showing every step of the route approving `revision` (in
    English, for operators; empty when nothing does)."""
    route = route_of(session, memo.id)
    if route is None:
        return ["it has no frozen route (run `saraban init`)"]
    decisions = round_decisions(session, memo.id, revision.number)
    gaps = approval_gaps(route, decisions, revision.sha256)
    latest = latest_revision(session, memo.id)
    if latest is None or latest.id != revision.id:
        gaps.append("the revision is not the memo's latest")
    if route.organisation_id != memo.organisation_id:
        gaps.append("the memo is not in the organisation it was submitted in")
    rows = [("memoroute", route.id), ("revision", revision.id), *(("decision", d.id) for d in decisions)]
    unvouched = unvouched_rows(session, f"memo:{memo.id}", rows)
    return gaps + [f"{table} {row_id} is not as its audit entry recorded it" for table, row_id in unvouched]


def _refuse(memo: Memo, gaps: list[str]) -> None:
    raise Refused(
        "not-approved",
        "ประวัติการลงนามไม่แสดงว่าทุกขั้นตามเส้นทางอนุมัติฉบับนี้ จึงไม่เผยแพร่ ให้ผู้ดูแลระบบสั่ง saraban audit verify "
        f"(memo {memo.id} is not published: its recorded history does not show every step of its route "
        f"approving this revision: {'; '.join(gaps)}. Run `saraban audit verify`)",
    )
