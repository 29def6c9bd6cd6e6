"""Tampering with a copy of the database, as someone who has it (but not the audit key) would:
drop the insert-only trigger, edit, delete or insert history rows, then rewrite the whole audit
chain with plain SHA-256 (or a key of their own) and a new head. `verify_audit` names each change.

One memo goes through every kind of history row: submitted, typeset, returned at ทาน, revised,
prepared again, approved at every step, and published (LibreOffice off: the PDFs are not needed).
"""

import hashlib
import hmac
import json
import secrets

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import select

from models import AuditEntry, Decision, Publication, Revision, StageRecord, StageReturn, audit
from models.audit_records import row_hash
from models.db import session_scope
from models.enums import Stage
from services.audit.audit_verify import snapshot, verify_audit, verify_in
from services.memo_life.memos import record_stage, revise_memo
from services.memo_life.stage_return import return_at_stage
from services.publication.publication import publish
from tests.builders import PIN, draft_004, load_kokphutsa, prepare, sign, submitted_memo

# Run on SQLite and PostgreSQL: locks, the application role, constraints or triggers differ here.
pytestmark = pytest.mark.dialects

HISTORY_TABLES = ("revision", "stagerecord", "decision", "stagereturn", "publication", "headstatement")


@pytest.fixture
def history(engine, home_without_office) -> int:
    """The published memo's id."""
    load_kokphutsa(engine)
    memo_id = submitted_memo(engine).id
    with session_scope(engine) as session:
        record_stage(session, memo_id=memo_id, username="wanna", pin=PIN, stage=Stage.TYPESET)
    with session_scope(engine) as session:
        return_at_stage(
            session,
            memo_id=memo_id,
            username="preecha",
            pin=PIN,
            stage=Stage.PROOFREAD,
            note="ข้อ ๒: “โอกาศ” ควรเป็น “โอกาส”",
        )
    with session_scope(engine) as session:
        revise_memo(session, memo_id=memo_id, username="somying", pin=PIN, draft=draft_004(), note="แก้คำสะกด")
    prepare(engine, memo_id)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo_id, username)
    with session_scope(engine) as session:
        publish(session, memo_id=memo_id)
    return memo_id


def problems(engine, **options) -> list[str]:
    return [str(p) for p in verify_audit(engine, **options).problems]


def first_id(engine, model) -> int:
    with session_scope(engine) as session:
        return session.exec(select(model.id).order_by(model.id)).first()


def entry_recording(engine, table: str, row_id: int) -> int:
    with session_scope(engine) as session:
        for entry in session.exec(select(AuditEntry)):
            if any(g["table"] == table and str(row_id) in g["rows"] for g in json.loads(entry.records_json)):
                return entry.seq
    raise AssertionError(f"no entry records {table} {row_id}")


def as_attacker(engine, *statements: tuple[str, dict]) -> None:
    """Direct database access: drop the insert-only triggers, then run the statements."""
    with engine.begin() as connection:
        for table in ("auditentry", *HISTORY_TABLES):
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}"))
            else:
                connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_update"))
                connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_delete"))
        for statement, params in statements:
            connection.execute(text(statement), params)


def test_the_untouched_history_verifies(engine, history):
    report = verify_audit(engine)
    assert report.intact, report.problems
    # its route, 2 revisions, 6 stage records, 1 stage return, 3 decisions, 1 publication, 2 channel
    # rows, the head signed at publication; and 22 rows of who may act: the organisation, its people, positions, holdings and
    # delegation, the chain and its steps; and the chain's first version
    assert report.rows == 17 + 22 + 1
    with session_scope(engine) as session:
        entries = list(session.exec(select(AuditEntry)))
    assert all(e.org_id == 1 for e in entries)
    assert all(len(e.hash) == 64 for e in entries)


@pytest.mark.parametrize(
    "model, change",
    [
        (Decision, "UPDATE decision SET minute = 'อนุมัติ' WHERE id = :id"),
        (Decision, "UPDATE decision SET signer_id = 1 WHERE id = :id"),
        (
            StageRecord,
            "UPDATE stagerecord SET person_id = (SELECT id FROM person WHERE username = 'phakphum') WHERE id = :id",
        ),
        (Revision, "UPDATE revision SET content_json = replace(content_json, 'มาตรการ', 'มาตรา') WHERE id = :id"),
        (StageReturn, "UPDATE stagereturn SET note = 'ไม่มีข้อแก้ไข' WHERE id = :id"),
        (Publication, "UPDATE publication SET announcement_sha256 = :forged WHERE id = :id"),
    ],
)
def test_an_edited_history_row_is_named(engine, history, model, change):
    row_id = first_id(engine, model)
    seq = entry_recording(engine, model.__tablename__, row_id)
    as_attacker(engine, (change, {"id": row_id, "forged": "0" * 64}))
    assert problems(engine) == [f"{model.__tablename__} {row_id}: changed since audit entry {seq} recorded it"]


@pytest.mark.parametrize("model", [Decision, StageRecord, Publication])
def test_a_deleted_history_row_is_named(engine, history, model):
    row_id = first_id(engine, model)
    seq = entry_recording(engine, model.__tablename__, row_id)
    as_attacker(
        engine,
        ("DELETE FROM publicationchannel WHERE publication_id = :id", {"id": row_id})
        if model is Publication
        else ("SELECT 1", {}),
        ("DELETE FROM headstatement WHERE publication_id = :id", {"id": row_id})
        if model is Publication
        else ("SELECT 1", {}),
        (f"DELETE FROM {model.__tablename__} WHERE id = :id", {"id": row_id}),
    )
    found = problems(engine)
    assert f"{model.__tablename__} {row_id}: disappeared: deleted after audit entry {seq} recorded it" in found
    if model is Decision:  # the published memo's own row no longer agrees with its history either
        assert found[1:] == ["memo 1: published, but step 1 of 3 has no approval"]
    elif model is not Publication:
        assert len(found) == 1


def test_a_decision_inserted_out_of_band_is_named(engine, history):
    # A sign-off nobody made: step 3 of round 1, which ended with a return at ทาน.
    as_attacker(
        engine,
        (
            "INSERT INTO decision (memo_id, round, step_index, position_id, kind, minute, signer_id, "
            "capacity, revision_sha256, at) SELECT memo_id, 1, 2, position_id, kind, 'อนุมัติ', signer_id, "
            "capacity, revision_sha256, at FROM decision WHERE id = 1",
            {},
        ),
    )
    with session_scope(engine) as session:
        forged = session.exec(select(Decision.id).order_by(Decision.id.desc())).first()
    assert problems(engine) == [f"decision {forged}: has no audit entry: added out of band"]


def rewrite_chain(engine, mac) -> None:
    """The attacker's whole rewrite: a decision's minute edited, its hash updated in the entry
    that records it, every entry's hash recomputed with `mac` from the first on, a new head."""
    decision_id = first_id(engine, Decision)
    with session_scope(engine) as session:
        entries = list(session.exec(select(AuditEntry).order_by(AuditEntry.seq)))
    statements = [("UPDATE decision SET minute = 'อนุมัติตามเสนอ' WHERE id = :id", {"id": decision_id})]
    prev = audit.GENESIS_HASH
    for entry in entries:
        groups = json.loads(entry.records_json)
        for group in groups:
            if group["table"] == "decision" and str(decision_id) in group["rows"]:
                group["rows"][str(decision_id)] = forged_row_hash(engine, decision_id, group["cols"])
        entry.records_json, entry.prev_hash = audit.canonical_json(groups), prev
        entry.hash = mac(entry)
        statements.append(
            (
                "UPDATE auditentry SET records_json = :r, prev_hash = :p, hash = :h WHERE seq = :s",
                {"r": entry.records_json, "p": entry.prev_hash, "h": entry.hash, "s": entry.seq},
            )
        )
        prev = entry.hash
    statements.append(("UPDATE audithead SET seq = :s, hash = :h WHERE id = 1", {"s": entries[-1].seq, "h": prev}))
    as_attacker(engine, *statements)


def forged_row_hash(engine, decision_id: int, columns: list[str]) -> str:
    with session_scope(engine) as session:
        decision = session.get(Decision, decision_id)
        values = {c: getattr(decision, c) for c in columns}
    return row_hash({**values, "minute": "อนุมัติตามเสนอ"})


def test_a_chain_recomputed_with_plain_sha256_and_a_new_head_is_found(engine, history):
    rewrite_chain(engine, audit.plain_hash_of)
    report = verify_audit(engine)
    entries = report.entries
    plain = [p for p in report.problems if "plain SHA-256, not the instance's MAC" in p.what]
    assert len(plain) == entries and not report.intact
    assert any(p.id == "*" and "without the key" in p.what for p in report.problems)


def test_a_chain_recomputed_with_another_key_is_found(engine, history):
    other_key = secrets.token_bytes(32)
    rewrite_chain(engine, lambda entry: audit.mac_of(entry, other_key))
    report = verify_audit(engine)
    assert len([p for p in report.problems if "MAC does not match" in p.what]) == report.entries
    assert any(p.id == "*" for p in report.problems)


def test_a_rewrite_even_with_the_key_breaks_the_head_printed_on_the_announcement(engine, history):
    # Someone who also stole the key: every MAC verifies, but the head published with the
    # announcement (copied by anyone who read the page) no longer matches.
    rewrite_chain(engine, lambda entry: audit.mac_of(entry, audit.audit_key()))
    with session_scope(engine) as session:
        seq, digest = audit.parse_head(session.exec(select(Publication.audit_head)).one())
    # (the signed statement of that head too: a rewrite that also re-signs the statements is
    # tests/services/audit/test_signed_heads_tamper.py)
    assert problems(engine) == [
        f"auditentry {seq}: the head printed with publication 1 ({seq}:{digest[:16]}) "
        f"does not match entry {seq}: history up to it was rewritten",
        f"auditentry {seq}: the head signed in statement 1 ({seq}:{digest[:16]}) "
        f"does not match entry {seq}: history up to it was rewritten",
    ]


def test_a_head_published_earlier_proves_the_history_up_to_it(engine, history):
    with session_scope(engine) as session:
        printed = session.exec(select(Publication.audit_head)).one()
    seq, digest = audit.parse_head(printed)
    assert problems(engine, head=(seq, digest[:16])) == []
    rewrite_chain(engine, lambda entry: hmac.new(b"guess", entry.data_json.encode(), hashlib.sha256).hexdigest())
    found = problems(engine, head=(seq, digest[:16]))
    assert (
        f"auditentry {seq}: the head given ({seq}:{digest[:16]}) does not match entry {seq}: "
        "history up to it was rewritten" in found
    )
    assert (
        f"auditentry {seq}: the head printed with publication 1 ({seq}:{digest[:16]}) does not match entry "
        f"{seq}: history up to it was rewritten" in found
    )


def test_history_cut_off_the_end_is_found_by_a_later_head(engine, history):
    # The attacker removes the publication (its rows and its entry) and winds the head back:
    # the chain is consistent again, but whoever kept the head after it can tell (and the memo's
    # row, which says published, no longer agrees with its history).
    kept = verify_audit(engine).head
    with session_scope(engine) as session:
        last = session.exec(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    as_attacker(
        engine,
        ("DELETE FROM publicationchannel", {}),
        ("DELETE FROM headstatement", {}),
        ("DELETE FROM publication", {}),
        ("DELETE FROM auditentry WHERE seq = :s", {"s": last.seq}),
        ("UPDATE audithead SET seq = :s, hash = :h WHERE id = 1", {"s": last.seq - 1, "h": last.prev_hash}),
    )
    left_behind = "memo 1: its status says published, yet it has no publication"
    assert problems(engine) == [left_behind]
    assert problems(engine, head=audit.parse_head(kept)) == [
        f"auditentry {last.seq}: the head given names entry {last.seq}, which the chain no longer has",
        left_behind,
    ]


def test_a_missing_key_file_is_named_not_replaced(engine, history, home_without_office):
    (home_without_office / "keys" / "audit-chain.key").unlink()
    found = problems(engine)
    assert len(found) == 1 and "audit-chain.key" in found[0] and "restore it" in found[0]
    assert not (home_without_office / "keys" / "audit-chain.key").exists()


def test_verify_reads_a_snapshot_and_writers_go_on(engine, history, sqlite_url):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL readers never block writers")
    writer = create_engine(sqlite_url, connect_args={"timeout": 1})  # a writer that gives up after 1 s
    with snapshot(engine) as session:
        before = verify_in(session)
        with writer.begin() as connection:  # BEGIN IMMEDIATE would wait for a verify holding the write lock
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            connection.execute(text("UPDATE memo SET flow_problem = 'x'"))
        again = verify_in(session)
    writer.dispose()
    assert before.intact and again.entries == before.entries
