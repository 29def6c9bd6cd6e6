"""An organisation's administrators see its audit entries only, through HTTP: never another
organisation's, not even the problems a verification finds in another organisation's history."""

import re

import pytest
import yaml
from sqlalchemy import text
from sqlmodel import select

from cli.demo import draft_004
from models import AuditEntry, Decision, Memo, Organisation
from models.audit import parse_head
from models.db import default_engine, session_scope
from models.enums import Stage
from services.accounts.org_loader import OrganisationFile, load_organisation
from services.audit.audit_verify import verify_audit
from services.memo_life.memos import record_stage, submit_memo
from services.publication.publication import publish
from tests.builders import EXAMPLES, PIN, memo_in_review, sign
from tests.web.conftest import csrf_of, login

OTHER = "banna"  # a second municipality: kokphutsa's file with its own code and usernames
USERS = ("somying", "wanna", "preecha", "kanokporn", "phakphum")

# Publication goes on with the .docx alone: nothing here is about the PDF (LibreOffice's seconds).
pytestmark = pytest.mark.usefixtures("no_libreoffice")


def load_other_organisation() -> None:
    raw = (EXAMPLES / "organisation.yaml").read_text(encoding="utf-8")
    for username in USERS:
        raw = re.sub(rf"\b{username}\b", f"{username}-{OTHER}", raw)
    data = yaml.safe_load(raw.replace("code: kokphutsa", f"code: {OTHER}"))
    with session_scope() as session:
        load_organisation(session, OrganisationFile.model_validate(data), demo=True)


def org_id(code: str) -> int:
    with session_scope() as session:
        return session.exec(select(Organisation.id).where(Organisation.code == code)).one()


def audit_seqs(html: str) -> set[int]:
    """The chain sequence numbers of every entry the page lists (each row's id; the page numbers
    the organisation's own entries 1, 2, 3 ... in Thai digits)."""
    return {int(seq) for seq in re.findall(r'<tr class="entry" id="entry-(\d+)">', html)}


def admin_page(client, username: str):  # noqa: ANN001, ANN201
    client.cookies.clear()
    assert login(client, username).status_code == 303
    return client.get("/admin/audit")


def test_an_admin_sees_only_their_organisations_entries(client):
    load_other_organisation()
    theirs = memo_in_review(default_engine())  # kokphutsa's memo
    sign(default_engine(), theirs.id, "kanokporn")
    admin_page(client, f"kanokporn-{OTHER}")  # the other admin logs in: an entry of theirs
    login(client, "kanokporn", "a password typed wrong")  # a refused login: kokphutsa's
    kok_page = admin_page(client, "kanokporn").text
    with session_scope() as session:
        by_org = {e.seq: e.org_id for e in session.exec(select(AuditEntry))}
    kok, other = org_id("kokphutsa"), org_id(OTHER)
    assert other in by_org.values() and kok in by_org.values()

    assert audit_seqs(kok_page) == {seq for seq, o in by_org.items() if o == kok}

    other_page = admin_page(client, f"kanokporn-{OTHER}").text
    with session_scope() as session:
        by_org = {e.seq: e.org_id for e in session.exec(select(AuditEntry))}
    assert audit_seqs(other_page) == {seq for seq, o in by_org.items() if o == other}
    assert f'href="/memos/{theirs.id}"' not in other_page


def test_a_verification_names_only_the_admins_own_problems(client):
    load_other_organisation()
    memo_in_review(default_engine())
    other_memo = submitted_memo_of_other()
    with session_scope() as session:
        decision = session.exec(select(Decision).join(Memo).where(Memo.id == other_memo)).one()
    with default_engine().begin() as connection:
        connection.execute(text("DROP TRIGGER decision_no_update"))
        connection.execute(text("UPDATE decision SET minute = 'แก้ไขภายหลัง' WHERE id = :id"), {"id": decision.id})

    admin_page(client, "kanokporn")
    kok = client.post("/admin/audit/verify", data={"csrf_token": csrf_of(client, "/admin/audit")}).text
    assert f"decision {decision.id}" not in kok and "นอกหน่วยงานนี้" in kok

    admin_page(client, f"kanokporn-{OTHER}")
    other = client.post("/admin/audit/verify", data={"csrf_token": csrf_of(client, "/admin/audit")}).text
    assert f"decision {decision.id}: changed since audit entry" in other


def submitted_memo_of_other() -> int:
    """The other organisation's memo, signed at its first step."""
    engine = default_engine()
    with session_scope(engine) as session:
        memo_id = submit_memo(session, username=f"somying-{OTHER}", pin=PIN, draft=draft_004()).id
    for username, stage in (
        (f"wanna-{OTHER}", Stage.TYPESET),
        (f"preecha-{OTHER}", Stage.PROOFREAD),
        (f"kanokporn-{OTHER}", Stage.CHECK),
    ):
        with session_scope(engine) as session:
            record_stage(session, memo_id=memo_id, username=username, pin=PIN, stage=stage)
    sign(engine, memo_id, f"kanokporn-{OTHER}")
    return memo_id


def test_the_public_page_and_the_feed_print_the_chain_head_that_verify_proves(client, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no LibreOffice: publication goes on without PDFs
    engine = default_engine()
    memo = memo_in_review(engine)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo.id, username)
    with session_scope(engine) as session:
        publish(session, memo_id=memo.id)
    page = client.get("/public/kokphutsa").text
    printed = re.search(r'<code class="verify audit-head">(\d+:[0-9a-f]{64})</code>', page)[1]
    assert f"หัวห่วงโซ่บันทึกการตรวจสอบ {printed}" in client.get("/public/kokphutsa/feed.atom").text
    assert verify_audit(engine, head=parse_head(printed)).intact
    seq, digest = parse_head(printed)
    assert not verify_audit(engine, head=(seq, "0" * 16)).intact  # a head the chain never had
