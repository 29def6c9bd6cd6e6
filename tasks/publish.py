"""Publishing the announcement once the last signer has approved."""

from prefect import task

from models.db import session_scope
from services.publication import publish
from tasks.caching import once_per_flow_run


@task(name="publish-announcement", cache_key_fn=once_per_flow_run(), persist_result=True)
def publish_announcement(memo_id: int) -> dict[str, str]:
    with session_scope() as session:
        publication = publish(session, memo_id=memo_id)
        return {"announcement": publication.announcement_path, "memo": publication.memo_path,
                "announcement_sha256": publication.announcement_sha256}
