"""`saraban audit anchor` and `saraban verify heads.json`: a statements file checked on the
instance (genuine), alone on a machine without the database (signed, to compare), forged
(exit 1), and files that are not statements files or name an unknown office (exit 2, a message,
never a traceback)."""

import json
from pathlib import Path

import pytest
from sqlmodel import select

from models.db import make_engine, session_scope
from models.head_statement import read_statement
from models.organisation import Organisation
from services.publication.chain_heads import heads_document
from tests.cli.runner import instance_env, run_saraban


def downloaded(tmp_path: Path) -> Path:
    """The organisation's heads file, as /public/kokphutsa/heads.json gives it."""
    engine = make_engine(f"sqlite:///{tmp_path / 'home' / 'saraban.db'}")
    with session_scope(engine) as session:
        org = session.exec(select(Organisation)).one()
        document = heads_document(session, org)
    engine.dispose()
    path = tmp_path / "kokphutsa-heads.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def anchored(saraban, tmp_path) -> Path:
    result = saraban("audit", "anchor")
    assert result.returncode == 0, result.stderr
    assert "kokphutsa: ลงนามหัวห่วงโซ่ (signed head)" in result.stdout
    return downloaded(tmp_path)


def test_anchor_signs_once_and_the_file_verifies_on_the_instance(saraban, anchored):
    again = saraban("audit", "anchor", "--org", "kokphutsa")
    assert again.returncode == 0 and "nothing new since its last signed head" in again.stdout
    result = saraban("verify", str(anchored))
    assert result.returncode == 0, result.stderr
    assert "GENUINE: history was not rewritten after these heads" in result.stdout
    assert "the chain still passes through entry" in result.stdout
    assert "certificate fingerprint" in result.stdout


def test_without_the_database_the_file_alone_is_checked(anchored, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_saraban("verify", str(anchored), env=instance_env(elsewhere / "home"), cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "SIGNED: the signatures verify, but nothing was compared with the instance" in result.stdout
    assert "not compared with the instance" in result.stdout


def test_an_edited_statement_is_forged_exit_1(saraban, anchored):
    document = json.loads(anchored.read_text(encoding="utf-8"))
    held = document["statements"][0]
    held["statement"] = held["statement"].replace(read_statement(held["statement"])["head"], "0" * 64)
    anchored.write_text(json.dumps(document), encoding="utf-8")
    result = saraban("verify", str(anchored))
    assert result.returncode == 1
    assert "FORGED" in result.stdout and "the signature does not verify" in result.stdout


@pytest.mark.parametrize(
    "content, says",
    [
        ("this is not json", "the file is not JSON"),
        ('{"format": "saraban-heads/1"}', "the statements file lacks a field"),
    ],
)
def test_a_file_that_is_not_a_statements_file_exits_2(saraban, tmp_path, content, says):
    path = tmp_path / "heads.json"
    path.write_text(content, encoding="utf-8")
    result = saraban("verify", str(path))
    assert result.returncode == 2 and says in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_organisation_exits_2(saraban, anchored):
    document = json.loads(anchored.read_text(encoding="utf-8"))
    document["organisation"]["code"] = "nowhere"
    anchored.write_text(json.dumps(document), encoding="utf-8")
    result = saraban("verify", str(anchored))
    assert result.returncode == 2 and "no organisation 'nowhere' on this instance" in result.stderr
    unknown = saraban("audit", "anchor", "--org", "nowhere")
    assert unknown.returncode == 2 and "no organisation nowhere" in unknown.stderr
