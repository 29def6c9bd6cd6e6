"""Publishing the announcement once the last signer has approved, then posting it to the channels.

Two tasks: the publication commits first (files, hashes, record, channel rows), and only then are
the social channels sent, so that a channel that is down never rolls back or holds up the
publication. Neither does anything twice: a memo is published once (the database refuses a
second publication), and each channel row is claimed before it is sent.
"""

import time

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from models import Publication
from models.db import read_scope, session_scope
from services.acknowledgements.asking import ask_at_publication
from services.ita.memo_items import evidence_owed
from services.publication import channel_posting
from services.publication.publication import prepare_files, publish
from services.publication.publication_request import make_publication_request

IN_FLIGHT_POLL_SECONDS = 5
IN_FLIGHT_MARGIN_SECONDS = 30  # a live sender's retries (services.notices.notify) finish well within this


@task(name="publish-announcement", cache_policy=NO_CACHE, persist_result=False)
def publish_announcement(memo_id: int) -> None:
    files = prepare_files(memo_id)  # LibreOffice runs before the transaction, not under its lock
    with session_scope() as session:
        publication = publish(session, memo_id=memo_id, prepared=files)
        get_run_logger().info("memo %s published: %s", memo_id, publication.announcement_sha256)


@task(name="post-to-channels", cache_policy=NO_CACHE, persist_result=False)
def post_to_channels(memo_id: int) -> dict[str, str]:
    """Each pending social channel's outcome (posted | failed); a failed one waits for the officer's
    retry on the memo page, so the task itself succeeds. A webhook post that a dead run left
    half-done is waited out and sent again under the same key (services.publication.channel_posting)."""
    outcomes = channel_posting.post_to_channels(memo_id)
    deadline = time.monotonic() + channel_posting.resend_after().total_seconds() + IN_FLIGHT_MARGIN_SECONDS
    while channel_posting.in_flight(memo_id) and time.monotonic() < deadline:
        time.sleep(IN_FLIGHT_POLL_SECONDS)
        outcomes += channel_posting.post_to_channels(memo_id)
    for outcome in outcomes:
        if outcome.status != "posted":
            get_run_logger().warning(
                "memo %s: channel %r failed after %d attempts: %s",
                memo_id,
                outcome.channel,
                outcome.attempts,
                outcome.error,
            )
    return {outcome.channel: outcome.status for outcome in outcomes}


@task(name="ita-evidence", cache_policy=NO_CACHE, persist_result=False)
def make_ita_evidence(memo_id: int) -> None:
    """What the memo's ITA item asks beside the publication: the staff asked to acknowledge it
    (its circular), and the publication request addressed to the item's public page."""
    with read_scope() as session:
        owed = evidence_owed(session, memo_id)
    if owed is None:
        return
    if owed.acknowledgements:
        with session_scope() as session:
            ask_at_publication(session, session.get_one(Publication, owed.publication_id))
    if owed.request_address:
        made = make_publication_request(owed.publication_id, address=owed.request_address)
        get_run_logger().info("memo %s: publication request made: %s", memo_id, made.pdf_sha256 or made.docx_sha256)
