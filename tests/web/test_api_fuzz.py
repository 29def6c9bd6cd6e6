"""Schemathesis against the JSON API's OpenAPI schema: whatever it sends, no server error.

It calls the API as a signed-in approver (session cookie and CSRF header), with a memo
waiting for that approver, so the generated requests reach the sign-off logic.
"""

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from models.db import default_engine
from models.migrate import upgrade
from models.settings import get_settings
from tests.builders import load_kokphutsa, memo_in_review
from tests.web.conftest import login
from web.app import create_app


@pytest.fixture(scope="module")
def signed_in_app(tmp_path_factory) -> Iterator[tuple]:
    # A home of its own; the stack a browser test may have started before points this process
    # at its database (SARABAN_DATABASE_URL, SARABAN_DOCUMENTS_DIR), so those go for the module.
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("SARABAN_HOME", str(tmp_path_factory.mktemp("fuzz-home")))
        environment.delenv("SARABAN_DATABASE_URL", raising=False)
        environment.delenv("SARABAN_DOCUMENTS_DIR", raising=False)
        get_settings.cache_clear()
        default_engine.cache_clear()
        try:
            upgrade(get_settings().resolved_database_url)
            load_kokphutsa(default_engine())
            memo_in_review(None)
            app = create_app()
            client = TestClient(app, base_url="http://127.0.0.1")
            login(client, "kanokporn")
            csrf = client.get("/api/me").json()["csrf_token"]
            yield app, dict(client.cookies), csrf
        finally:
            default_engine().dispose()
    get_settings.cache_clear()
    default_engine.cache_clear()


@pytest.fixture(scope="module")
def api_schema(signed_in_app):
    app, _cookies, _csrf = signed_in_app
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_the_api_never_answers_with_a_server_error(api_schema, signed_in_app):
    # Schemathesis' pytest plugin does not load under pytest 9: drive its strategies directly.
    _app, cookies, csrf = signed_in_app
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case) -> None:  # noqa: ANN001
            response = case.call(cookies=cookies, headers={"X-CSRF-Token": csrf})
            case.validate_response(response, checks=(not_a_server_error,))

        no_server_error()


def test_the_schema_documents_only_the_json_api(api_schema):
    paths = set(api_schema.raw_schema["paths"])
    assert paths and all(path.startswith("/api/") for path in paths)
    assert "/api/memos/{memo_id}/sign" in paths
