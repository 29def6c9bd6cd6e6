"""What fails after a decision is shown to the people concerned and recovered, never stranded:
a render error (fixed, then nudged), and a flow process killed with -9 in the middle of its
work (detected by the reconciler, the memo continues in a new run, nothing done twice; the webhook
post it may have made is made again under the same idempotency key)."""

import datetime as dt
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app as saraban
from models import NotificationChannel, Organisation, Publication, PublicationChannel
from models.db import session_scope
from models.settings import get_settings
from tests.builders import memo, sign
from tests.services.conftest import WebhookReceiver, _WebhookHandler
from tests.workflows.conftest import WAIT_SECONDS, deliver_until_resumed, flow_run_id, wait_until_final, work_done
from tests.workflows.test_memo_flow import publications, started_memo_in_review
from workflows.delivery import Deliverer, Outcome, nudge

pytestmark = pytest.mark.prefect
BROKEN_TEMPLATE = "{% extends '_base.txt.j2' %}{% block subject %}{{ a_variable_nobody_set }}{% endblock %}"
SWAPPED_TEMPLATE = (
    "{% extends '_base.txt.j2' %}{% block subject %}ยกเลิกมาตรการทั้งหมด{% endblock %}"
    "{% block closing %}จึงประกาศมาให้ทราบด้วยทั่วกัน{% endblock %}"
)


def approve_all(memo_id: int) -> None:
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(None, memo_id, username)


@pytest.fixture
def break_announcement_template():
    """Puts an organisation's own announcement template with a mistake in it (StrictUndefined)
    in place when called; removed after the test."""
    path = get_settings().home / "templates" / "kokphutsa" / "municipality" / "participation-measures.txt.j2"

    def put() -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(BROKEN_TEMPLATE, encoding="utf-8")
        return path

    yield put
    path.unlink(missing_ok=True)


def test_a_render_error_is_shown_on_the_memo_and_a_nudge_recovers_it(stack, break_announcement_template):
    memo_id = started_memo_in_review()
    approve_all(memo_id)
    broken = break_announcement_template()  # an administrator's edit, after the approvals
    deliver_until_resumed(memo_id)
    first_run = flow_run_id(memo_id)
    assert wait_until_final(first_run).is_failed()

    problem = memo(None, memo_id).flow_problem
    assert problem.startswith("publish:") and "a_variable_nobody_set" in problem
    shown = CliRunner().invoke(saraban, ["memo", "show", str(memo_id)])
    assert "PROBLEM" in shown.output and f"saraban memo nudge {memo_id}" in shown.output
    assert publications(memo_id) == 0

    broken.unlink()  # the administrator fixes the template
    assert nudge([memo_id]) == {memo_id: Outcome.STARTED}
    work_done(memo_id)
    second_run = flow_run_id(memo_id)
    assert second_run != first_run and wait_until_final(second_run).is_completed()
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(second_run).name.endswith("(2)")
    assert publications(memo_id) == 1 and memo(None, memo_id).flow_problem == ""


def test_a_template_changed_after_approval_is_refused_at_publication_and_recovered(stack):
    memo_id = started_memo_in_review()
    override = get_settings().home / "templates" / "kokphutsa" / "municipality" / "participation-measures.txt.j2"
    override.parent.mkdir(parents=True, exist_ok=True)
    try:
        approve_all(memo_id)  # the built-in template's words are approved
        # An administrator's own template, put in place after the approvals: other words.
        override.write_text(SWAPPED_TEMPLATE, encoding="utf-8")
        deliver_until_resumed(memo_id)
        first_run = flow_run_id(memo_id)
        assert wait_until_final(first_run).is_failed()
        problem = memo(None, memo_id).flow_problem
        assert "differs from the one the signers approved" in problem
        shown = CliRunner().invoke(saraban, ["memo", "show", str(memo_id)])
        assert "PROBLEM" in shown.output and f"saraban memo nudge {memo_id}" in shown.output
        assert publications(memo_id) == 0
    finally:
        override.unlink(missing_ok=True)  # restored as approved
    assert nudge([memo_id]) == {memo_id: Outcome.STARTED}
    work_done(memo_id)
    assert wait_until_final(flow_run_id(memo_id)).is_completed()
    assert publications(memo_id) == 1 and memo(None, memo_id).flow_problem == ""


class _KillingHandler(_WebhookHandler):
    def do_POST(self):  # noqa: N802
        self.server.on_post()  # the sender is now waiting for this answer
        super().do_POST()


class KillOnPost(WebhookReceiver):
    """Kills the flow run's process (-9) when its post arrives, before answering it."""

    def __init__(self) -> None:
        super().__init__([])
        self.RequestHandlerClass = _KillingHandler
        self.run_id = ""
        self.killed = threading.Event()

    def on_post(self) -> None:
        if not self.killed.is_set():
            for pid in processes_of_run(self.run_id):
                os.kill(pid, signal.SIGKILL)
            self.killed.set()


def processes_of_run(run_id: str) -> list[int]:
    """The processes Prefect started for this flow run (it puts the run's id in their environment)."""
    wanted = f"PREFECT__FLOW_RUN_ID={run_id}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and wanted in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture
def killing_channel(stack):
    receiver = KillOnPost()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    with session_scope() as session:
        org_id = session.exec(select(Organisation.id).where(Organisation.code == "kokphutsa")).one()
        session.add(
            NotificationChannel(
                organisation_id=org_id,
                name="kill-on-post",
                purpose="publication",
                url=receiver.channel_url("hooks/kill"),
            )
        )
    try:
        yield receiver
    finally:
        with session_scope() as session:
            session.exec(
                select(NotificationChannel).where(NotificationChannel.name == "kill-on-post")
            ).one().active = False
        receiver.shutdown()
        receiver.server_close()


def test_a_flow_process_killed_mid_work_is_replaced_and_nothing_is_done_twice(stack, killing_channel):
    memo_id = started_memo_in_review()
    killing_channel.run_id = str(flow_run_id(memo_id))
    approve_all(memo_id)
    deliver_until_resumed(memo_id)
    assert killing_channel.killed.wait(WAIT_SECONDS), "the flow run never posted to the channel"

    # The run shows Crashed (the runner saw its process die) or still Running (when the runner
    # died with it): either way the reconciler replaces it.
    reconciler = Deliverer(stale_after=dt.timedelta(0), silent_after=dt.timedelta(seconds=2))
    deadline = time.monotonic() + WAIT_SECONDS
    while reconciler.reconcile().get(memo_id) is not Outcome.STARTED:
        assert time.monotonic() < deadline, "the killed run was never replaced"
        time.sleep(0.5)
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(killing_channel.run_id).state.is_crashed()
    work_done(memo_id)
    assert wait_until_final(flow_run_id(memo_id)).is_completed()

    assert publications(memo_id) == 1
    # The killed run may or may not have posted: the new one waited for the claim to expire and
    # sent the post again under the same Idempotency-Key, which the receiver uses to drop a repeat.
    assert len(killing_channel.requests) == 2 and len(set(killing_channel.idempotency_keys)) == 1
    with session_scope() as session:
        publication = session.exec(select(Publication).where(Publication.memo_id == memo_id)).one()
        row = session.exec(
            select(PublicationChannel).where(
                PublicationChannel.publication_id == publication.id, PublicationChannel.channel == "kill-on-post"
            )
        ).one()
    assert row.status == "posted"
