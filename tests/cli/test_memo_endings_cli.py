"""`saraban memo withdraw` and `saraban memo cancel`, as their own processes."""

import json

from tests.builders import PIN
from tests.cli.conftest import EXAMPLES


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
