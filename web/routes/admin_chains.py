"""The routing chains: each step's position (typed or picked by its Thai title), the capacities
it accepts and whether it may return; steps inserted, moved and removed anywhere; saving keeps
whatever the form did not change and makes the chain's next version. Memos still on an older
version are listed, each movable to the current one.

The form has a row per step and an insertion slot before each step and at the end. A row's
"ลำดับ" moves it. A row (or slot) whose boxes were left as shown takes the rules of the step of
the position it names (or the defaults for a new one): the rules travel with their step, never
stay on a row (retyping titles to insert a step must not move "acting" from the mayor's step to
the clerk's).
"""

from dataclasses import dataclass

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import select

from models import Chain, ChainStep, Organisation
from models.chain_versions import latest_version
from models.db import read_scope, session_scope
from models.enums import Capacity
from models.rules import Refused
from services.accounts import chain_editing
from services.accounts.chain_editing import StepEdit, VacantSteps
from services.errors import BadInput
from services.memo_life.route_move import memos_on_older_versions, move_memo
from web.deps import CurrentUser, FormUser, RowId
from web.routes.admin_common import back_to, flash_of, positions_of, render, require_admin
from web.sessions import SignedIn

router = APIRouter(include_in_schema=False)
MAX_STEPS = 20
CAPACITY_LABELS = {
    Capacity.SELF: "ในตำแหน่งของตน",
    Capacity.PERFORMING_DUTIES: Capacity.PERFORMING_DUTIES.value,
    Capacity.ACTING_IN_PLACE: Capacity.ACTING_IN_PLACE.value,
    Capacity.ON_BEHALF: Capacity.ON_BEHALF.value,
}


@dataclass(frozen=True)
class StepRow:
    """A step as the form shows it, and as it was first shown (`was_*`) to see what was retyped."""

    title: str
    accepted: frozenset[Capacity]
    may_return: bool
    was_title: str
    was_accepted: frozenset[Capacity]
    was_may_return: bool

    @property
    def was_capacities(self) -> str:
        return ",".join(sorted(c.value for c in self.was_accepted))


@dataclass(frozen=True)
class Typed:
    """A refused save of one chain: the rows as typed, the refusal, whether vacant steps are why."""

    document_kind: str
    rows: list[StepRow]
    error: str
    vacant: bool
    drafter_may_sign: bool
    same_signer_consecutive_steps: bool


@router.get("/chains", response_class=HTMLResponse)
def chains_page(request: Request, user: CurrentUser, msg: str = "", error: str = "") -> Response:
    return _page(request, user, flash=flash_of(msg, error))


def _page(
    request: Request,
    user: SignedIn,
    *,
    flash: dict | None = None,
    typed: Typed | None = None,
    move_draft: dict | None = None,
    status_code: int = 200,
) -> Response:
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
            saved = [_row(titles[r.position_id], r.rule().accepted_capacities, r.may_return) for r in rows]
            mine = typed if typed and typed.document_kind == chain.document_kind else None
            latest = latest_version(session, chain.id) if chain.id else None
            views.append(
                {
                    "chain": chain,
                    "saved": saved,
                    "steps": mine.rows if mine else saved,
                    "typed": mine,
                    "version": latest.number if latest else 0,
                    "older": memos_on_older_versions(session, chain),
                }
            )
    return render(
        request,
        user,
        "admin/chains.html",
        {
            "chains": views,
            "positions": positions,
            "capacities": CAPACITY_LABELS,
            "every_capacity": frozenset(Capacity),
            "every_capacity_text": ",".join(sorted(c.value for c in Capacity)),
            "move_draft": move_draft or {"memo_id": 0, "reason": "", "error": ""},
        },
        here="/admin/chains",
        flash=flash,
        status_code=status_code,
    )


def _row(title: str, accepted: frozenset[Capacity], may_return: bool) -> StepRow:
    return StepRow(title, accepted, may_return, title, accepted, may_return)


@router.post("/chains")
async def set_chain(request: Request, user: FormUser) -> Response:
    require_admin(user)
    form = await request.form()
    rows = _rows(form)
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
                steps=[_edit(row) for row in rows],
                org=session.get(Organisation, user.person.organisation_id),
                vacant_confirmed=form.get("vacant_confirmed") == "true",
                **duties,
            )
    except BadInput as error:
        typed = Typed(
            kind,
            rows,
            str(error),
            isinstance(error, VacantSteps),
            bool(duties["drafter_may_sign"]),
            bool(duties["same_signer_consecutive_steps"]),
        )
        return _page(request, user, typed=typed, status_code=400)
    return back_to(
        "/admin/chains", msg="บันทึกสายการลงนามแล้ว" if changed else "ไม่มีอะไรเปลี่ยน สายการลงนามเหมือนเดิม (nothing changed)"
    )


def _rows(form) -> list[StepRow]:  # noqa: ANN001
    """The form's rows with a position, in their "ลำดับ" order (ties: as on the form); a row
    left without a position is a step removed, an empty insertion slot nothing."""
    count = min(int(_number(form.get("rows"), 0)), 2 * MAX_STEPS + 1)
    placed = []
    for i in range(count):
        name = " ".join(str(form.get(f"position_{i}", "")).split())
        if not name:
            continue
        accepted = frozenset(Capacity(c) for c in form.getlist(f"capacities_{i}") if c in set(Capacity))
        was_accepted = frozenset(
            Capacity(c) for c in str(form.get(f"was_capacities_{i}", "")).split(",") if c in set(Capacity)
        )
        row = StepRow(
            name,
            accepted,
            form.get(f"may_return_{i}") == "true",
            " ".join(str(form.get(f"was_{i}", "")).split()),
            was_accepted,
            form.get(f"was_may_return_{i}") == "true",
        )
        order = _number(form.get(f"order_{i}"), _number(form.get(f"slot_order_{i}"), i))
        placed.append((order, i, row))
    return [row for _, _, row in sorted(placed, key=lambda p: (p[0], p[1]))][:MAX_STEPS]


def _edit(row: StepRow) -> StepEdit:
    if (row.accepted, row.may_return) == (row.was_accepted, row.was_may_return):
        # Boxes left as shown (on a step, or a slot's defaults): the rules of the step of the
        # position typed, wherever it was, not what this row happened to show.
        return StepEdit(row.title)
    return StepEdit(row.title, row.accepted, row.may_return)


def _number(value: object, default: float) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        return default
    return number if number == number else default  # not NaN


@router.post("/chains/memos/{memo_id}/move", response_class=HTMLResponse)
def move(
    request: Request, memo_id: RowId, user: FormUser, reason: str = Form("", max_length=2000), pin: str = Form("")
) -> Response:
    """Put a memo on its chain's current version (services.memo_life.route_move)."""
    require_admin(user)
    try:
        move_memo(memo_id, username=user.person.username, pin=pin, reason=reason, via="web")
    except (Refused, BadInput) as refusal:
        message = refusal.message if isinstance(refusal, Refused) else str(refusal)
        draft = {"memo_id": memo_id, "reason": reason, "error": f"ไม่สามารถย้ายได้: {message}"}
        return _page(request, user, move_draft=draft, status_code=403)
    return back_to("/admin/chains", msg="ย้ายบันทึกไปใช้สายการลงนามฉบับปัจจุบันแล้ว (the memo now follows the current version)")
