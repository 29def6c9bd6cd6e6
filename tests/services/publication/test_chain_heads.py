"""Signed chain heads as they are made: at publication (the head the announcement prints, signed
by the office), on demand (`anchor`: only what is new), time-stamped by a real local TSA when one
is configured, and never stopped by a TSA that does not answer."""

import datetime as dt
import json
import threading

import pytest
from sqlmodel import select

from documents.pdf.signing_certificate import certificate_facts
from documents.pdf.statement_signing import signature_holds
from documents.pdf.timestamp_token import read_timestamp
from models import AuditEntry, HeadStatement, Organisation, Publication
from models.db import session_scope
from models.head_statement import DOCUMENT_FORMAT, read_statement
from models.settings import get_settings
from services.audit.audit_verify import verify_audit
from services.publication.chain_heads import ANCHORED, anchor, anchor_forever, heads_document, public_heads
from services.publication.publication import publish
from services.publication.signing_keys import signing_key_files
from tests.builders import load_kokphutsa, memo_in_review, sign
from tests.timestamping import TSA_NAME, local_tsa

# Run on SQLite and PostgreSQL: locks, the application role, constraints or triggers differ here.
pytestmark = pytest.mark.dialects

SIGNERS = ("kanokporn", "phakphum", "phakphum")


def published_memo(engine) -> int:
    memo = memo_in_review(engine)
    for username in SIGNERS:
        sign(engine, memo.id, username)
    with session_scope(engine) as session:
        return publish(session, memo_id=memo.id).id


@pytest.fixture
def office(engine, home_without_office):
    load_kokphutsa(engine)
    return engine


def anchored(engine, **options):
    with session_scope(engine) as session:
        org = session.exec(select(Organisation)).one()
        signed = anchor(session, org, actor="system", **options)
        return signed and signed.statement


def use_tsa(monkeypatch, url: str) -> None:
    monkeypatch.setenv("SARABAN_TSA_URL", url)
    monkeypatch.setenv("SARABAN_TSA_TIMEOUT_SECONDS", "3")
    get_settings.cache_clear()


def test_publication_signs_the_head_it_prints_with_the_office_key(office):
    publication_id = published_memo(office)
    with session_scope(office) as session:
        publication = session.get(Publication, publication_id)
        statement = session.exec(select(HeadStatement)).one()
        published_entry = session.exec(select(AuditEntry).where(AuditEntry.action == "memo.published")).one()
    assert f"{statement.seq}:{statement.head}" == publication.audit_head
    assert statement.publication_id == publication_id and statement.previous_sha256 == ""
    fields = read_statement(statement.statement)
    assert (fields["organisation"], fields["seq"], fields["head"]) == ("kokphutsa", statement.seq, statement.head)
    certificate = signing_key_files("kokphutsa").certificate.read_text()
    assert statement.certificate_pem == certificate
    assert fields["certificate_sha256"] == certificate_facts(certificate.encode()).sha256
    assert signature_holds(certificate, statement.statement, statement.signature)
    assert not signature_holds(certificate, statement.statement.replace('"seq":', '"seq":1'), statement.signature)
    # the statement's row is recorded by the publication's own entry, and the chain verifies
    assert json.loads(published_entry.data_json)["head_statement_sha256"] == statement.sha256
    assert published_entry.seq == statement.seq + 1
    assert verify_audit(office).intact


def test_anchor_signs_only_what_is_new_each_statement_naming_the_one_before(office):
    first = anchored(office)  # the organisation's loading: entries no statement names yet
    assert first is not None and first.previous_sha256 == ""
    assert anchored(office) is None  # nothing happened since but its own entry
    published_memo(office)
    at_publication, after = public_heads_of(office)[0], anchored(office)
    assert after.previous_sha256 == at_publication.sha256  # the publication's own entry was new
    assert at_publication.previous_sha256 == first.sha256
    forced = anchored(office, force=True)
    assert forced.previous_sha256 == after.sha256 and forced.seq == after.seq + 1
    with session_scope(office) as session:
        assert len(session.exec(select(AuditEntry).where(AuditEntry.action == ANCHORED)).all()) == 3
    assert verify_audit(office).intact


def public_heads_of(engine) -> list:
    with session_scope(engine) as session:
        org = session.exec(select(Organisation)).one()
        heads = public_heads(session, org)
    return sorted(heads, key=lambda h: h.seq, reverse=True)


def test_a_configured_tsa_time_stamps_each_head(office, monkeypatch):
    at = dt.datetime(2026, 12, 7, 3, 4, 5, tzinfo=dt.UTC)
    with local_tsa(at) as tsa:
        use_tsa(monkeypatch, tsa.url)
        statement = anchored(office)
    assert tsa.requests == 1 and statement.timestamp_token
    stamp = read_timestamp(statement.timestamp_token, statement.sha256)
    assert stamp.matches and stamp.intact and stamp.time == at and TSA_NAME in stamp.tsa
    assert not read_timestamp(statement.timestamp_token, "0" * 64).matches
    (shown,) = public_heads_of(office)
    assert shown.timestamp.time == at


def test_an_unreachable_tsa_does_not_stop_publication(office, monkeypatch, closed_port, caplog):
    use_tsa(monkeypatch, f"http://127.0.0.1:{closed_port}/")
    published_memo(office)
    with session_scope(office) as session:
        statement = session.exec(select(HeadStatement)).one()
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "memo.published")).one()
    assert statement.timestamp_token == ""
    data = json.loads(entry.data_json)
    assert data["timestamped"] is False and str(closed_port) in data["timestamp_problem"]
    assert any("gave no time-stamp" in record.getMessage() for record in caplog.records)
    assert verify_audit(office).intact


def test_the_statements_file_holds_what_checking_needs(office):
    anchored(office)
    published_memo(office)
    with session_scope(office) as session:
        org = session.exec(select(Organisation)).one()
        document = heads_document(session, org)
        one = heads_document(session, org, statement_id=document["statements"][1]["id"])
    assert document["format"] == DOCUMENT_FORMAT and document["organisation"]["code"] == "kokphutsa"
    first, second = document["statements"]
    assert read_statement(second["statement"])["previous"] == first["sha256"]
    certificate = document["certificates"][second["certificate_sha256"]]
    assert signature_holds(certificate, second["statement"], second["signature"])
    assert [s["id"] for s in one["statements"]] == [second["id"]] and second["publication_id"] == 1


def test_serve_s_thread_anchors_what_is_new_and_stops_when_asked(office):
    stop = threading.Event()
    stop.set()  # one round, then it returns
    anchor_forever(stop, engine=office)
    anchor_forever(stop, engine=office)  # nothing new since: no second statement
    assert len(public_heads_of(office)) == 1
