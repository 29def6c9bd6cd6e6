"""The review's attacker (issue 19, finding 9), with every key of the instance: the audit key, the
organisation's signing key and the database. They rewrite an old decision, recompute the whole
chain with the key, re-sign the head statement and re-point the publication's head: the instance
alone then verifies intact. A statement a citizen downloaded before the rewrite proves it: signed
by the office, it names a head the chain no longer has, and the office's statements now say
something else for the same entry. A forged statement (edited, or signed with another key) is
refused outright."""

import datetime as dt
import json

import pytest
from sqlmodel import select

from documents.pdf.signing_certificate import certificate_facts
from documents.pdf.statement_signing import sign_text
from models import AuditEntry, HeadStatement, Organisation, audit
from models.audit_records import read_rows, row_hash
from models.db import session_scope
from models.head_statement import read_statement, statement_text, text_sha256
from services.audit.audit_verify import verify_audit
from services.audit.head_check import (
    FORGED,
    GENUINE,
    REWRITTEN,
    SIGNED,
    BadHeadsFile,
    UnknownOrganisation,
    check_file,
    check_on_instance,
    read_heads_file,
)
from services.publication.chain_heads import heads_document
from services.publication.publication import publish
from services.publication.signing_keys import organisation_identity
from tests.builders import load_kokphutsa, memo_in_review, sign
from tests.certificates import authority_issued_identity
from tests.services.audit.test_audit_tamper import as_attacker, rewrite_chain

# Run on SQLite and PostgreSQL: locks, the application role, constraints or triggers differ here.
pytestmark = pytest.mark.dialects


@pytest.fixture
def downloaded(engine, home_without_office) -> bytes:
    """A published announcement, and its organisation's heads file as a citizen downloaded it."""
    load_kokphutsa(engine)
    memo = memo_in_review(engine)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo.id, username)
    with session_scope(engine) as session:
        publish(session, memo_id=memo.id)
        org = session.exec(select(Organisation)).one()
        return json.dumps(heads_document(session, org), ensure_ascii=False).encode()


def checked(engine, data: bytes):
    with session_scope(engine) as session:
        return check_on_instance(session, check_file(read_heads_file(data)))


def test_a_statement_held_is_genuine_while_history_stands(engine, downloaded):
    report = checked(engine, downloaded)
    assert report.verdict == GENUINE and not report.instance_problems
    (statement,) = report.statements
    assert statement.verdict == GENUINE
    assert check_file(read_heads_file(downloaded)).verdict == SIGNED  # the file alone: signed, not compared


def resign_and_repoint(engine) -> None:
    """After the chain was recomputed with the key: a new statement of the new head, signed with
    the office's key, in place of the old one; the publication's printed head re-pointed; the
    entry that records both re-hashed; and the chain's MACs recomputed again."""
    key = audit.audit_key()
    with session_scope(engine) as session:
        old = session.exec(select(HeadStatement)).one()
        org = session.get(Organisation, old.organisation_id)
        new_head = session.exec(select(AuditEntry.hash).where(AuditEntry.seq == old.seq)).one()
        fields = read_statement(old.statement)
        text = statement_text(
            organisation=org.code,
            seq=old.seq,
            head=new_head,
            previous_sha256="",
            made_at=old.made_at,
            certificate_sha256=fields["certificate_sha256"],
        )
        signature = sign_text(organisation_identity(org, create=False), text)
        entries = list(session.exec(select(AuditEntry).order_by(AuditEntry.seq)))
    as_attacker(
        engine,
        (
            "UPDATE headstatement SET head = :h, statement = :t, sha256 = :s, signature = :g WHERE id = :id",
            {"h": new_head, "t": text, "s": text_sha256(text), "g": signature, "id": old.id},
        ),
        ("UPDATE publication SET audit_head = :a", {"a": f"{old.seq}:{new_head}"}),
    )
    statements, prev = [], audit.GENESIS_HASH
    with engine.connect() as connection:
        for entry in entries:
            groups = json.loads(entry.records_json)
            for group in groups:
                if group["table"] in ("headstatement", "publication"):
                    rows = read_rows(connection, group["table"], group["cols"], [int(i) for i in group["rows"]])
                    group["rows"] = {str(row["id"]): row_hash(row) for row in rows}
            entry.records_json, entry.prev_hash = audit.canonical_json(groups), prev
            entry.hash = prev = audit.mac_of(entry, key)
            statements.append(
                (
                    "UPDATE auditentry SET records_json = :r, prev_hash = :p, hash = :h WHERE seq = :s",
                    {"r": entry.records_json, "p": entry.prev_hash, "h": entry.hash, "s": entry.seq},
                )
            )
    statements.append(("UPDATE audithead SET hash = :h WHERE id = 1", {"h": prev}))
    as_attacker(engine, *statements)


def test_a_rewrite_with_every_key_is_proved_by_a_statement_held_before(engine, downloaded):
    rewrite_chain(engine, lambda entry: audit.mac_of(entry, audit.audit_key()))
    resign_and_repoint(engine)
    report = verify_audit(engine)
    assert report.intact, report.problems  # the instance alone cannot tell: the review's finding
    held = checked(engine, downloaded)
    assert held.verdict == REWRITTEN
    (statement,) = held.statements
    reasons = " ".join(statement.reasons)
    assert f"the office signed two different heads for entry {statement.seq}" in reasons
    assert "the chain no longer passes through this head" in reasons
    # both statements verify under the office's own certificate: the contradiction is the proof
    with session_scope(engine) as session:
        org = session.exec(select(Organisation)).one()
        now_offered = json.dumps(heads_document(session, org)).encode()
    assert check_file(read_heads_file(now_offered)).verdict == SIGNED
    assert check_file(read_heads_file(downloaded)).verdict == SIGNED


def test_a_statement_with_an_edited_head_is_forged(engine, downloaded):
    document = json.loads(downloaded)
    held = document["statements"][0]
    fields = read_statement(held["statement"])
    held["statement"] = held["statement"].replace(fields["head"], "f" * 64)
    report = checked(engine, json.dumps(document).encode())
    assert report.verdict == FORGED
    assert "the signature does not verify" in " ".join(report.statements[0].reasons)


def test_a_statement_signed_with_another_key_is_refused_on_the_instance(engine, downloaded):
    document = json.loads(downloaded)
    held = document["statements"][0]
    fields = read_statement(held["statement"])
    other = authority_issued_identity("เทศบาลตำบลโคกพุทรา")
    other_sha256 = certificate_facts(other.certificate_pem).sha256
    fields |= {"head": "e" * 64, "certificate_sha256": other_sha256}
    text = statement_text(
        organisation=fields["organisation"],
        seq=fields["seq"],
        head=fields["head"],
        previous_sha256=fields["previous"],
        made_at=dt.datetime.fromisoformat(fields["made_at"]),
        certificate_sha256=other_sha256,
    )
    held |= {"statement": text, "sha256": text_sha256(text), "signature": sign_text(other, text)}
    held["certificate_sha256"] = other_sha256
    document["certificates"] = {other_sha256: other.certificate_pem.decode()}
    forged = json.dumps(document).encode()
    assert check_file(read_heads_file(forged)).verdict == SIGNED  # alone, it is signed by *a* key
    report = checked(engine, forged)
    assert report.verdict == FORGED
    assert "a certificate the organisation never used" in " ".join(report.statements[0].reasons)


@pytest.mark.parametrize(
    "data, says",
    [
        (b"%PDF-1.7 not json", "not JSON"),
        (b'{"format": "something-else"}', "not a saraban-heads/1 file"),
        (b'{"format": "saraban-heads/1", "statements": []}', "lacks a field"),
    ],
)
def test_a_file_that_is_not_a_statements_file_is_named(data, says):
    with pytest.raises(BadHeadsFile, match=says):
        read_heads_file(data)


def test_an_organisation_the_instance_does_not_have_is_named(engine, downloaded):
    document = json.loads(downloaded)
    document["organisation"]["code"] = "nowhere"
    with pytest.raises(UnknownOrganisation, match="no organisation 'nowhere'"):
        checked(engine, json.dumps(document).encode())
