"""The web app on a real, migrated SQLite database with the 004 municipality loaded."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from models.db import default_engine
from models.settings import get_settings
from services.publication import print_preview
from tests.builders import load_kokphutsa
from tests.conftest import copy_of_migrated
from web.app import create_app


@pytest.fixture
def web_home(tmp_path, monkeypatch, migrated_templates) -> Iterator[None]:
    monkeypatch.setenv("SARABAN_HOME", str(tmp_path))
    monkeypatch.delenv("SARABAN_DATABASE_URL", raising=False)  # a stack started earlier set these
    monkeypatch.delenv("SARABAN_DOCUMENTS_DIR", raising=False)
    get_settings.cache_clear()
    default_engine.cache_clear()
    copy_of_migrated(get_settings().resolved_database_url, migrated_templates)
    load_kokphutsa(default_engine())
    yield
    default_engine().dispose()
    get_settings.cache_clear()
    default_engine.cache_clear()


@pytest.fixture
def client(web_home, request, monkeypatch) -> TestClient:
    if not request.node.get_closest_marker("prints"):
        skip_print_making(monkeypatch)
    return TestClient(create_app(), base_url="http://127.0.0.1")


def skip_print_making(patch: pytest.MonkeyPatch) -> None:
    """Every memo page opened starts LibreOffice on its print in a thread of this process: in a
    test not about the print, that is CPU taken from the suite (about a third of a page test's).
    The page then shows the print as being made, as it does while LibreOffice works. Tests about
    the print are marked `prints`."""
    patch.setattr(print_preview, "_claim", lambda _folder: False)


def login(client: TestClient, username: str, password: str = "demo-password"):  # noqa: ANN201
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}, follow_redirects=False
    )


def csrf_of(client: TestClient, path: str = "/") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)[1]
