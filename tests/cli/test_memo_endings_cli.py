"""`saraban memo withdraw`, `saraban memo cancel` and `saraban memo move-route`, as their own processes."""

import json

from sqlmodel import select

from models import Organisation
from models.db import session_scope
from services.accounts.chain_editing import StepEdit, set_chain
from tests.builders import PIN
from tests.cli.conftest import EXAMPLES
from tests.cli.runner import instance_env, instance_process


def test_withdraw_and_cancel_from_the_command_line(saraban):
    memo = ("memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin")
    first = int(saraban(*memo, pin=PIN).stdout.split()[1])
    second = int(saraban(*memo, "--again", pin=PIN).stdout.split()[1])

    refused = saraban("memo", "withdraw", str(first), "--as", "kanokporn", "--reason", "ซ้ำ", "--pin-stdin", pin=PIN)
    assert refused.returncode == 1 and "only the memo's drafter" in refused.stderr
    withdrawn = saraban("memo", "withdraw", str(first), "--as", "somying", "--reason", "ซ้ำ", "--pin-stdin", pin=PIN)
    assert withdrawn.returncode == 0 and "withdrawn" in withdrawn.stdout, withdrawn.stderr
    no_reason = saraban("memo", "cancel", str(second), "--as", "kanokporn", "--reason", " ", "--pin-stdin", pin=PIN)
    assert no_reason.returncode == 1 and "give the reason" in no_reason.stderr
    cancelled = saraban("memo", "cancel", str(second), "--as", "kanokporn", "--reason", "ไม่ใช้", "--pin-stdin", pin=PIN)
    assert cancelled.returncode == 0, cancelled.stderr

    shown = {m["memo_id"]: m["status"] for m in json.loads(saraban("memo", "list", "--json").stdout)}
    assert (shown[first], shown[second]) == ("withdrawn", "cancelled")
    assert json.loads(saraban("audit", "verify", "--json").stdout)["intact"]


def test_move_route_puts_a_memo_on_its_chains_current_version(saraban, tmp_path):
    memo = ("memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin")
    memo_id = int(saraban(*memo, pin=PIN).stdout.split()[1])
    move = ("memo", "move-route", str(memo_id), "--reason", "เพิ่มขั้นตรวจ", "--pin-stdin")
    current = saraban(*move, "--as", "kanokporn", pin=PIN)
    assert current.returncode == 1 and "already follows the chain's current version 1" in current.stderr

    with instance_process(instance_env(tmp_path / "home"), tmp_path), session_scope() as session:
        org = session.exec(select(Organisation)).one()  # an administrator inserts a step on /admin/chains
        titles = ["head-of-office", "admin-officer", "clerk", "mayor"]
        set_chain(
            session, actor="kanokporn", org=org, document_kind="announcement", steps=[StepEdit(t) for t in titles]
        )

    not_admin = saraban(*move, "--as", "somying", pin=PIN)
    assert not_admin.returncode == 1 and "only an administrator may move a memo" in not_admin.stderr
    moved = saraban(*move, "--as", "kanokporn", pin=PIN)
    assert moved.returncode == 0 and "now follows its chain's current version" in moved.stdout, moved.stderr
    shown = json.loads(saraban("memo", "show", str(memo_id), "--json").stdout)
    assert shown["steps_total"] == 4
    assert json.loads(saraban("audit", "verify", "--json").stdout)["intact"]


def test_sign_many_approves_with_one_pin_and_leaves_out_a_memo_changed_since(saraban):
    memo = ("memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin")
    ids = [int(saraban(*memo, *(("--again",) if n else ()), pin=PIN).stdout.split()[1]) for n in range(2)]
    for memo_id in ids:
        for who, stage in (("wanna", "typeset"), ("preecha", "proofread"), ("kanokporn", "check")):
            assert (
                saraban("memo", "stage", str(memo_id), "--stage", stage, "--as", who, "--pin-stdin", pin=PIN).returncode
                == 0
            )
    shown = {
        m["id"]: m["revision_sha256"]
        for m in (json.loads(saraban("memo", "show", str(i), "--json").stdout) for i in ids)
    }
    many = ("memo", "sign-many", *map(str, ids), "--as", "kanokporn", "--pin-stdin")
    wrong = saraban(
        *many, "--revision", f"{ids[0]}:{shown[ids[0]]}", "--revision", f"{ids[1]}:{shown[ids[1]]}", pin="000000"
    )
    assert wrong.returncode == 1 and "wrong signing PIN" in wrong.stderr
    saraban("memo", "withdraw", str(ids[1]), "--as", "somying", "--reason", "ซ้ำ", "--pin-stdin", pin=PIN)
    done = saraban(
        *many, "--revision", f"{ids[0]}:{shown[ids[0]][:12]}", "--revision", f"{ids[1]}:{shown[ids[1]]}", pin=PIN
    )
    assert done.returncode == 3, done.stderr
    assert f"memo {ids[0]}: step 1 approved" in done.stdout and f"memo {ids[1]}: left out (not-now)" in done.stdout
