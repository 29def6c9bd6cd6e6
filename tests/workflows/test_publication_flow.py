"""The memo flow posts the publication to the social channels after it has published (real Prefect
server and runner; the channel is a local HTTP receiver on 127.0.0.1)."""

import threading

import pytest
from sqlmodel import select

from models import NotificationChannel, Organisation, Publication, PublicationChannel
from models.db import session_scope
from models.enums import MemoStatus
from tests.builders import memo, sign
from tests.services.conftest import WebhookReceiver
from tests.workflows.conftest import flow_run_id, wait_until_final
from tests.workflows.test_memo_flow import started_memo_in_review

pytestmark = pytest.mark.prefect
CHANNEL = "webhook ประชาสัมพันธ์ (flow test)"


@pytest.fixture
def publication_webhook(stack):
    """A publication channel for the session's organisation, switched off again afterwards so that
    later tests' publications do not try a receiver that is gone."""
    receiver = WebhookReceiver([])
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    with session_scope() as session:
        org_id = session.exec(select(Organisation.id).where(Organisation.code == "kokphutsa")).one()
        channel = NotificationChannel(
            organisation_id=org_id, name=CHANNEL, url=receiver.channel_url("hooks/pr"), purpose="publication"
        )
        session.add(channel)
    try:
        yield receiver
    finally:
        with session_scope() as session:
            session.exec(select(NotificationChannel).where(NotificationChannel.name == CHANNEL)).one().active = False
        receiver.shutdown()
        receiver.server_close()


def test_the_flow_posts_to_the_channels_after_publishing(delivering, publication_webhook):
    memo_id = started_memo_in_review()
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(None, memo_id, username, minute="อนุมัติ")

    assert wait_until_final(flow_run_id(memo_id)).is_completed()
    assert memo(None, memo_id).status is MemoStatus.PUBLISHED
    with session_scope() as session:
        publication = session.exec(select(Publication).where(Publication.memo_id == memo_id)).one()
        rows = {
            r.channel: r
            for r in session.exec(select(PublicationChannel).where(PublicationChannel.publication_id == publication.id))
        }
    assert {name: row.status for name, row in rows.items()} == {
        "website": "posted",
        "notice-board": "pending",
        CHANNEL: "posted",
    }  # the board: by a person
    [(path, payload)] = publication_webhook.requests
    assert path == "/hooks/pr" and "/public/kokphutsa" in payload["message"]
