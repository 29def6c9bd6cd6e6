"""An administrator moves a memo to its chain's current version (ย้ายไปใช้สายการลงนามฉบับปัจจุบัน).

A memo follows the chain version it was submitted under; when the office changed its chain
(a step added, a vacant step taken out), an administrator may put a memo on the new version.
Only before anyone signed in the memo's current round: approvals already given were given on
the old route, and a route is never rewritten under them (after a return, the next round has no
sign-off yet). The move is a new route row from this round on, covered by the audit chain, and
the drafter and the other administrators are told.
"""

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models import Chain, Decision, Memo, MemoRoute, Organisation, Person, audit
from models.approvals import route_of
from models.chain_versions import current_version, latest_version
from models.digits import thai_digits
from models.enums import MemoStatus
from models.rules import Refused
from services.accounts.people import authenticate_by_pin
from services.accounts.security_notices import tell_other_administrators, tell_person
from services.memo_life.endings import NO_REASON
from services.memo_life.frozen_route import add_route
from services.memo_life.memos import check_same_organisation, memo_for_update
from services.outbox.work_arrivals import note_arrival
from services.unit_of_work import run_action

MOVABLE = (MemoStatus.PREPARING, MemoStatus.IN_REVIEW, MemoStatus.RETURNED)
NOT_ADMIN = Refused("not-admin", "เฉพาะผู้ดูแลระบบเท่านั้นที่ย้ายสายการลงนามของบันทึกได้ (only an administrator may move a memo)")


def move_to_current_version(session: Session, *, memo_id: int, username: str, pin: str, reason: str) -> MemoRoute:
    memo = memo_for_update(session, memo_id)
    admin = authenticate_by_pin(session, username, pin)
    check_same_organisation(admin, memo)
    if not admin.is_admin:
        raise NOT_ADMIN
    if not reason.strip():
        raise NO_REASON
    if memo.status not in MOVABLE:
        raise Refused(
            "not-movable",
            "บันทึกนี้ไม่ได้อยู่ระหว่างดำเนินการ จึงย้ายสายการลงนามไม่ได้ "
            f"(memo {memo.id} is {memo.status.value}: only a memo on its way may move)",
        )
    if signed_in_round(session, memo):
        raise Refused(
            "signed-in-round",
            "มีผู้ลงนามในรอบนี้แล้ว ย้ายได้เมื่อเริ่มรอบใหม่หลังส่งคืนแก้ไข หรือยกเลิกเรื่องแล้วเสนอใหม่ "
            "(someone signed in this round already: move it after a return starts a new round, or cancel and resubmit)",
        )
    old = route_of(session, memo.id)
    version = current_version(session, session.get(Chain, memo.chain_id))
    if old is not None and old.chain_version == version.number:
        raise Refused(
            "already-current",
            f"บันทึกนี้ใช้สายการลงนามฉบับที่ {thai_digits(version.number)} ซึ่งเป็นฉบับปัจจุบันอยู่แล้ว "
            f"(memo {memo.id} already follows the chain's current version {version.number})",
        )
    route = add_route(session, memo, version, from_round=memo.round)
    memo.steps_total = len(route.rules())
    session.add(memo)
    note_arrival(session, memo, reason="route-moved")  # the first step's signer may be someone else now
    session.flush()
    was = old.chain_version if old else 0
    audit.append(
        session,
        actor=admin.username,
        action="memo.route.moved",
        subject=f"memo:{memo.id}",
        data={"from_version": was, "to_version": version.number, "round": memo.round, "reason": reason.strip()},
    )
    what = (
        f"ย้ายบันทึก {memo.register_number} เรื่อง {memo.subject} จากสายการลงนามฉบับที่ {thai_digits(was)} "
        f"ไปใช้ฉบับที่ {thai_digits(version.number)} เหตุผล: {reason.strip()}"
    )
    tell_person(
        session,
        session.get(Person, memo.drafter_id),
        "บันทึกของท่านเปลี่ยนสายการลงนาม",
        [f"ผู้ดูแลระบบ {admin.full_name} {what}"],
    )
    tell_other_administrators(
        session, session.get(Organisation, memo.organisation_id), admin.username, "ย้ายสายการลงนามของบันทึก", [what]
    )
    return route


def move_memo(memo_id: int, *, username: str, pin: str, reason: str, via: str, engine: Engine | None = None) -> None:
    """The move in a transaction of its own (a refusal audited)."""
    run_action(
        lambda s: move_to_current_version(s, memo_id=memo_id, username=username, pin=pin, reason=reason),
        engine=engine,
        actor=username,
        name="memo.route.move",
        subject=f"memo:{memo_id}",
        via=via,
    )


@dataclass(frozen=True)
class MemoOnOlderVersion:
    memo_id: int
    register_number: str
    subject: str
    version: int  # the chain version it follows (0: frozen before versions)
    movable: bool  # nobody signed in its round yet


def memos_on_older_versions(session: Session, chain: Chain) -> list[MemoOnOlderVersion]:
    """The chain's memos on their way that follow an older version than the current one."""
    latest = latest_version(session, chain.id) if chain.id else None
    if latest is None:
        return []
    memos = session.exec(
        select(Memo).where(Memo.chain_id == chain.id, col(Memo.status).in_(MOVABLE)).order_by(Memo.id)
    ).all()
    older = []
    for memo in memos:
        route = route_of(session, memo.id)
        version = route.chain_version if route else 0
        if version < latest.number:
            movable = not signed_in_round(session, memo)
            older.append(MemoOnOlderVersion(memo.id, memo.register_number, memo.subject, version, movable))
    return older


def signed_in_round(session: Session, memo: Memo) -> bool:
    statement = select(Decision.id).where(Decision.memo_id == memo.id, Decision.round == memo.round)
    return session.exec(statement).first() is not None
