"""Who may do what, attacked through the `saraban` command: stages, the drafter, the revision signed."""

import json

import yaml

from tests.builders import PIN
from tests.cli.conftest import EXAMPLES
from tests.cli.test_cli import current_revision, staged, submitted

SIGN = ("memo", "sign", "1", "--decision", "approve", "--minute", "โปรดพิจารณา")


def test_the_drafter_may_not_record_a_stage_of_her_own_memo(saraban):
    submitted(saraban)
    result = saraban("memo", "stage", "1", "--stage", "typeset", "--as", "somying", "--pin-stdin", pin=PIN)
    assert result.returncode == 1 and "own memo" in result.stderr
    assert saraban("memo", "stage", "1", "--stage", "typeset", "--as", "wanna", "--pin-stdin", pin=PIN).returncode == 0
    result = saraban("memo", "stage", "1", "--stage", "proofread", "--as", "somying", "--pin-stdin", pin=PIN)
    assert result.returncode == 1 and "own memo" in result.stderr
    stages = [s["stage"] for s in json.loads(saraban("memo", "show", "1", "--json").stdout)["stages"]]
    assert stages == ["ร่าง", "พิมพ์"]


def test_a_position_not_configured_for_a_stage_may_not_record_it(saraban):
    submitted(saraban)
    result = saraban("memo", "stage", "1", "--stage", "typeset", "--as", "phakphum", "--pin-stdin", pin=PIN)
    assert result.returncode == 1 and "may not record พิมพ์" in result.stderr


def test_memo_sign_needs_the_revision_read(saraban):
    submitted(saraban)
    staged(saraban)
    shown = saraban("memo", "show", "1").stdout
    revision = current_revision(saraban)
    assert f"revision: r1 {revision[:12]}" in shown
    missing = saraban(*SIGN, "--as", "kanokporn", "--pin-stdin", pin=PIN)
    assert missing.returncode == 2 and "--revision is required" in missing.stderr
    unknown = saraban(*SIGN, "--as", "kanokporn", "--revision", "0" * 64, "--pin-stdin", pin=PIN)
    assert unknown.returncode == 2 and "has no revision" in unknown.stderr
    assert json.loads(saraban("memo", "show", "1", "--json").stdout)["decisions"] == []
    signed = saraban(*SIGN, "--as", "kanokporn", "--revision", revision[:12], "--pin-stdin", pin=PIN)
    assert signed.returncode == 0 and f"on revision {revision[:12]}" in signed.stdout


def test_memo_sign_in_a_terminal_shows_the_revision_and_asks_for_it(saraban):
    submitted(saraban)
    staged(saraban)
    revision = current_revision(saraban)
    wrong = saraban(*SIGN, "--as", "kanokporn", pin=f"{'f' * 12}\n{PIN}")
    assert revision[:12] in wrong.stdout and wrong.returncode == 2  # shown, and a hash it did not show refused
    typed = saraban(*SIGN, "--as", "kanokporn", pin=f"{revision[:12]}\n{PIN}")
    assert typed.returncode == 0, typed.stderr
    assert json.loads(saraban("memo", "show", "1", "--json").stdout)["decisions"][0]["revision_sha256"] == revision


def test_a_sign_off_on_an_older_revision_is_refused(saraban, tmp_path):
    submitted(saraban)
    staged(saraban)
    first = current_revision(saraban)
    assert saraban(*SIGN, "--as", "kanokporn", "--revision", first, "--pin-stdin", pin=PIN).returncode == 0
    returned = saraban(
        "memo",
        "sign",
        "1",
        "--as",
        "phakphum",
        "--decision",
        "return",
        "--minute",
        "แก้ไข",
        "--revision",
        first,
        "--pin-stdin",
        pin=PIN,
    )
    assert returned.returncode == 0, returned.stderr
    draft = yaml.safe_load((EXAMPLES / "memo-004.yaml").read_text(encoding="utf-8"))
    draft["considerations"] += " และเผยแพร่ทางเว็บไซต์ของเทศบาล"
    (tmp_path / "revised.yaml").write_text(yaml.safe_dump(draft, allow_unicode=True), encoding="utf-8")
    assert (
        saraban(
            "memo",
            "revise",
            "1",
            str(tmp_path / "revised.yaml"),
            "--as",
            "somying",
            "--note",
            "แก้ไขแล้ว",
            "--pin-stdin",
            pin=PIN,
        ).returncode
        == 0
    )
    staged(saraban)
    assert current_revision(saraban) != first
    stale = saraban(*SIGN, "--as", "kanokporn", "--revision", first, "--pin-stdin", pin=PIN)
    assert stale.returncode == 1 and "changed after you opened it" in stale.stderr
