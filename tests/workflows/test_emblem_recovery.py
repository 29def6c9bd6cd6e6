"""Publication without a Garuda emblem is refused by the memo's flow run (the memo shows why), and
the existing recovery path publishes it once the administrator has uploaded the emblem."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from models import Organisation
from models.db import session_scope
from models.settings import get_settings
from services.accounts.admin import store_garuda
from tests.builders import memo, operator_scope
from tests.documents.tiny_png import tiny_png
from tests.web.test_operations import TOKEN, metric_values
from tests.workflows.conftest import deliver_until_resumed, flow_run_id, wait_until_final, work_done
from tests.workflows.test_memo_flow import publications, started_memo_in_review
from tests.workflows.test_recovery import approve_all
from web.app import create_app
from workflows.delivery import Outcome, nudge

pytestmark = pytest.mark.prefect


@pytest.fixture
def plain_paper(stack):
    """The organisation prints on plain paper and has no emblem; as it was after the test."""
    with operator_scope() as session:
        org = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
        org.printed_garuda_paper, kept = False, org.garuda_image_path
    yield
    with operator_scope() as session:
        org = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
        org.printed_garuda_paper, org.garuda_image_path = True, kept


def test_no_emblem_refuses_publication_and_an_upload_then_a_nudge_publishes(plain_paper, monkeypatch):
    monkeypatch.setenv("SARABAN_METRICS_TOKEN", TOKEN)
    get_settings.cache_clear()
    operator = TestClient(create_app(), base_url="http://127.0.0.1")
    problems = ("saraban_memos_flow_problem", (("organisation", "kokphutsa"),))
    problems_before = metric_values(operator).get(problems, 0)

    memo_id = started_memo_in_review()
    approve_all(memo_id)
    deliver_until_resumed(memo_id)
    assert wait_until_final(flow_run_id(memo_id)).is_failed()
    problem = memo(None, memo_id).flow_problem
    assert "no Garuda emblem" in problem and f"saraban memo nudge {memo_id}" in problem
    assert publications(memo_id) == 0
    assert metric_values(operator)[problems] == problems_before + 1  # what the operator's alert sees
    assert operator.get("/healthz").json()["status"] == "ok"  # the app itself can serve

    with session_scope() as session:  # the administrator uploads the emblem (what /admin/garuda calls)
        org = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
        store_garuda(
            session,
            actor="kanokporn",
            org=org,
            image=tiny_png(),
            folder=get_settings().home / "organisations" / org.code,
        )
    assert nudge([memo_id]) == {memo_id: Outcome.STARTED}
    work_done(memo_id)
    assert wait_until_final(flow_run_id(memo_id)).is_completed()
    assert publications(memo_id) == 1 and memo(None, memo_id).flow_problem == ""
    assert metric_values(operator).get(problems, 0) == problems_before
