"""The `saraban` command as scripts and people use it: output, exit codes, errors that say what to fix."""

import dataclasses
import json
import subprocess

import pytest
import yaml
from sqlalchemy import text

from documents.docx.memo import build_memo_docx
from documents.text.sample_004 import memo_004
from models.db import make_engine
from tests.builders import PIN
from tests.cli.conftest import EXAMPLES, ROOT, SARABAN
from tests.cli.runner import instance_env

SEEDS = ROOT.parent / "shared" / "seeds"


def submitted(saraban) -> None:
    result = saraban("memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin", pin=PIN)
    assert result.returncode == 0, result.stderr
    assert "ที่ อท ๕๓๗๐๑.๔/๑" in result.stdout


def staged(saraban) -> None:
    for user, stage in (("wanna", "typeset"), ("preecha", "ทาน"), ("kanokporn", "check")):
        result = saraban("memo", "stage", "1", "--stage", stage, "--as", user, "--pin-stdin", pin=PIN)
        assert result.returncode == 0, result.stderr


def current_revision(saraban) -> str:
    return json.loads(saraban("memo", "show", "1", "--json").stdout)["revision_sha256"]


def test_a_memo_from_submission_to_the_first_sign_off(saraban):
    submitted(saraban)
    staged(saraban)
    queue = json.loads(saraban("memo", "list", "--waiting-for", "kanokporn", "--json").stdout)
    assert [item["memo_id"] for item in queue] == [1]
    assert json.loads(saraban("memo", "list", "--waiting-for", "phakphum", "--json").stdout) == []
    result = saraban(
        "memo",
        "sign",
        "1",
        "--as",
        "kanokporn",
        "--decision",
        "approve",
        "--minute",
        "โปรดพิจารณา",
        "--revision",
        current_revision(saraban)[:12],
        "--pin-stdin",
        pin=PIN,
    )
    assert result.returncode == 0, result.stderr
    view = json.loads(saraban("memo", "show", "1", "--json").stdout)
    assert (view["status"], view["step"], view["waiting_for"]) == ("in_review", 1, ["phakphum"])
    assert [(d["signer"], d["minute"]) for d in view["decisions"]] == [("kanokporn", "โปรดพิจารณา")]


def test_the_proofreader_returns_a_memo_to_its_drafter(saraban):
    submitted(saraban)
    result = saraban("memo", "stage", "1", "--stage", "typeset", "--as", "wanna", "--pin-stdin", pin=PIN)
    assert result.returncode == 0, result.stderr
    result = saraban(
        "memo",
        "return",
        "1",
        "--stage",
        "proofread",
        "--as",
        "preecha",
        "--note",
        "แก้คำว่า โอกาศ",
        "--pin-stdin",
        pin=PIN,
    )
    assert result.returncode == 0, result.stderr
    view = json.loads(saraban("memo", "show", "1", "--json").stdout)
    assert (view["status"], view["waiting_for"]) == ("returned", ["somying"])
    assert [(r["stage"], r["by"], r["note"]) for r in view["stage_returns"]] == [("ทาน", "preecha", "แก้คำว่า โอกาศ")]


@pytest.mark.parametrize("user, pin", [("kanokporn", "000000"), ("phakphum", PIN)])
def test_a_refused_sign_off_exits_1_with_the_reason(saraban, user, pin):
    submitted(saraban)
    staged(saraban)
    result = saraban(
        "memo",
        "sign",
        "1",
        "--as",
        user,
        "--decision",
        "approve",
        "--minute",
        "ชอบ",
        "--revision",
        current_revision(saraban),
        "--pin-stdin",
        pin=pin,
    )
    assert result.returncode == 1
    assert "refused" in result.stderr
    assert json.loads(saraban("memo", "show", "1", "--json").stdout)["decisions"] == []


def test_bad_input_exits_2_and_names_what_to_fix(saraban, tmp_path):
    broken = yaml.safe_load((EXAMPLES / "memo-004.yaml").read_text(encoding="utf-8"))
    del broken["subject"]
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    result = saraban("memo", "submit", str(tmp_path / "broken.yaml"), "--as", "somying", "--pin-stdin", pin=PIN)
    assert result.returncode == 2 and "subject" in result.stderr
    assert saraban("org", "load", str(EXAMPLES / "organisation.yaml")).returncode == 2
    assert saraban("memo", "show", "42").returncode == 2
    submitted(saraban)
    wrong_stage = saraban("memo", "stage", "1", "--stage", "typo", "--as", "wanna", "--pin-stdin", pin=PIN)
    assert wrong_stage.returncode == 2 and "typeset" in wrong_stage.stderr


def test_a_memo_naming_another_issuing_authority_is_refused(saraban, tmp_path):
    other = yaml.safe_load((EXAMPLES / "memo-004.yaml").read_text(encoding="utf-8"))
    other["announcement"]["data"] = {"organisation_name": "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ"}
    (tmp_path / "other.yaml").write_text(yaml.safe_dump(other, allow_unicode=True), encoding="utf-8")
    result = saraban("memo", "submit", str(tmp_path / "other.yaml"), "--as", "somying", "--pin-stdin", pin=PIN)
    assert result.returncode == 2 and "organisation_name" in result.stderr and "ชื่อหน่วยงาน" in result.stderr
    assert saraban("memo", "show", "1").returncode == 2  # nothing was sent


def test_audit_verify_fails_after_a_row_is_edited(saraban, tmp_path):
    submitted(saraban)
    assert saraban("audit", "verify").returncode == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'home' / 'saraban.db'}")
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER auditentry_no_update"))
        connection.execute(text("UPDATE auditentry SET actor = 'mallory' WHERE seq = 1"))
    engine.dispose()
    result = saraban("audit", "verify", "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["intact"] is False


def test_audit_verify_names_an_edited_decision_and_proves_a_published_head(saraban, tmp_path):
    submitted(saraban)
    staged(saraban)
    assert (
        saraban(
            "memo",
            "sign",
            "1",
            "--as",
            "kanokporn",
            "--decision",
            "approve",
            "--minute",
            "โปรดพิจารณา",
            "--revision",
            current_revision(saraban)[:12],
            "--pin-stdin",
            pin=PIN,
        ).returncode
        == 0
    )
    intact = saraban("audit", "verify", "--json")
    assert intact.returncode == 0, intact.stdout
    head = json.loads(intact.stdout)["head"]
    assert saraban("audit", "verify", "--head", head[:30]).returncode == 0
    malformed = saraban("audit", "verify", "--head", "12:xyz")
    assert malformed.returncode == 2 and "SEQ:HASH" in malformed.stderr
    engine = make_engine(f"sqlite:///{tmp_path / 'home' / 'saraban.db'}")
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER decision_no_update"))
        connection.execute(text("UPDATE decision SET minute = 'อนุมัติ' WHERE id = 1"))
    engine.dispose()
    broken = saraban("audit", "verify")
    assert broken.returncode == 1
    assert "decision 1: changed since audit entry" in broken.stderr


def test_proofread_reports_the_seed_typo_and_exits_by_its_findings(saraban, tmp_path):
    result = saraban("proofread", str(SEEDS / "000_a8dc8e9588bae7fa.txt"), "--json")
    assert result.returncode == 1
    assert "ปิดประกาศ" in [w["suggestion"] for w in json.loads(result.stdout)]
    clean = tmp_path / "clean.txt"
    clean.write_text("จึงประกาศมาให้ทราบด้วยทั่วกัน\n", encoding="utf-8")
    assert saraban("proofread", str(clean)).returncode == 0
    assert saraban("proofread", str(tmp_path / "missing.txt")).returncode == 2


def test_a_subject_too_long_for_a_document_is_refused_at_the_door(saraban, tmp_path):
    # A 256-character subject once failed the .docx render after every signature: refused now,
    # before a register number is taken.
    draft = yaml.safe_load((EXAMPLES / "memo-004.yaml").read_text(encoding="utf-8"))
    draft["subject"] = "ก" * 256
    draft["facts"] = "ข้อเท็จจริง\x0bที่มีอักขระควบคุม"
    (tmp_path / "long.yaml").write_text(yaml.safe_dump(draft, allow_unicode=True), encoding="utf-8")
    result = saraban("memo", "submit", str(tmp_path / "long.yaml"), "--as", "somying", "--pin-stdin", pin=PIN)
    assert result.returncode == 2
    assert "subject: ยาวเกินไป ไม่เกิน ๒๕๐ ตัวอักษร (too long: at most 250 characters)" in result.stderr
    assert "facts: มีอักขระควบคุม" in result.stderr and "control character" in result.stderr
    assert json.loads(saraban("memo", "list", "--json").stdout) == []
    submitted(saraban)  # the first memo still gets register number 1


def test_proofread_names_the_part_and_sentence_of_a_memo_docx(saraban, tmp_path):
    ctx = memo_004()
    memo = tmp_path / "memo.docx"
    memo.write_bytes(build_memo_docx(dataclasses.replace(ctx, facts=ctx.facts.replace("โอกาส", "โอกาศ"))))
    result = saraban("proofread", str(memo))
    assert result.returncode == 1
    (line,) = result.stdout.splitlines()
    assert " ข้อเท็จจริง ย่อหน้าที่ 1: “" in line and "[spelling] 'โอกาศ' -> โอกาส" in line


def test_the_kinds_are_listed_by_thai_title_and_a_general_announcement_is_submitted_by_title(saraban, tmp_path):
    kinds = saraban("memo", "kinds", "--org", "kokphutsa")
    assert kinds.returncode == 0, kinds.stderr
    assert kinds.stdout.splitlines() == [
        "ประกาศทั่วไป (เขียนเรื่องและข้อความเอง)",
        "มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน",
    ]
    result = saraban("memo", "submit", str(EXAMPLES / "memo-general.yaml"), "--as", "somying", "--pin-stdin", pin=PIN)
    assert result.returncode == 0, result.stderr
    shown = saraban("memo", "show", "1")
    assert "แบบประกาศ (announcement kind): ประกาศทั่วไป (เขียนเรื่องและข้อความเอง)" in shown.stdout
    by_title = yaml.safe_load((EXAMPLES / "memo-004.yaml").read_text())
    by_title["announcement"]["template"] = "มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน"
    (tmp_path / "by-title.yaml").write_text(yaml.safe_dump(by_title, allow_unicode=True))
    result = saraban("memo", "submit", str(tmp_path / "by-title.yaml"), "--as", "somying", "--pin-stdin", pin=PIN)
    assert result.returncode == 0, result.stderr
    assert (
        json.loads(saraban("memo", "show", "2", "--json").stdout)["announcement_kind"]
        == by_title["announcement"]["template"]
    )
    by_title["announcement"]["template"] = "ไม่มีแบบนี้"
    (tmp_path / "unknown.yaml").write_text(yaml.safe_dump(by_title, allow_unicode=True))
    refused = saraban("memo", "submit", str(tmp_path / "unknown.yaml"), "--as", "somying", "--pin-stdin", pin=PIN)
    assert refused.returncode == 2 and "ไม่มีแบบประกาศ" in refused.stderr


def test_the_installed_command_runs_as_its_own_process(tmp_path):
    """The other tests run `saraban` in this process (tests.cli.runner); this one runs the console
    script an operator runs, with a PIN on standard input and the exit codes scripts rely on."""
    env = instance_env(tmp_path / "home")

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [SARABAN, *args], input=stdin, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300
        )

    assert run("init").returncode == 0
    assert run("org", "load", "--demo", str(EXAMPLES / "organisation.yaml")).returncode == 0
    submitted_ = run("memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin", stdin=PIN)
    assert submitted_.returncode == 0 and "ที่ อท ๕๓๗๐๑.๔/๑" in submitted_.stdout
    wrong = run("memo", "stage", "1", "--stage", "typeset", "--as", "wanna", "--pin-stdin", stdin="000000\n")
    assert wrong.returncode == 1 and "PIN" in wrong.stderr
    assert run("memo", "show", "99").returncode == 2
