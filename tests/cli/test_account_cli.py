"""`saraban account` and `org load` as an operator and a person use them, secrets on standard input."""

import json
import sqlite3
import subprocess

import yaml
from argon2 import PasswordHasher

from tests.builders import PIN
from tests.cli.conftest import EXAMPLES
from tests.cli.runner import instance_env, run_saraban
from tests.cli.test_cli import current_revision, staged, submitted

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
NEW_PIN = "739164"


def test_a_pin_typed_in_thai_digits_submits(saraban):  # noqa: F811
    result = saraban(
        "memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin", pin=PIN.translate(THAI)
    )
    assert result.returncode == 0, result.stderr


def test_changing_one_s_own_pin_needs_the_old_one_and_refuses_a_weak_one(saraban):  # noqa: F811
    wrong_old = saraban("account", "pin", "--as", "somying", "--stdin", pin=f"000000\n{NEW_PIN}")
    assert wrong_old.returncode == 1 and "wrong signing PIN" in wrong_old.stderr
    weak = saraban("account", "pin", "--as", "somying", "--stdin", pin=f"{PIN}\n234567")
    assert weak.returncode == 2 and "234567" not in weak.stderr and "run" in weak.stderr
    assert saraban("account", "pin", "--as", "somying", "--stdin", pin=f"{PIN}\n{NEW_PIN}").returncode == 0
    old = saraban("memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin", pin=PIN)
    assert old.returncode == 1
    new = saraban(
        "memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin", pin=NEW_PIN.translate(THAI)
    )
    assert new.returncode == 0, new.stderr


def test_a_reset_pin_must_be_replaced_before_it_signs(saraban):  # noqa: F811
    reset = saraban("account", "reset", "somying", "--what", "pin")
    assert reset.returncode == 0, reset.stderr
    code = reset.stdout.strip().rsplit(" ", 1)[-1]
    refused = saraban("memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin", pin=code)
    assert refused.returncode == 1 and "replace your PIN" in refused.stderr
    assert saraban("account", "pin", "--as", "somying", "--stdin", pin=f"{code}\n{NEW_PIN}").returncode == 0
    submitted_again = saraban(
        "memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin", pin=NEW_PIN
    )
    assert submitted_again.returncode == 0, submitted_again.stderr


def test_a_deactivated_signer_cannot_sign_and_the_clerk_takes_the_step(saraban):  # noqa: F811
    submitted(saraban)
    staged(saraban)
    result = saraban("account", "deactivate", "kanokporn")
    assert result.returncode == 0 and "[1]" in result.stdout
    refused = saraban(
        "memo",
        "sign",
        "1",
        "--as",
        "kanokporn",
        "--decision",
        "approve",
        "--minute",
        "ชอบ",
        "--revision",
        current_revision(saraban),
        "--pin-stdin",
        pin=PIN,
    )
    assert refused.returncode == 1
    queue = json.loads(saraban("memo", "list", "--waiting-for", "phakphum", "--json").stdout)
    assert [item["memo_id"] for item in queue] == [1]
    signed = saraban(
        "memo",
        "sign",
        "1",
        "--as",
        "phakphum",
        "--decision",
        "approve",
        "--minute",
        "ชอบ",
        "--revision",
        current_revision(saraban),
        "--pin-stdin",
        pin=PIN,
    )
    assert signed.returncode == 0, signed.stderr


def test_org_load_refuses_clear_secrets_unless_demo_and_takes_hashes(tmp_path):
    env = instance_env(tmp_path / "home")

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return run_saraban(*args, env=env, cwd=tmp_path, stdin=stdin)

    assert run("init").returncode == 0
    refused = run("org", "load", str(EXAMPLES / "organisation.yaml"))
    assert refused.returncode == 2 and "hash-password" in refused.stderr and "--demo" in refused.stderr
    password_hash = run("account", "hash-password", "--stdin", stdin="somying-own-password\n").stdout.strip()
    pin_hash = run("account", "hash-pin", "--stdin", stdin=f"{NEW_PIN.translate(THAI)}\n").stdout.strip()
    assert run("account", "hash-pin", "--stdin", stdin="111111\n").returncode == 2
    spec = yaml.safe_load((EXAMPLES / "organisation.yaml").read_text(encoding="utf-8"))
    for person in spec["people"]:
        del person["password"], person["pin"]
        person.update(password_hash=password_hash, pin_hash=pin_hash)
    (tmp_path / "real.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    assert run("org", "load", str(tmp_path / "real.yaml")).returncode == 0
    signed = run(
        "memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin", stdin=f"{NEW_PIN}\n"
    )
    assert signed.returncode == 0, signed.stderr


def test_a_pin_hash_written_without_the_pepper_is_refused_and_named_at_init(saraban, tmp_path):  # noqa: F811
    """A database writer sets an unpeppered hash of a PIN they chose: it signs nothing; `init`
    names the account; the operator's reset (on the record) gives the person a one-time code."""
    chosen = "582047"
    with sqlite3.connect(tmp_path / "home" / "saraban.db") as database:
        database.execute("UPDATE person SET pin_hash = ? WHERE username = 'somying'", (PasswordHasher().hash(chosen),))
    memo = ("memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin")
    assert saraban(*memo, pin=chosen).returncode == 1
    init = saraban("init")
    assert init.returncode == 0 and "saraban account reset somying --what pin" in init.stdout
    code = saraban("account", "reset", "somying", "--what", "pin").stdout.split()[-1]
    assert saraban("account", "pin", "--as", "somying", "--stdin", pin=f"{code}\n{NEW_PIN}").returncode == 0
    assert saraban(*memo, pin=NEW_PIN).returncode == 0
    assert "somying" not in saraban("init").stdout


def test_hashes_from_before_the_binding_are_bound_at_init_and_said(saraban, tmp_path):  # noqa: F811
    """An instance upgraded from before 0021 holds peppered hashes not yet bound to anyone:
    refused until `saraban init` binds each to the row that holds it, on the record."""
    with sqlite3.connect(tmp_path / "home" / "saraban.db") as database:
        # Take the binding off (what an earlier release stored): "bound$MAC$" + the peppered hash.
        database.execute(
            "UPDATE person SET pin_hash = substr(pin_hash, instr(substr(pin_hash, 7), '$') + 7) "
            "WHERE username = 'somying'"
        )
        (unbound,) = database.execute("SELECT pin_hash FROM person WHERE username = 'somying'").fetchone()
    assert unbound.startswith("hmac-sha256-pepper$")
    memo = ("memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin")
    assert saraban(*memo, pin=PIN).returncode == 1
    init = saraban("init")
    assert init.returncode == 0 and "to their own accounts, as they stand): somying\n" in init.stdout
    assert saraban(*memo, pin=PIN).returncode == 0
    assert "bound the stored" not in saraban("init").stdout
    assert json.loads(saraban("audit", "verify", "--json").stdout)["intact"]


def test_the_same_memo_sent_twice_within_the_hour_asks_for_again_and_takes_no_number(saraban):  # noqa: F811
    memo = ("memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin")
    first = saraban(*memo, pin=PIN)
    assert first.returncode == 0, first.stderr
    asked = saraban(*memo, pin=PIN)
    assert asked.returncode == 1 and "confirm to send another" in asked.stderr and "add --again" in asked.stderr
    number = first.stdout.split("ที่ ")[1].strip()
    assert number in asked.stderr  # names the memo already sent
    again = saraban(*memo, "--again", pin=PIN)
    assert again.returncode == 0, again.stderr
    assert again.stdout.split("ที่ ")[1].strip() != number
    listed = json.loads(saraban("memo", "list", "--json").stdout)
    assert len(listed) == 2  # the refused one made nothing
