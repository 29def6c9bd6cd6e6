"""The routing chains: each step's position (typed or picked by its Thai title), the capacities
it accepts and whether it may return; saving keeps whatever the form did not change."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import select

from models import Chain, ChainStep, Memo, Organisation
from models.db import read_scope, session_scope
from models.enums import Capacity, MemoStatus
from services.accounts import chain_editing
from services.accounts.chain_editing import StepEdit
from services.errors import BadInput
from web.deps import CurrentUser, FormUser
from web.routes.admin_common import back_to, flash_of, positions_of, render, require_admin

router = APIRouter(include_in_schema=False)
MAX_STEPS = 20
CAPACITY_LABELS = {
    Capacity.SELF: "ในตำแหน่งของตน",
    Capacity.PERFORMING_DUTIES: Capacity.PERFORMING_DUTIES.value,
    Capacity.ACTING_IN_PLACE: Capacity.ACTING_IN_PLACE.value,
    Capacity.ON_BEHALF: Capacity.ON_BEHALF.value,
}


@router.get("/chains", response_class=HTMLResponse)
def chains_page(request: Request, user: CurrentUser, msg: str = "", error: str = "") -> Response:
    require_admin(user)
    with read_scope() as session:
        org_id = user.person.organisation_id
        positions = positions_of(session, org_id)
        titles = {p.id: p.title for p in positions}
        chains = list(session.exec(select(Chain).where(Chain.organisation_id == org_id).order_by(Chain.id))) or [
            Chain(organisation_id=org_id, document_kind="announcement")
        ]
        views = []
        for chain in chains:
            rows = (
                session.exec(
                    select(ChainStep).where(ChainStep.chain_id == chain.id).order_by(ChainStep.step_index)
                ).all()
                if chain.id
                else []
            )
            busy = (
                chain.id is not None
                and session.exec(
                    select(Memo.id).where(Memo.chain_id == chain.id, Memo.status != MemoStatus.PUBLISHED)
                ).first()
                is not None
            )
            views.append(
                {
                    "chain": chain,
                    "busy": busy,
                    "steps": [
                        {
                            "title": titles[r.position_id],
                            "accepted": r.rule().accepted_capacities,
                            "may_return": r.may_return,
                        }
                        for r in rows
                    ],
                }
            )
    return render(
        request,
        user,
        "admin/chains.html",
        {"chains": views, "positions": positions, "capacities": CAPACITY_LABELS, "every_capacity": frozenset(Capacity)},
        here="/admin/chains",
        flash=flash_of(msg, error),
    )


@router.post("/chains")
async def set_chain(request: Request, user: FormUser) -> Response:
    require_admin(user)
    form = await request.form()
    steps = _steps(form)
    kind = str(form.get("document_kind", "announcement"))
    duties = {
        name: (form.get(name) == "true") if f"{name}_shown" in form else None
        for name in ("drafter_may_sign", "same_signer_consecutive_steps")
    }
    try:
        with session_scope() as session:
            changed = chain_editing.set_chain(
                session,
                actor=user.person.username,
                document_kind=kind,
                steps=steps,
                org=session.get(Organisation, user.person.organisation_id),
                **duties,
            )
    except BadInput as error:
        return back_to("/admin/chains", error=str(error))
    return back_to(
        "/admin/chains", msg="บันทึกสายการลงนามแล้ว" if changed else "ไม่มีอะไรเปลี่ยน สายการลงนามเหมือนเดิม (nothing changed)"
    )


def _steps(form) -> list[StepEdit]:  # noqa: ANN001
    """The form's rows in order; a row left without a position is a step removed. A row whose
    capacity boxes were not on the form keeps the step's capacities (None)."""
    count = min(int(form.get("rows", "0") or 0) if str(form.get("rows", "0")).isdigit() else 0, MAX_STEPS)
    steps = []
    for i in range(count):
        name = str(form.get(f"position_{i}", "")).strip()
        if not name:
            continue
        shown = f"capacities_shown_{i}" in form
        accepted = (
            frozenset(Capacity(c) for c in form.getlist(f"capacities_{i}") if c in set(Capacity)) if shown else None
        )
        may_return = (form.get(f"may_return_{i}") == "true") if shown else None
        steps.append(StepEdit(name, accepted, may_return))
    return steps
