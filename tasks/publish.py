"""Publishing the announcement once the last signer has approved, then posting it to the channels.

Two tasks: the publication commits first (files, hashes, record, channel rows), and only then are
the social channels sent, so that a channel that is down never rolls back or holds up the
publication. Neither does anything twice: a memo is published once (the database refuses a
second publication), and each channel row is claimed before it is sent.
"""

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from models.db import session_scope
from services import channel_posting
from services.publication import prepare_files, publish


@task(name="publish-announcement", cache_policy=NO_CACHE, persist_result=False)
def publish_announcement(memo_id: int) -> None:
    files = prepare_files(memo_id)  # LibreOffice runs before the transaction, not under its lock
    with session_scope() as session:
        publication = publish(session, memo_id=memo_id, prepared=files)
        get_run_logger().info("memo %s published: %s", memo_id, publication.announcement_sha256)


@task(name="post-to-channels", cache_policy=NO_CACHE, persist_result=False)
def post_to_channels(memo_id: int) -> dict[str, str]:
    """Each pending social channel's outcome (posted | failed); a failed one waits for the officer's
    retry on the memo page, so the task itself succeeds."""
    outcomes = channel_posting.post_to_channels(memo_id)
    for outcome in outcomes:
        if outcome.status != "posted":
            get_run_logger().warning("memo %s: channel %r failed after %d attempts: %s", memo_id,
                                     outcome.channel, outcome.attempts, outcome.error)
    return {outcome.channel: outcome.status for outcome in outcomes}
