"""`saraban demo`: the whole 004 case, acted by simulated people through the real paths.

The legal officer submits the memo; it is typeset, proofread and checked; the head of office
approves; the clerk returns it with a reason; the officer revises; the stages run again; the
head of office and the clerk approve, and the clerk signs the last step as acting mayor
(ปฏิบัติหน้าที่), as in 004. Each person acts through the domain functions every user goes
through, and the memo's Prefect flow run carries it to publication.
"""

from collections.abc import Callable
from pathlib import Path

import typer
import yaml

from models import Memo
from models.db import session_scope
from models.draft import MemoDraft
from models.enums import Capacity, DecisionKind, Stage
from models.migrate import upgrade
from models.settings import get_settings
from services.accounts.org_loader import load_organisation, read_organisation_file
from services.memo_life.memos import record_stage, revise_memo, submit_memo
from services.memo_life.signoff import SignOffRequest, sign_off
from services.outbox.flow_signals import wait_until_done
from services.publication.memo_view import memo_view
from services.unit_of_work import run_action

EXAMPLE_DIR = Path(__file__).resolve().parent.parent / "examples" / "kokphutsa"
DEMO_PIN = "482915"  # every demo person's signing PIN (examples/kokphutsa/organisation.yaml)
FINISH_TIMEOUT_SECONDS = 300
RETURN_REASON = "ขอให้ระบุช่องทางการเผยแพร่ประกาศให้ครบถ้วน (เว็บไซต์ ปิดประกาศ และสื่อสังคมออนไลน์) ในข้อพิจารณาด้วย"
REVISED_CONSIDERATIONS = (
    " และเผยแพร่ทางเว็บไซต์ของเทศบาล ปิดประกาศ ณ ที่ทำการเทศบาลตำบลโคกพุทรา และสื่อสังคมออนไลน์ของเทศบาล เพื่อให้ประชาชนทราบโดยทั่วกัน"
)


def prepare_database() -> None:
    upgrade(get_settings().resolved_database_url)
    spec = read_organisation_file(EXAMPLE_DIR / "organisation.yaml")
    with session_scope() as session:
        load_organisation(session, spec, actor="demo", demo=True)


def draft_004() -> MemoDraft:
    """The legal officer's memo of seed 004, as shipped in examples/."""
    return MemoDraft.model_validate(yaml.safe_load((EXAMPLE_DIR / "memo-004.yaml").read_text(encoding="utf-8")))


def play_004(say: Callable[[str], None]) -> dict:
    """Act the case out; returns the memo as `memo show` reports it once published. Between
    people, the demo waits for what the flow run does (typeset and proofread, publish) as a
    person would wait for the proofreading report or the public page."""
    draft = draft_004()
    # The demo may be played again on the same instance: the same memo, sent on purpose.
    memo = _act(
        "somying", "memo.submit", lambda s: submit_memo(s, username="somying", pin=DEMO_PIN, draft=draft, again=True)
    )
    say(f"สมหญิง (นิติกร) ส่งบันทึก ที่ {memo.register_number}")
    _flow_work_done(memo.id, say, "จัดพิมพ์และตรวจทานอัตโนมัติแล้ว (typeset and proofread)")
    _prepare(memo.id, say)
    _sign(memo.id, "kanokporn", DecisionKind.APPROVE, "เรียน ปลัดเทศบาล\n- เพื่อโปรดพิจารณา", say)
    _sign(memo.id, "phakphum", DecisionKind.RETURN, RETURN_REASON, say)
    revised = draft.model_copy(update={"considerations": draft.considerations + REVISED_CONSIDERATIONS})
    _act(
        "somying",
        "memo.revise",
        lambda s: revise_memo(
            s,
            memo_id=memo.id,
            username="somying",
            pin=DEMO_PIN,
            draft=revised,
            note="เพิ่มช่องทางการเผยแพร่ตามที่ปลัดเทศบาลสั่งการ",
        ),
    )
    say("สมหญิง แก้ไขบันทึกตามที่ส่งคืน")
    _flow_work_done(memo.id, say, "จัดพิมพ์และตรวจทานฉบับแก้ไขแล้ว (the revision typeset and proofread)")
    _prepare(memo.id, say)
    _sign(memo.id, "kanokporn", DecisionKind.APPROVE, "เรียน ปลัดเทศบาล\n- เพื่อโปรดพิจารณา", say)
    _sign(memo.id, "phakphum", DecisionKind.APPROVE, "เรียน น.ทต.คพ\n- โปรดพิจารณา", say)
    _sign(memo.id, "phakphum", DecisionKind.APPROVE, "- อนุมัติ", say, capacity=Capacity.PERFORMING_DUTIES)
    _flow_work_done(memo.id, say, "เผยแพร่ประกาศแล้ว (published)")
    with session_scope() as session:
        return memo_view(session, memo.id)


def _prepare(memo_id: int, say: Callable[[str], None]) -> None:
    for username, stage in (("wanna", Stage.TYPESET), ("preecha", Stage.PROOFREAD), ("kanokporn", Stage.CHECK)):
        _act(
            username,
            "stage",
            lambda s, u=username, st=stage: record_stage(s, memo_id=memo_id, username=u, pin=DEMO_PIN, stage=st),
        )
        say(f"{username} บันทึกขั้นตอน {stage.value}")


def _sign(
    memo_id: int,
    username: str,
    kind: DecisionKind,
    minute: str,
    say: Callable[[str], None],
    capacity: Capacity | None = None,
) -> None:
    request = SignOffRequest(
        memo_id=memo_id, username=username, pin=DEMO_PIN, decision=kind, minute=minute, via="demo", capacity=capacity
    )
    result = sign_off(request)
    say(f"{username} {kind.value} ขั้นที่ {result.step + 1} ({result.capacity.value}): {minute.splitlines()[-1]}")


def _flow_work_done(memo_id: int, say: Callable[[str], None], what: str) -> None:
    if not wait_until_done([memo_id], FINISH_TIMEOUT_SECONDS)[memo_id]:
        with session_scope() as session:
            problem = session.get(Memo, memo_id).flow_problem
        raise typer.Exit(f"the memo's flow run did not do its work within {FINISH_TIMEOUT_SECONDS} s: {problem or '-'}")
    say(f"  ระบบ: {what}")


def _act(username: str, name: str, action: Callable) -> object:
    return run_action(action, engine=None, actor=username, name=name, subject="demo", via="demo")
