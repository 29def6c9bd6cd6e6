"""Editing a routing chain without losing what the edit does not touch.

An administrator names each step's position by its Thai title (its code and short title are
accepted too). A step whose capacities or right to return are not given keeps what the step of
that position had, so saving a chain unchanged changes nothing, and changing one step leaves the
others as they were (the mayor step's accepted capacities survive a re-save). Separation-of-duty
rules not given are kept as well.
"""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from models import Chain, ChainStep, Memo, Organisation, Position, audit
from models.enums import ENDED, Capacity, MemoStatus
from services.accounts.security_notices import admin_change_told
from services.errors import BadInput


@dataclass(frozen=True)
class StepEdit:
    """One step as the administrator gave it; None: keep what the step had."""

    position: str  # Thai title, short title or code
    accepted_capacities: frozenset[Capacity] | None = None
    may_return: bool | None = None


@dataclass(frozen=True)
class _Step:
    position_id: int
    accepted: frozenset[Capacity]
    may_return: bool


def position_named(session: Session, org: Organisation, name: str) -> Position:
    """The organisation's position with this Thai title, short title or code."""
    wanted = " ".join(name.split())
    positions = session.exec(select(Position).where(Position.organisation_id == org.id)).all()
    for field in ("title", "code", "short_title"):
        found = [p for p in positions if " ".join(getattr(p, field).split()) == wanted]
        if len(found) == 1:
            return found[0]
    raise BadInput(
        f'ไม่พบตำแหน่ง "{name}" กรุณาเลือกชื่อตำแหน่งจากรายการ '
        f'(unknown position "{name}": choose a position title from the list)'
    )


def capacities_text(accepted: frozenset[Capacity]) -> str:
    """As ChainStep stores it: empty when every capacity is accepted."""
    return "" if accepted == frozenset(Capacity) else ",".join(c.value for c in Capacity if c in accepted)


def set_chain(
    session: Session,
    *,
    actor: str,
    org: Organisation,
    document_kind: str,
    steps: list[StepEdit],
    drafter_may_sign: bool | None = None,
    same_signer_consecutive_steps: bool | None = None,
) -> bool:
    """Make the chain these steps; True when anything changed (then audited), False for a save
    that changes nothing (accepted even while memos move along the chain)."""
    if not steps:
        raise BadInput("สายการลงนามต้องมีอย่างน้อยหนึ่งขั้นตอน (a chain needs at least one step)")
    chain = _chain(session, org, document_kind)
    old_rows = _rows(session, chain)
    was = [_Step(r.position_id, r.accepted_capacities, r.may_return) for r in (row.rule() for row in old_rows)]
    new = _resolve(session, org, steps, was)
    duties = (
        chain.drafter_may_sign if drafter_may_sign is None else drafter_may_sign,
        chain.same_signer_consecutive_steps if same_signer_consecutive_steps is None else same_signer_consecutive_steps,
    )
    if chain.id is not None and new == was and duties == (chain.drafter_may_sign, chain.same_signer_consecutive_steps):
        return False
    _refuse_if_in_use(session, chain)
    _write(session, chain, old_rows, new, duties)
    _log(session, actor, org, chain, new)
    return True


def _chain(session: Session, org: Organisation, document_kind: str) -> Chain:
    chain = session.exec(
        select(Chain).where(Chain.organisation_id == org.id, Chain.document_kind == document_kind)
    ).first()
    return chain or Chain(organisation_id=org.id, document_kind=document_kind)


def _rows(session: Session, chain: Chain) -> list[ChainStep]:
    if chain.id is None:
        return []
    return list(session.exec(select(ChainStep).where(ChainStep.chain_id == chain.id).order_by(ChainStep.step_index)))


def _resolve(session: Session, org: Organisation, steps: list[StepEdit], old: list[_Step]) -> list[_Step]:
    unused = list(old)
    resolved = []
    for index, edit in enumerate(steps):
        position = position_named(session, org, edit.position)
        before = _same_step(old, unused, index, position.id)
        accepted = (
            edit.accepted_capacities
            if edit.accepted_capacities is not None
            else (before.accepted if before else frozenset(Capacity))
        )
        if not accepted:
            raise BadInput(
                f"ขั้นที่ {index + 1}: เลือกฐานะที่ลงนามได้อย่างน้อยหนึ่งฐานะ "
                f"(step {index + 1}: tick at least one capacity a signer may sign in)"
            )
        may_return = edit.may_return if edit.may_return is not None else (before.may_return if before else True)
        resolved.append(_Step(position.id, frozenset(accepted), may_return))
    return resolved


def _same_step(old: list[_Step], unused: list[_Step], index: int, position_id: int) -> _Step | None:
    """The step this one was: the one at the same place if it has the same position, else the
    first not yet matched step of that position (a step moved up or down keeps its settings)."""
    if index < len(old) and old[index].position_id == position_id and old[index] in unused:
        unused.remove(old[index])
        return old[index]
    for step in unused:
        if step.position_id == position_id:
            unused.remove(step)
            return step
    return None


FINISHED = (MemoStatus.PUBLISHED, *ENDED)  # published, or ended unpublished: no longer moving along a chain


def _refuse_if_in_use(session: Session, chain: Chain) -> None:
    if (
        chain.id is not None
        and session.exec(select(Memo.id).where(Memo.chain_id == chain.id, col(Memo.status).not_in(FINISHED))).first()
    ):
        raise BadInput(
            "มีบันทึกที่กำลังเดินตามสายนี้อยู่ เปลี่ยนได้เมื่อเรื่องเหล่านั้นเสร็จแล้ว "
            "(memos are moving along this chain: change it once they are done)"
        )


def _write(
    session: Session, chain: Chain, rows: list[ChainStep], steps: list[_Step], duties: tuple[bool, bool]
) -> None:
    chain.drafter_may_sign, chain.same_signer_consecutive_steps = duties
    session.add(chain)
    session.flush()
    for row in rows[len(steps) :]:
        session.delete(row)
    session.flush()
    for index, step in enumerate(steps):  # rows kept in place: only what differs is written
        row = rows[index] if index < len(rows) else ChainStep(chain_id=chain.id, step_index=index, position_id=0)
        row.position_id, row.may_return = step.position_id, step.may_return
        if index >= len(rows) or row.rule().accepted_capacities != step.accepted:
            row.accepted_capacities = capacities_text(step.accepted)
        session.add(row)


def _log(session: Session, actor: str, org: Organisation, chain: Chain, steps: list[_Step]) -> None:
    codes = {p.id: p.code for p in session.exec(select(Position).where(Position.organisation_id == org.id))}
    audit.append(
        session,
        actor=actor,
        action="admin.chain.set",
        subject=f"organisation:{org.code}",
        data={
            "document_kind": chain.document_kind,
            "steps": [
                {
                    "position": codes[s.position_id],
                    "accepted_capacities": capacities_text(s.accepted),
                    "may_return": s.may_return,
                }
                for s in steps
            ],
            "drafter_may_sign": chain.drafter_may_sign,
            "same_signer_consecutive_steps": chain.same_signer_consecutive_steps,
        },
    )
    admin_change_told(session, org, actor, "chain.set", {"document_kind": chain.document_kind})
