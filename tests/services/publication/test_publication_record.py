"""The publication record and its channels, without Prefect: memos are driven to publication with
the domain functions and published by services.publication.publication.publish, as the flow's task does.

Social channels are real Apprise json:// webhooks on 127.0.0.1 (a local HTTP receiver, and a port
that refuses connections); the fixtures come from tests/services/conftest.py. Tests that do not
look at the PDFs run without LibreOffice on the PATH: the publication must go on without it, and
they stay fast.
"""

import datetime as dt
import json
import socket
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlmodel import select

from documents.pdf.soffice import soffice_available
from models import (
    AuditEntry,
    Memo,
    NotificationChannel,
    NotificationLog,
    Organisation,
    Person,
    Publication,
    PublicationChannel,
)
from models.db import default_engine, session_scope
from models.enums import MemoStatus
from models.settings import get_settings
from services.printing.rendering import render_current_documents
from services.publication.channel_posting import in_flight, post_to_channels, retry_failed_channels, scrub_secrets
from services.publication.frozen_pdfs import sha256_of
from services.publication.notice_board import record_notice_board_posting
from services.publication.publication import NOTICE_BOARD_DAYS, prepare_files, publish
from services.yearly.evidence import publication_record
from tests.builders import load_kokphutsa, memo, memo_in_review, operator_scope, sign
from tests.services.conftest import LOCALHOST, _WebhookHandler

WEBSITE_URL = "https://kokphutsa.go.th/"
PUBLIC_PAGE = "https://kokphutsa.go.th/public/kokphutsa"
FAST = {"attempts": 2, "backoff_seconds": 0.01}  # retries without slowing the suite
needs_soffice = pytest.mark.skipif(not soffice_available(), reason="LibreOffice (soffice) is not installed")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """Documents under this test's own SARABAN_HOME."""
    monkeypatch.setenv("SARABAN_HOME", str(tmp_path / "home"))
    # The default claim expiry (a minute), whatever the session's stack set for its own processes.
    monkeypatch.delenv("SARABAN_WEBHOOK_RESEND_SECONDS", raising=False)
    get_settings.cache_clear()
    default_engine.cache_clear()
    yield tmp_path / "home"
    get_settings.cache_clear()
    default_engine.cache_clear()


@pytest.fixture
def org(engine, home):
    load_kokphutsa(engine)
    with operator_scope(engine) as session:
        session.exec(select(Organisation)).one().website_url = WEBSITE_URL
    return engine


def add_channel(
    engine, name: str, url: str, *, purpose: str = "publication", active: bool = True, recipient: str | None = None
) -> None:
    with session_scope(engine) as session:
        org_id = session.exec(select(Organisation.id)).one()
        session.add(
            NotificationChannel(
                organisation_id=org_id, name=name, url=url, purpose=purpose, active=active, recipient_username=recipient
            )
        )


def approved_memo(engine) -> int:
    m = memo_in_review(engine)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, m.id, username)
    return m.id


def published(engine) -> tuple[int, Publication]:
    memo_id = approved_memo(engine)
    with session_scope(engine) as session:
        return memo_id, publish(session, memo_id=memo_id)


def channels(engine, publication_id: int) -> dict[str, PublicationChannel]:
    with session_scope(engine) as session:
        rows = session.exec(select(PublicationChannel).where(PublicationChannel.publication_id == publication_id))
        return {row.channel: row for row in rows}


def logs(engine) -> list[NotificationLog]:
    with session_scope(engine) as session:
        return list(session.exec(select(NotificationLog).order_by(NotificationLog.id)))


def username(engine, person_id: int) -> str:
    with session_scope(engine) as session:
        return session.get(Person, person_id).username


@pytest.fixture
def refusing_port():
    """A 127.0.0.1 port that refuses connections until the test starts a receiver on it."""
    holder = socket.socket()
    holder.bind((LOCALHOST, 0))
    yield holder
    holder.close()


# --- the record --------------------------------------------------------------------------------


def test_the_record_names_who_requested_approved_and_posted_and_the_notice_board_dates(org, no_libreoffice):
    add_channel(org, "LINE กลุ่มประชาสัมพันธ์", "json://127.0.0.1:9/line")
    memo_id, publication = published(org)

    assert username(org, publication.requested_by_id) == "somying"  # the drafter
    assert username(org, publication.approved_by_id) == "phakphum"  # the last signer (acting mayor)
    assert publication.posted_by == "system"
    assert publication.notice_board_posted_on is None  # nobody has pinned it up yet (services.publication.notice_board)
    rows = channels(org, publication.id)
    assert (rows["notice-board"].status, rows["notice-board"].posted_on) == ("pending", None)
    assert sorted(rows) == sorted(["website", "notice-board", "LINE กลุ่มประชาสัมพันธ์"])
    assert (rows["website"].status, rows["website"].link) == ("posted", PUBLIC_PAGE)
    # the notice board waits for the person who pins it up (services.publication.notice_board), not "the system"
    assert (rows["notice-board"].status, rows["notice-board"].posted_at, rows["notice-board"].posted_by_id) == (
        "pending",
        None,
        None,
    )
    assert (rows["LINE กลุ่มประชาสัมพันธ์"].status, rows["LINE กลุ่มประชาสัมพันธ์"].attempts) == ("pending", 0)
    assert memo(org, memo_id).status is MemoStatus.PUBLISHED


def test_publishing_twice_makes_one_record_and_one_row_per_channel(org, no_libreoffice):
    add_channel(org, "webhook", "json://127.0.0.1:9/hook")
    memo_id, first = published(org)
    with session_scope(org) as session:
        again = publish(session, memo_id=memo_id)
    assert again.id == first.id
    assert len(channels(org, first.id)) == 3


def test_only_active_channels_meant_for_publications_are_used(org, no_libreoffice):
    add_channel(org, "shared", "json://127.0.0.1:9/a", purpose="all")
    add_channel(org, "digests only", "json://127.0.0.1:9/b", purpose="digest")
    add_channel(org, "switched off", "json://127.0.0.1:9/c", active=False)
    add_channel(org, "website", "json://127.0.0.1:9/d")  # would clash with the built-in row
    _, publication = published(org)
    assert sorted(channels(org, publication.id)) == ["notice-board", "shared", "website"]


def test_without_a_website_url_the_link_is_the_site_relative_public_page(engine, home, no_libreoffice):
    load_kokphutsa(engine)
    _, publication = published(engine)
    assert channels(engine, publication.id)["website"].link == "/public/kokphutsa"


def test_without_libreoffice_the_docx_is_published_and_the_missing_pdf_recorded(org, no_libreoffice):
    memo_id, publication = published(org)
    assert (publication.memo_pdf_path, publication.announcement_pdf_path) == ("", "")
    assert sha256_of(Path(publication.announcement_path)) == publication.announcement_sha256
    with session_scope(org) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "memo.published")).one()
    assert "LibreOffice" in json.loads(entry.data_json)["pdf_missing"]


@needs_soffice
def test_the_final_pdfs_are_frozen_next_to_the_docx_and_kept_by_later_renders(org):
    memo_id, publication = published(org)
    memo_pdf, announcement_pdf = Path(publication.memo_pdf_path), Path(publication.announcement_pdf_path)
    assert memo_pdf.parent == Path(publication.memo_path).parent
    assert (memo_pdf.name, announcement_pdf.name) == ("memo-r1-m3.pdf", "announcement-r1.pdf")
    assert memo_pdf.read_bytes()[:5] == announcement_pdf.read_bytes()[:5] == b"%PDF-"
    assert sha256_of(memo_pdf) == publication.memo_pdf_sha256
    assert sha256_of(announcement_pdf) == publication.announcement_pdf_sha256

    rendered = render_current_documents(memo_id, pdf=True, engine=org)  # e.g. the memo page's PDF button

    assert {memo_pdf, announcement_pdf} <= set(rendered.files)
    assert sha256_of(memo_pdf) == publication.memo_pdf_sha256, "the frozen PDF was not remade"
    assert sha256_of(announcement_pdf) == publication.announcement_pdf_sha256


# --- posting to the social channels --------------------------------------------------------------


def test_a_failing_channel_is_marked_failed_and_logged_and_blocks_nothing(
    org, no_libreoffice, webhook_factory, closed_port
):
    receiver = webhook_factory()
    add_channel(org, "LINE กลุ่มประชาสัมพันธ์", receiver.channel_url("hooks/line"))
    secret_url = f"json://clerk:pa55word-xyz@{LOCALHOST}:{closed_port}/hooks/t0ken-abcdef"
    add_channel(org, "webhook ที่ปิดอยู่", secret_url)
    memo_id, publication = published(org)

    outcomes = {o.channel: o for o in post_to_channels(memo_id, engine=org, **FAST)}

    assert (outcomes["LINE กลุ่มประชาสัมพันธ์"].status, outcomes["webhook ที่ปิดอยู่"].status) == ("posted", "failed")
    rows = channels(org, publication.id)
    working, dead = rows["LINE กลุ่มประชาสัมพันธ์"], rows["webhook ที่ปิดอยู่"]
    assert (working.status, working.attempts, working.last_error) == ("posted", 1, "")
    assert working.posted_at is not None and working.link == PUBLIC_PAGE
    assert (dead.status, dead.attempts, dead.posted_at) == ("failed", 2, None)
    assert "Connection error" in dead.last_error
    assert (rows["website"].status, rows["notice-board"].status) == ("posted", "pending")  # the board: by hand
    [(path, payload)] = receiver.requests
    assert path == "/hooks/line"
    assert payload["title"].startswith("ประกาศเทศบาลตำบลโคกพุทรา เรื่อง มาตรการ")
    assert PUBLIC_PAGE in payload["message"] and "ประกาศ ณ วันที่ " in payload["message"]
    assert [(log.channel, log.ok, log.attempts) for log in sorted(logs(org), key=lambda log: log.channel)] == [
        ("LINE กลุ่มประชาสัมพันธ์", True, 1),
        ("webhook ที่ปิดอยู่", False, 2),
    ]
    stored = " ".join([dead.last_error, *(log.error for log in logs(org))])
    assert "pa55word-xyz" not in stored and "t0ken-abcdef" not in stored
    assert memo(org, memo_id).status is MemoStatus.PUBLISHED


def test_retry_posts_the_failed_channel_once_its_receiver_is_up(org, no_libreoffice, webhook_factory, refusing_port):
    working = webhook_factory()
    add_channel(org, "LINE", working.channel_url())
    port = refusing_port.getsockname()[1]
    add_channel(org, "เว็บไซต์จังหวัด", f"json://{LOCALHOST}:{port}/hooks/province")
    memo_id, publication = published(org)
    post_to_channels(memo_id, engine=org, **FAST)
    assert channels(org, publication.id)["เว็บไซต์จังหวัด"].status == "failed"

    refusing_port.close()  # the province's receiver comes up on its port
    receiver = ThreadingHTTPServer((LOCALHOST, port), _WebhookHandler)
    receiver.statuses, receiver.requests, receiver.idempotency_keys, receiver.lock = [], [], [], threading.Lock()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        outcomes = retry_failed_channels(memo_id, actor="somying", engine=org, **FAST)
    finally:
        receiver.shutdown()
        receiver.server_close()

    assert [(o.channel, o.status, o.attempts) for o in outcomes] == [("เว็บไซต์จังหวัด", "posted", 1)]
    row = channels(org, publication.id)["เว็บไซต์จังหวัด"]
    assert (row.status, row.attempts, row.last_error) == ("posted", 3, "")  # 2 failed tries, then 1
    assert len(receiver.requests) == 1 and len(working.requests) == 1, "the posted channel is not sent again"
    with session_scope(org) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "publication.retried")).one()
    assert entry.actor == "somying"


def test_a_channel_removed_after_publication_fails_with_a_reason_and_is_not_sent(org, no_libreoffice):
    add_channel(org, "old group", "json://127.0.0.1:9/old")
    memo_id, publication = published(org)
    with session_scope(org) as session:
        session.exec(select(NotificationChannel).where(NotificationChannel.name == "old group")).one().active = False
    [outcome] = post_to_channels(memo_id, engine=org, **FAST)
    assert (outcome.status, outcome.attempts) == ("failed", 0)
    assert "no longer configured" in channels(org, publication.id)["old group"].last_error


@pytest.mark.parametrize(
    ("url", "error", "kept"),
    [
        ("json://clerk:pw9@127.0.0.1:8080/hook", "POST to http://clerk:pw9@127.0.0.1:8080/hook failed", "127.0.0.1"),
        ("tgram://123456789:AAEsecretToken/987654", "url: /bot123456789:AAEsecretToken/sendMessage", "sendMessage"),
        ("json://host.example.go.th/hooks/a%2Fb-s3cret-path", "to /hooks/a/b-s3cret-path", "host.example.go.th"),
    ],
)
def test_secrets_are_scrubbed_from_errors(url, error, kept):
    scrubbed = scrub_secrets(f"{error} at host.example.go.th", url)
    assert "pw9" not in scrubbed and "AAEsecretToken" not in scrubbed and "s3cret-path" not in scrubbed
    assert "123456789" not in scrubbed and kept in scrubbed


def test_files_prepared_before_the_transaction_are_the_ones_recorded(org, no_libreoffice):
    memo_id = approved_memo(org)
    files = prepare_files(memo_id, engine=org)
    with session_scope(org) as session:
        publication = publish(session, memo_id=memo_id, prepared=files)
        assert (publication.memo_sha256, publication.announcement_sha256) == (
            files.memo_file.sha256,
            files.announcement_file.sha256,
        )


def test_the_evidence_dates_the_notice_board_from_the_person_who_posted_it(org, no_libreoffice):
    memo_id, publication = published(org)
    with session_scope(org) as session:
        record = publication_record(
            session,
            session.get(Publication, publication.id),
            session.get(Memo, memo_id),
            session.exec(select(Organisation)).first(),
        )
    assert record["publication"]["notice_board"] == {"posted_on": None, "remove_on": None}
    with session_scope(org) as session:
        record_notice_board_posting(
            session, memo_id=memo_id, username="somying", posted_on=publication.announcement_date
        )
    with session_scope(org) as session:
        record = publication_record(
            session,
            session.get(Publication, publication.id),
            session.get(Memo, memo_id),
            session.exec(select(Organisation)).first(),
        )
    posted = publication.announcement_date
    assert record["publication"]["notice_board"] == {
        "posted_on": posted.isoformat(),
        "remove_on": (posted + dt.timedelta(days=NOTICE_BOARD_DAYS)).isoformat(),
    }


def test_the_flow_and_an_officers_retry_at_once_post_each_channel_once(org, no_libreoffice, webhook_factory):
    receiver = webhook_factory()
    add_channel(org, "LINE", receiver.channel_url())
    memo_id, publication = published(org)
    senders = [
        threading.Thread(target=post_to_channels, args=(memo_id,), kwargs={"engine": org, **FAST}),
        threading.Thread(
            target=retry_failed_channels, args=(memo_id,), kwargs={"actor": "somying", "engine": org, **FAST}
        ),
    ]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    assert len(receiver.requests) == 1  # claimed ("sending") by the first: the second finds nothing
    assert channels(org, publication.id)["LINE"].status == "posted"


def test_an_email_interrupted_by_a_crash_is_not_repeated_blindly(org, no_libreoffice, smtp_server):
    add_channel(org, "mail", smtp_server.channel_url())
    memo_id, publication = published(org)
    claim_then_die(org, "mail", minutes_ago=1)
    assert post_to_channels(memo_id, engine=org, **FAST) == [] and smtp_server.handler.received == []
    assert not in_flight(memo_id, engine=org)  # nothing for the flow to wait for: email is never re-sent blindly
    claim_then_die(org, "mail", minutes_ago=11)  # ten minutes on, the officer is told to check and retry
    assert retry_failed_channels(memo_id, actor="somying", engine=org, **FAST) == []
    row = channels(org, publication.id)["mail"]
    assert row.status == "failed" and "interrupted" in row.last_error
    [outcome] = retry_failed_channels(memo_id, actor="somying", engine=org, **FAST)
    assert outcome.status == "posted" and len(smtp_server.handler.received) == 1


def test_a_webhook_interrupted_by_a_crash_is_sent_again_under_the_same_key(org, no_libreoffice, webhook_factory):
    receiver = webhook_factory()
    add_channel(org, "website-hook", receiver.channel_url())
    memo_id, publication = published(org)
    claim_then_die(org, "website-hook", seconds_ago=10)  # a live sender may still be posting it
    assert post_to_channels(memo_id, engine=org, **FAST) == [] and in_flight(memo_id, engine=org)
    claim_then_die(org, "website-hook", seconds_ago=61)  # its claim expired: the sender died
    [outcome] = post_to_channels(memo_id, engine=org, **FAST)
    assert outcome.status == "posted" and not in_flight(memo_id, engine=org)
    row = channels(org, publication.id)["website-hook"]
    assert receiver.idempotency_keys == [
        f"saraban-{org_code(org)}-publication-{publication.id}-channel-{row.id}"
    ]  # the receiver drops any repeat of this key
    assert post_to_channels(memo_id, engine=org, **FAST) == []


def claim_then_die(engine, channel: str, *, minutes_ago: float = 0, seconds_ago: float = 0) -> None:  # noqa: ANN001
    """A sender claimed the row that long ago, then its process died before recording."""
    with session_scope(engine) as session:
        row = session.exec(select(PublicationChannel).where(PublicationChannel.channel == channel)).one()
        row.status = "sending"
        row.sending_since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago, seconds=seconds_ago)


def org_code(engine) -> str:  # noqa: ANN001
    with session_scope(engine) as session:
        return session.exec(select(Organisation)).first().code
