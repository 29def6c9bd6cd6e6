"""`saraban memo`: submit, record stages (or return at one), sign, revise, show and list memos."""

from pathlib import Path

import typer
from sqlmodel import select

from cli.attach import ATTACH, PUBLISH_ATTACHMENT, forget_given, with_files
from cli.common import domain_errors, print_json, read_pin, read_yaml_model
from models import Memo
from models.db import session_scope
from models.draft import MemoDraft
from models.enums import Capacity, DecisionKind, Stage
from models.rules import Refused
from services.errors import BadInput
from services.memo_life.bulk_signoff import Shown, sign_many
from services.memo_life.endings import end_memo
from services.memo_life.memos import DUPLICATE, SHORT_HASH, record_stage, revise_memo, revision_named, submit_memo
from services.memo_life.proofreading import OpenFindings
from services.memo_life.queue import queue_for
from services.memo_life.route_move import move_memo
from services.memo_life.signoff import SignOffRequest, sign_off
from services.memo_life.stage_return import return_at_stage
from services.memo_life.standing import standing
from services.outbox.flow_signals import memos_needing_work, wait_until_done
from services.printing.announcement_kinds import choices_for
from services.publication.memo_view import memo_view
from services.publication.public import public_organisation
from services.unit_of_work import run_action

app = typer.Typer(help="บันทึกข้อความ (memos)", no_args_is_help=True)
STAGE_NAMES = {
    "typeset": Stage.TYPESET,
    "proofread": Stage.PROOFREAD,
    "check": Stage.CHECK,
    **{s.value: s for s in (Stage.TYPESET, Stage.PROOFREAD, Stage.CHECK)},
}
AS_USER = typer.Option(..., "--as", help="username of the person acting")
PIN_STDIN = typer.Option(False, "--pin-stdin", help="read the signing PIN from standard input")
AS_JSON = typer.Option(False, "--json")


@app.command("submit")
def submit(
    file: Path,
    username: str = AS_USER,
    pin_stdin: bool = PIN_STDIN,
    again: bool = typer.Option(
        False, "--again", help="send it although you sent the same content within the hour (a new register number)"
    ),
    despite_proofreading: bool = typer.Option(
        False,
        "--despite-proofreading",
        help="send it although the automated proofreading found possible misspellings (else they are listed)",
    ),
    attach: list[Path] = ATTACH,
    publish_attachment: list[Path] = PUBLISH_ATTACHMENT,
) -> None:
    """Send a new memo (YAML: examples/kokphutsa/memo-004.yaml) up its chain, with the files given
    as สิ่งที่ส่งมาด้วย. Its flow run is started by the deliverer of `saraban serve` (or `saraban deliver`)."""
    with domain_errors():
        draft = with_files(read_yaml_model(file, MemoDraft), username, attach=attach, publish=publish_attachment)
        try:
            memo = run_action(
                lambda s: submit_memo(
                    s,
                    username=username,
                    pin=read_pin(pin_stdin),
                    draft=draft,
                    again=again,
                    proofread_confirmed=despite_proofreading,
                ),
                engine=None,
                actor=username,
                name="memo.submit",
                subject="memo:new",
                via="cli",
            )
        except OpenFindings as refusal:  # one line each, then how to send as written; no number taken
            for finding in refusal.findings:
                typer.echo(f"  {finding['label']}  [{finding['kind']}] {finding['message']}", err=True)
            raise Refused(
                refusal.code,
                "ยังไม่ได้ส่ง พบคำที่อาจสะกดผิดตามรายการข้างต้น แก้ไขไฟล์ หรือส่งทั้งที่มีคำเหล่านี้ด้วย "
                "--despite-proofreading (not sent: correct the file, or add --despite-proofreading)",
            ) from None
        except Refused as refusal:
            if refusal.code != DUPLICATE:
                raise
            raise Refused(DUPLICATE, f"{refusal.message}: ส่งอีกฉบับด้วย --again (to send another, add --again)") from None
        forget_given(username, draft)
    typer.echo(f"memo {memo.id} submitted: ที่ {memo.register_number}")
    for number, attached in enumerate(draft.attached(), start=1):
        published = " เผยแพร่พร้อมประกาศ (published with the announcement)" if attached.published else ""
        typer.echo(f"  สิ่งที่ส่งมาด้วย {number}. {attached.name} sha256 {attached.sha256[:SHORT_HASH]}{published}")


@app.command("kinds")
def kinds(org_code: str = typer.Option(..., "--org", help="the organisation's code, e.g. kokphutsa")) -> None:
    """The announcements a memo may ask for, by Thai title: write the title as the YAML's
    `announcement: {template: ...}`. The general one takes `general:` with subject, preamble,
    items (text, explanation) and closing: examples/kokphutsa/memo-general.yaml."""
    with domain_errors(), session_scope() as session:
        titles = [c.title for c in choices_for(public_organisation(session, org_code))]
    for title in titles:
        typer.echo(title)


@app.command("stage")
def stage(
    memo_id: int,
    stage_name: str = typer.Option(..., "--stage", help="typeset|proofread|check (พิมพ์|ทาน|ตรวจ)"),
    username: str = AS_USER,
    note: str = typer.Option("", "--note"),
    intended: list[str] = typer.Option(
        [],
        "--intended",
        help="at proofread and check: the key of an open proofreading finding written on purpose (once per finding; "
        "a refusal lists the keys)",
    ),
    pin_stdin: bool = PIN_STDIN,
) -> None:
    """Record a preparation stage on the current revision."""
    with domain_errors():
        chosen = _stage(stage_name)
        run_action(
            lambda s: record_stage(
                s,
                memo_id=memo_id,
                username=username,
                pin=read_pin(pin_stdin),
                stage=chosen,
                note=note,
                intended=intended,
            ),
            engine=None,
            actor=username,
            name="stage",
            subject=f"memo:{memo_id}",
            via="cli",
        )
    typer.echo(f"memo {memo_id}: {chosen.value} recorded")


@app.command("return")
def return_to_drafter(
    memo_id: int,
    stage_name: str = typer.Option(..., "--stage", help="proofread|check (ทาน|ตรวจ)"),
    username: str = AS_USER,
    note: str = typer.Option(..., "--note", help="the corrections the drafter must make"),
    pin_stdin: bool = PIN_STDIN,
) -> None:
    """Instead of confirming ทาน or ตรวจ, send the memo back to its drafter with the corrections."""
    with domain_errors():
        chosen = _stage(stage_name)
        run_action(
            lambda s: return_at_stage(
                s, memo_id=memo_id, username=username, pin=read_pin(pin_stdin), stage=chosen, note=note
            ),
            engine=None,
            actor=username,
            name="stage",
            subject=f"memo:{memo_id}",
            via="cli",
        )
    typer.echo(f"memo {memo_id}: returned to the drafter at {chosen.value}")


@app.command("sign")
def sign(
    memo_id: int,
    username: str = AS_USER,
    decision: DecisionKind = typer.Option(..., "--decision", help="approve | return | disapprove (ends the memo)"),
    minute: str = typer.Option(..., "--minute", help="the minute (เกษียน); the reason for a return or a disapproval"),
    capacity: Capacity | None = typer.Option(None, "--capacity", help="the acting capacity you sign in"),
    step: int | None = typer.Option(None, "--step", help="the step you are deciding (1-based); current if omitted"),
    revision: str | None = typer.Option(
        None,
        "--revision",
        help=(
            "the hash of the revision you read (at least its first 12 characters, as `memo show` prints it); "
            "asked for when omitted in a terminal"
        ),
    ),
    pin_stdin: bool = PIN_STDIN,
) -> None:
    """Approve, return or disapprove the memo at its current step (the same path as the web app). The command
    shows the revision it is about to sign and needs its hash back: you sign what you read."""
    with domain_errors():
        seen = _revision_seen(memo_id, revision, asking=not pin_stdin)
        request = SignOffRequest(
            memo_id=memo_id,
            username=username,
            pin=read_pin(pin_stdin),
            decision=decision,
            minute=minute,
            via="cli",
            capacity=capacity,
            step=None if step is None else step - 1,
            revision_sha256=seen,
        )
        result = sign_off(request)
    again = " (already recorded)" if result.already_recorded else ""
    typer.echo(
        f"memo {memo_id}: step {result.step + 1} {decision.value} as {result.capacity.value} "
        f"on revision {seen[:SHORT_HASH]}{again}"
    )


@app.command("sign-many")
def sign_many_command(
    memo_ids: list[int],
    username: str = AS_USER,
    revision: list[str] = typer.Option(
        [],
        "--revision",
        help="ID:HASH for each memo: the revision you read (at least 12 characters, as `memo show` prints it)",
    ),
    minute: str = typer.Option("", "--minute", help="one minute for every approval (optional)"),
    pin_stdin: bool = PIN_STDIN,
) -> None:
    """Approve several memos with one PIN (the same path as the web's ลงนามหลายเรื่อง). Each memo is
    signed on its own, bound to the revision you name; one that changed since is left out, with
    the reason. A wrong PIN signs none."""
    with domain_errors():
        shown = _shown_many(memo_ids, revision)
        outcomes = sign_many(username, read_pin(pin_stdin), shown, minute=minute, via="cli-bulk")
    for outcome in outcomes:
        if outcome.result is None:
            typer.echo(f"memo {outcome.memo_id}: left out ({outcome.code}): {outcome.reason}")
        else:
            again = " (already recorded)" if outcome.result.already_recorded else ""
            typer.echo(f"memo {outcome.memo_id}: step {outcome.result.step + 1} approved{again}")
    if not all(outcome.signed for outcome in outcomes):
        raise typer.Exit(code=3)


def _shown_many(memo_ids: list[int], given: list[str]) -> list[Shown]:
    named = dict(value.split(":", 1) for value in given if ":" in value)
    missing = [memo_id for memo_id in memo_ids if str(memo_id) not in named]
    if missing:
        raise BadInput(
            "ต้องระบุ --revision ID:HASH ของฉบับที่ท่านอ่านทุกเรื่อง (--revision ID:HASH is required for "
            f"each memo; missing for {', '.join(map(str, missing))}: `saraban memo show ID` prints it)",
            field="revision",
        )
    with session_scope() as session:
        return [
            Shown(memo_id, memo_view(session, memo_id)["step"], revision_named(session, memo_id, named[str(memo_id)]))
            for memo_id in memo_ids
        ]


REASON = typer.Option(..., "--reason", help="why: kept with the memo and shown on it")


@app.command("withdraw")
def withdraw(memo_id: int, username: str = AS_USER, reason: str = REASON, pin_stdin: bool = PIN_STDIN) -> None:
    """The drafter withdraws a memo (ถอนเรื่อง) before any step approved it: it ends, its register
    number stays taken and shows as withdrawn."""
    with domain_errors():
        end_memo("withdraw", memo_id=memo_id, username=username, pin=read_pin(pin_stdin), reason=reason, via="cli")
    typer.echo(f"memo {memo_id}: withdrawn (ถอนเรื่องแล้ว)")


@app.command("cancel")
def cancel(memo_id: int, username: str = AS_USER, reason: str = REASON, pin_stdin: bool = PIN_STDIN) -> None:
    """An administrator cancels a memo on its way (ยกเลิก), before it is published."""
    with domain_errors():
        end_memo("cancel", memo_id=memo_id, username=username, pin=read_pin(pin_stdin), reason=reason, via="cli")
    typer.echo(f"memo {memo_id}: cancelled (ยกเลิกแล้ว)")


@app.command("move-route")
def move_route(memo_id: int, username: str = AS_USER, reason: str = REASON, pin_stdin: bool = PIN_STDIN) -> None:
    """An administrator puts a memo on its chain's current version (before anyone signed in its round)."""
    with domain_errors():
        move_memo(memo_id, username=username, pin=read_pin(pin_stdin), reason=reason, via="cli")
    typer.echo(f"memo {memo_id}: now follows its chain's current version (ย้ายไปใช้สายการลงนามฉบับปัจจุบันแล้ว)")


def _revision_seen(memo_id: int, given: str | None, *, asking: bool) -> str:
    """The full hash of the revision the signer names: from --revision, or typed at a prompt
    after the command shows the current one. Never taken silently from the database."""
    with session_scope() as session:
        view = memo_view(session, memo_id)
        if given is None and not asking:
            raise BadInput(
                f"ต้องระบุ --revision ของฉบับที่ท่านอ่าน (--revision is required with --pin-stdin: "
                f"the revision you read; `saraban memo show {memo_id}` prints the current one)"
            )
        if given is None:
            typer.echo(
                f"{view['register_number']}  {view['subject']}\n"
                f"ฉบับปัจจุบัน (current revision) r{view['round']}: {view['revision_sha256'][:SHORT_HASH]}"
            )
            given = typer.prompt("พิมพ์รหัสฉบับที่ท่านอ่าน (type the revision hash you read)")
        return revision_named(session, memo_id, given)


@app.command("revise")
def revise(
    memo_id: int,
    file: Path,
    username: str = AS_USER,
    note: str = typer.Option(..., "--note", help="what changed, answering the return"),
    pin_stdin: bool = PIN_STDIN,
    attach: list[Path] = ATTACH,
    publish_attachment: list[Path] = PUBLISH_ATTACHMENT,
    drop_attachments: bool = typer.Option(
        False, "--drop-attachments", help="send none of the current revision's files (by default they are kept)"
    ),
) -> None:
    """Answer a return with a new revision; the chain starts again. The current revision's files
    are kept (unless --drop-attachments or the YAML names its own), and --attach adds others."""
    with domain_errors():
        draft = with_files(
            read_yaml_model(file, MemoDraft),
            username,
            attach=attach,
            publish=publish_attachment,
            memo_id=None if drop_attachments else memo_id,
        )
        revision = run_action(
            lambda s: revise_memo(
                s, memo_id=memo_id, username=username, pin=read_pin(pin_stdin), draft=draft, note=note
            ),
            engine=None,
            actor=username,
            name="memo.revise",
            subject=f"memo:{memo_id}",
            via="cli",
        )
        forget_given(username, draft)
    typer.echo(f"memo {memo_id}: revision {revision.number} ({revision.sha256[:12]})")


@app.command("show")
def show(memo_id: int, as_json: bool = AS_JSON) -> None:
    """Where a memo stands, its revisions, stages, minutes and files."""
    with domain_errors(), session_scope() as session:
        view = memo_view(session, memo_id)
    if as_json:
        print_json(view)
        return
    typer.echo(
        f"{view['register_number']}  {view['subject']}\nstatus: {view['status']} (round {view['round']}, "
        f"step {view['step'] + 1}/{view['steps_total']}); may act now: {', '.join(view['waiting_for']) or '-'}"
    )
    announcement = (view["announcement_sha256"] or "cannot be rendered")[:SHORT_HASH]
    typer.echo(f"แบบประกาศ (announcement kind): {view['announcement_kind']}")
    typer.echo(
        f"revision: r{view['round']} {view['revision_sha256'][:SHORT_HASH]} "
        f"(full: {view['revision_sha256']}); announcement text: {announcement}"
    )
    for r in view["stage_returns"]:
        typer.echo(f"  r{r['round']} {r['stage']} returned by {r['by']}: {r['note']}")
    for d in view["decisions"]:
        typer.echo(f"  r{d['round']} step {d['step'] + 1} {d['kind']:7} {d['signer']} ({d['capacity']}): {d['minute']}")
    if view["publication"]:
        typer.echo(f"published: {view['publication']['announcement']}")
    report = view["proofread"]
    typer.echo("proofreading: " + ("being made" if report is None else f"{len(report)} warning(s)"))
    if view["flow_problem"]:
        typer.echo(
            f"PROBLEM since {view['flow_problem_at']:%Y-%m-%d %H:%M} UTC: {view['flow_problem']}\n"
            f"  after fixing the cause: saraban memo nudge {memo_id}",
            err=True,
        )


@app.command("list")
def list_memos(
    waiting_for: str | None = typer.Option(None, "--waiting-for", help="a username: that person's queue"),
    as_json: bool = AS_JSON,
) -> None:
    """All memos, or the ones waiting for one person (รอพิจารณา)."""
    with session_scope() as session:
        if waiting_for:
            rows = [
                dict(item.__dict__, waited_hours=round(item.waited.total_seconds() / 3600, 1))
                for item in queue_for(session, waiting_for)
            ]
        else:
            rows = [
                # where it stands: a published memo whose announcement was cancelled is not "published"
                {
                    "memo_id": m.id,
                    "register_number": m.register_number,
                    "subject": m.subject,
                    "status": standing(session, m),
                }
                for m in session.exec(select(Memo).order_by(Memo.id))
            ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        typer.echo(
            "  ".join(str(row.get(k, "")) for k in ("memo_id", "register_number", "status", "waiting_for", "subject"))
        )


@app.command("nudge")
def nudge(
    memo_ids: list[int] = typer.Argument(None, help="memo ids; default: every memo with a problem or pending work"),
    wait: float = typer.Option(0.0, "--wait", help="seconds to wait for the work to be done"),
) -> None:
    """Retry what failed after a decision: start a new flow run where the old one Failed or
    Crashed, wake a suspended one; each does only the work the database still lacks."""
    from cli.prefect_client import use_configured_prefect  # Prefect loads only for these commands
    from workflows.delivery import nudge as nudge_memos

    with domain_errors():
        use_configured_prefect()
        with session_scope() as session:
            ids = memo_ids or memos_needing_work(session)
            unknown = sorted(set(ids) - set(session.exec(select(Memo.id).where(Memo.id.in_(ids)))))
        if unknown:
            raise BadInput(f"ไม่พบบันทึกเลขที่ {unknown} (no memo with id {unknown})")
        outcomes = nudge_memos(ids)
        done = wait_until_done(ids, wait) if wait else {}
    for memo_id in ids:
        state = "work done" if done.get(memo_id) else outcomes.get(memo_id, "pending")
        typer.echo(f"memo {memo_id}: {state}")


def _stage(name: str) -> Stage:
    if name not in STAGE_NAMES:
        raise BadInput(f"ไม่รู้จักขั้นตอน '{name}' (unknown stage '{name}': use typeset, proofread or check)")
    return STAGE_NAMES[name]
