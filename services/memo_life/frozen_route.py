"""The route a memo follows, frozen when it is submitted (models.MemoRoute) from its chain's
current version (models.ChainVersion).

Sign-off takes each step's rule and the separation of duties from here, publication requires an
approval of every step here (services.publication.approvals), and `audit verify` compares the
memo's mutable row with it. A chain edited later, or a memo row edited out of band, changes
nothing a memo already submitted must go through.
"""

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models import Chain, ChainVersion, Memo, MemoRoute, audit
from models.approvals import route_of
from models.chain_versions import SYSTEM, current_version
from models.db import session_scope
from models.rules import Refused, StepRule

DOCUMENT_KIND = "announcement"  # the chain a memo asking for an announcement follows (Chain.document_kind)


def freeze_route(session: Session, memo: Memo, chain: Chain) -> MemoRoute:
    """The memo's route as the chain's current version has it; in the caller's transaction,
    whose audit entry (the submission's) covers it."""
    return add_route(session, memo, current_version(session, chain), from_round=1)


def add_route(session: Session, memo: Memo, version: ChainVersion, *, from_round: int) -> MemoRoute:
    route = MemoRoute(
        memo_id=memo.id,
        organisation_id=memo.organisation_id,
        chain_id=version.chain_id,
        chain_version=version.number,
        from_round=from_round,
        steps_json=version.steps_json,
        drafter_may_sign=version.drafter_may_sign,
        same_signer_consecutive_steps=version.same_signer_consecutive_steps,
    )
    session.add(route)
    session.flush()
    return route


def required_route(session: Session, memo: Memo) -> MemoRoute:
    """The memo's frozen route; refused when it has none (a memo from before 0019 whose
    instance has not run `saraban init` since)."""
    route = route_of(session, memo.id)
    if route is None:
        raise Refused(
            "no-route",
            "ไม่พบเส้นทางที่บันทึกไว้เมื่อส่งบันทึกนี้ ให้ผู้ดูแลระบบสั่ง saraban init และ saraban audit verify "
            f"(memo {memo.id} has no frozen route: run `saraban init`, then `saraban audit verify`)",
        )
    return route


def current_step_rule(session: Session, memo: Memo) -> StepRule:
    """The rule of the step the memo is at (or would be at), from its route."""
    return step_rule(session, memo, memo.step)


def step_rule(session: Session, memo: Memo, step: int) -> StepRule:
    rules = required_route(session, memo).rules()
    if not 0 <= step < len(rules):
        raise Refused("no-such-step", f"บันทึกนี้ไม่มีขั้นที่ {step + 1} (memo {memo.id} has no step {step + 1})")
    return rules[step]


def freeze_missing_routes(engine: Engine | None = None) -> list[int]:
    """Memos submitted before routes were frozen (migration 0019) get theirs from their chain as
    it stands at the upgrade, each with an audit entry: trust on first use, as for the audit key
    (models.audit). `saraban init` and `saraban serve` call it after migrating; the ids done."""
    with session_scope(engine) as session:
        frozen = select(MemoRoute.memo_id)
        memos = session.exec(select(Memo).where(col(Memo.id).not_in(frozen)).order_by(Memo.id)).all()
        for memo in memos:
            freeze_route(session, memo, session.get(Chain, memo.chain_id))
            audit.append(
                session,
                actor=SYSTEM,
                action="memo.route.frozen",
                subject=f"memo:{memo.id}",
                data={
                    "chain_id": memo.chain_id,
                    "steps": memo.steps_total,
                    "why": "submitted before routes were frozen",
                },
            )
        return [memo.id for memo in memos if memo.id is not None]
