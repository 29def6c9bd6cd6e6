"""Every error a browser meets is a Thai page (English in brackets) that says what happened and
where to go, with the status code kept; /api/ answers JSON with a Thai and English message."""

from fastapi.testclient import TestClient

from tests.web.conftest import login
from web.app import create_app


def html(response) -> str:  # noqa: ANN001
    assert response.headers["content-type"].startswith("text/html"), response.text[:200]
    assert '<div class="card error-page" role="alert">' in response.text
    return response.text


def test_a_post_only_address_opened_in_the_browser_is_a_405_page_leading_back_to_the_memo(client):
    login(client, "kanokporn")
    response = client.get("/memos/1/sign")
    assert response.status_code == 405
    page = html(response)
    assert "ใช้หน้านี้ด้วยวิธีนี้ไม่ได้ (method not allowed)" in page
    assert 'href="/memos/1"' in page and 'href="/"' in page


def test_a_memo_number_that_is_not_a_number_is_a_422_page(client):
    login(client, "kanokporn")
    response = client.get("/memos/abc")
    assert response.status_code == 422
    page = html(response)
    assert "ข้อมูลในที่อยู่หรือแบบฟอร์มไม่ถูกต้อง (invalid input)" in page
    assert "ที่อยู่ (URL): memo_id" in page and '"detail"' not in page


def test_an_unknown_address_is_a_404_page(client):
    for path in ("/nowhere", "/public/no-such-office", "/static/missing.css"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "ไม่พบ" in html(response), path
    assert (
        "ไม่พบหน่วยงาน no-such-office (no organisation &#39;no-such-office&#39;)"
        in client.get("/public/no-such-office").text
    )
    assert 'href="/public/kokphutsa"' in client.get("/public/kokphutsa/99").text  # up to the office


def test_the_api_keeps_json_with_thai_and_english_messages(client):
    missing = client.get("/api/nowhere")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/json"
    assert missing.json()["detail"].startswith("ไม่พบหน้านี้ (page not found)")
    assert client.get("/api/public/nowhere").json()["detail"] == "ไม่พบหน่วยงาน nowhere (no organisation 'nowhere')"
    login(client, "kanokporn")
    wrong_method = client.get("/api/memos/1/sign")
    assert wrong_method.status_code == 405 and "(method not allowed)" in wrong_method.json()["detail"]
    invalid = client.get("/api/memos/abc")
    assert invalid.status_code == 422 and invalid.headers["content-type"] == "application/json"
    assert invalid.json()["detail"][0]["loc"] == ["path", "memo_id"]  # FastAPI's own list, kept for clients
    assert "(invalid input)" in invalid.json()["message"]


def test_an_unexpected_failure_is_a_500_page_and_json_on_the_api(web_home, monkeypatch):
    def broken(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("web.routes.public.published", broken)
    monkeypatch.setattr("web.routes.api.published", broken)
    client = TestClient(create_app(), base_url="http://127.0.0.1", raise_server_exceptions=False)
    page = client.get("/public/kokphutsa")
    assert page.status_code == 500 and "ระบบขัดข้อง (server error)" in html(page)
    assert "disk on fire" not in page.text
    api = client.get("/api/public/kokphutsa")
    assert api.status_code == 500 and "(server error)" in api.json()["detail"]
