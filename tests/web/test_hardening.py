"""The smaller web defences, tried over HTTP the way an attacker (or an unlucky double click)
would: resent memo forms and API retries, broken images, forged Host headers, huge bodies, and
the headers that keep pages out of caches, inline script out of pages and HTTP out of HTTPS."""

import io
import re
import struct
import threading
import zlib
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import func, select

from cli.demo import draft_004
from models import Memo, Organisation, RegisterEntry
from models.db import session_scope
from models.settings import get_settings
from services.publication.publication import publish
from tests.builders import PIN
from tests.documents.tiny_png import tiny_png
from tests.web.test_pages import as_user, memo_form, sign, stage_all, submit
from web.app import create_app
from web.server import web_in_background
from web.templating import TEMPLATES_DIR

STATIC_DIR = Path(TEMPLATES_DIR).parent / "static"


def memos_and_numbers() -> tuple[int, int]:
    with session_scope() as session:
        return (
            session.exec(select(func.count()).select_from(Memo)).one(),
            session.exec(select(func.count()).select_from(RegisterEntry)).one(),
        )


def form_key(page: str) -> str:
    return re.search(r'name="submission_key" value="([^"]+)"', page)[1]


# Idempotent submission -------------------------------------------------------------------


def test_a_memo_form_sent_twice_makes_one_memo_and_takes_one_number(client):
    token = as_user(client, "somying")
    key = form_key(client.get("/memos/new").text)
    sent = [
        client.post(
            "/memos/new", data={**memo_form(), "csrf_token": token, "submission_key": key}, follow_redirects=False
        )
        for _ in range(2)
    ]
    assert [r.status_code for r in sent] == [303, 303]
    assert sent[0].headers["location"].split("?")[0] == sent[1].headers["location"].split("?")[0]
    assert memos_and_numbers() == (1, 1)
    # Back, then send again: the form has a new key, and the same content asks first, naming the
    # memo already sent; no register number is taken until the person confirms another.
    fresh = form_key(client.get("/memos/new").text)
    assert fresh != key
    asked = client.post("/memos/new", data={**memo_form(), "csrf_token": token, "submission_key": fresh})
    assert asked.status_code == 409 and 'id="duplicate-of"' in asked.text
    assert sent[0].headers["location"].split("?")[0] in asked.text  # a link to the memo already sent
    assert memos_and_numbers() == (1, 1)
    confirmed = {**memo_form(), "csrf_token": token, "submission_key": fresh, "again": "yes"}
    assert client.post("/memos/new", data=confirmed, follow_redirects=False).status_code == 303
    assert memos_and_numbers() == (2, 2)


def test_back_to_a_saved_draft_after_sending_it_leads_to_the_memo_it_became(client):
    token = as_user(client, "somying")
    key = form_key(client.get("/memos/new").text)
    saved = client.post(
        "/memos/new", data={**memo_form(), "csrf_token": token, "action": "save"}, follow_redirects=False
    )
    draft_page = saved.headers["location"].split("&")[0]  # /memos/new?draft=N
    draft_id = draft_page.split("=")[1]
    sent = client.post(
        "/memos/new",
        data={**memo_form(), "csrf_token": token, "submission_key": key, "draft_id": draft_id},
        follow_redirects=False,
    )
    memo_page = sent.headers["location"].split("?")[0]
    back = client.get(draft_page, follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == f"{memo_page}?msg=already-sent"
    assert "ร่างนี้ส่งเป็นบันทึกฉบับนี้แล้ว" in client.get(back.headers["location"]).text
    assert f"draft={draft_id}" not in client.get("/").text  # no longer among the drafts


def test_a_form_refused_for_a_wrong_pin_keeps_its_key_so_the_corrected_resend_is_still_one(client):
    token = as_user(client, "somying")
    key = form_key(client.get("/memos/new").text)
    refused = client.post("/memos/new", data={**memo_form(pin="000000"), "csrf_token": token, "submission_key": key})
    assert refused.status_code == 403 and form_key(refused.text) == key
    for _ in range(2):
        client.post("/memos/new", data={**memo_form(), "csrf_token": token, "submission_key": key})
    assert memos_and_numbers() == (1, 1)


def test_a_double_click_racing_two_requests_makes_one_memo(web_home):
    with web_in_background(create_app(), _free_port()) as site, httpx.Client(base_url=site) as browser:
        token = _login(browser, "somying")
        key = form_key(browser.get("/memos/new").text)
        data = {**memo_form(), "csrf_token": token, "submission_key": key}
        statuses: list[int] = []
        go = threading.Barrier(4)

        def send() -> None:
            go.wait()
            statuses.append(browser.post("/memos/new", data=data).status_code)

        threads = [threading.Thread(target=send) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert statuses == [303] * 4
    assert memos_and_numbers() == (1, 1)


def test_an_api_post_retried_with_the_same_idempotency_key_makes_one_memo(client):
    token = as_user(client, "somying")
    body = {"draft": draft_004().model_dump(mode="json"), "pin": PIN}
    headers = {"X-CSRF-Token": token, "Idempotency-Key": "retry-7f3a9c2e"}
    first, second = (client.post("/api/memos", json=body, headers=headers) for _ in range(2))
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert memos_and_numbers() == (1, 1)
    other = {"draft": draft_004().model_copy(update={"subject": "เรื่องอื่น"}).model_dump(mode="json"), "pin": PIN}
    reused = client.post("/api/memos", json=other, headers=headers)
    assert reused.status_code == 422 and "submission key" in reused.json()["detail"]
    assert memos_and_numbers() == (1, 1)
    # No key, the same content within the hour: asked first (409), a new memo once confirmed.
    assert client.post("/api/memos", json=body, headers={"X-CSRF-Token": token}).status_code == 409
    assert memos_and_numbers() == (1, 1)
    client.post("/api/memos", json={**body, "again": True}, headers={"X-CSRF-Token": token})
    assert memos_and_numbers() == (2, 2)


# The Garuda upload -------------------------------------------------------------------------


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def _png_claiming(width: int, height: int) -> bytes:
    """Valid chunks and checksums, but pixel data for 1×1 under a header that says otherwise."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + _png_chunk(b"IEND", b"")
    )


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 60), "gold").save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    "name, content",
    [
        ("truncated", tiny_png()[:-20]),
        ("no end", tiny_png()[:-12]),
        ("wrong size", _png_claiming(300, 300)),
        ("huge", _png_claiming(40000, 40000)),
        ("not an image", b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>" * 20),
        ("truncated jpeg", _jpeg()[:-200]),
    ],
)
def test_a_broken_garuda_image_is_refused_with_a_clear_message(client, name, content):
    token = as_user(client, "kanokporn")
    response = client.post(
        "/admin/garuda", data={"csrf_token": token}, files={"image": ("garuda.png", content)}, follow_redirects=True
    )
    assert "ไม่ใช่ภาพ PNG/JPEG ที่สมบูรณ์" in response.text or "พิกเซล" in response.text, name
    assert _garuda_path() == "", name


@pytest.mark.parametrize("content, suffix", [(tiny_png(), ".png"), (_jpeg(), ".jpg")])
def test_a_whole_image_is_kept(client, content, suffix):
    token = as_user(client, "kanokporn")
    client.post("/admin/garuda", data={"csrf_token": token}, files={"image": ("x", content)})
    assert _garuda_path().endswith(suffix) and Path(_garuda_path()).read_bytes() == content


def _garuda_path() -> str:
    with session_scope() as session:
        return session.exec(select(Organisation.garuda_image_path).where(Organisation.code == "kokphutsa")).one()


# Headers -------------------------------------------------------------------------------------


def published_memo(client: TestClient) -> int:
    memo_id = submit(client)
    stage_all(client, memo_id)
    for username in ("kanokporn", "phakphum", "phakphum"):
        assert sign(client, memo_id, username).status_code == 303
    with session_scope() as session:
        publish(session, memo_id=memo_id)
    return memo_id


def test_signed_in_pages_api_answers_and_downloads_are_never_cached(client, no_libreoffice):
    memo_id = published_memo(client)
    as_user(client, "somying")
    page = client.get(f"/memos/{memo_id}")
    name = re.search(rf'href="/memos/{memo_id}/files/([^"]+)"', page.text)[1]
    for response in (
        page,
        client.get("/"),
        client.get("/api/me"),
        client.get(f"/memos/{memo_id}/files/{name}"),
        client.get("/login"),
    ):
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store", response.url
    assert "no-store" not in client.get("/static/saraban.css").headers.get("cache-control", "")


def test_every_page_runs_under_a_policy_without_inline_script_or_style(client, no_libreoffice):
    memo_id = published_memo(client)
    pages = [
        ("somying", "/"),
        ("somying", "/memos/new"),
        ("somying", f"/memos/{memo_id}"),
        ("somying", f"/memos/{memo_id}/history"),
        ("kanokporn", "/admin"),
        ("kanokporn", "/admin/audit"),
        (None, "/public/kokphutsa"),
        (None, "/login"),
        (None, "/no-such-page"),
    ]
    for username, path in pages:
        client.cookies.clear()
        if username:
            as_user(client, username)
        response = client.get(path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "style-src 'self';" in policy and "'unsafe-inline'" not in policy
        html = response.text
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), path  # inline script
        assert not re.search(r"\son[a-z]+\s*=", html), path  # event-handler attributes
        assert not re.search(r"\sstyle\s*=|<style", html), path  # inline style
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
            assert client.get(asset).status_code == 200, asset
    assert (STATIC_DIR / "saraban.js").exists()


def test_hsts_on_https_or_behind_a_tls_proxy_and_not_on_plain_http(web_home, monkeypatch):
    assert (
        "strict-transport-security" not in TestClient(create_app(), base_url="http://127.0.0.1").get("/login").headers
    )
    hsts = TestClient(create_app(), base_url="https://saraban.example").get("/login").headers
    assert hsts["strict-transport-security"].startswith("max-age=31536000")
    monkeypatch.setenv("SARABAN_COOKIE_SECURE", "always")
    get_settings.cache_clear()
    assert "strict-transport-security" in TestClient(create_app(), base_url="http://127.0.0.1").get("/login").headers


# The feed and the public base URL ---------------------------------------------------------------


def test_a_forged_host_header_does_not_reach_the_feed(client, no_libreoffice, monkeypatch):
    published_memo(client)
    client.cookies.clear()
    forged = client.get("/public/kokphutsa/feed.atom", headers={"Host": "evil.example"})
    assert forged.status_code == 200 and "<entry>" in forged.text
    assert "evil.example" not in forged.text and "127.0.0.1" not in forged.text
    assert 'href="/public/kokphutsa/' in forged.text and "<id>urn:saraban:kokphutsa" in forged.text
    monkeypatch.setenv("SARABAN_PUBLIC_BASE_URL", "https://saraban.kokphutsa.go.th/")
    get_settings.cache_clear()
    configured = client.get("/public/kokphutsa/feed.atom", headers={"Host": "evil.example"}).text
    assert "evil.example" not in configured
    links = re.findall(r'href="([^"]+)"', configured)
    assert links and all(link.startswith("https://saraban.kokphutsa.go.th/public/kokphutsa") for link in links)


# Request size --------------------------------------------------------------------------------


def test_a_huge_body_is_refused_with_413_before_any_route_reads_it(client, monkeypatch):
    token = as_user(client, "kanokporn")
    huge = b"\x89PNG\r\n\x1a\n" + b"\0" * (get_settings().max_request_bytes + 1)
    response = client.post("/admin/garuda", data={"csrf_token": token}, files={"image": ("garuda.png", huge)})
    assert response.status_code == 413 and "ข้อมูลที่ส่งมีขนาดเกิน" in response.text
    api = client.post(
        "/api/memos",
        content=b"{" + b" " * get_settings().max_request_bytes + b"}",
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    assert api.status_code == 413 and "larger than" in api.json()["detail"]
    monkeypatch.setenv("SARABAN_MAX_REQUEST_BYTES", "2048")  # configurable
    get_settings.cache_clear()
    small_limit = TestClient(create_app(), base_url="http://127.0.0.1")
    assert small_limit.post("/login", data={"username": "x" * 4096, "password": "y"}).status_code == 413


def test_a_huge_body_without_a_length_is_cut_off_at_the_limit(web_home, monkeypatch):
    monkeypatch.setenv("SARABAN_MAX_REQUEST_BYTES", "65536")
    get_settings.cache_clear()
    sent = 0

    def chunks():  # noqa: ANN202  (chunked transfer: no Content-Length to refuse up front)
        nonlocal sent
        for _ in range(1024):
            sent += 8192
            yield b"a=" + b"b" * 8190

    with web_in_background(create_app(), _free_port()) as site, httpx.Client(base_url=site) as browser:
        token = _login(browser, "somying")
        response = browser.post(
            "/memos/new",
            content=chunks(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": token},
        )
    assert response.status_code == 413 and "ข้อมูลที่ส่งมีขนาดเกิน" in response.text
    assert memos_and_numbers() == (0, 0)


def _login(browser: httpx.Client, username: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text)[1]
    browser.post("/login", data={"username": username, "password": "demo-password", "csrf_token": token})
    return csrf_of_page(browser)


def csrf_of_page(browser: httpx.Client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/").text)[1]


def _free_port() -> int:
    from deployments.local_server import free_port  # noqa: PLC0415  (tests may use deployments)

    return free_port()


def test_only_an_administrator_turns_prefect_ui_signing_on_and_it_is_audited(client):
    def signing_on() -> bool:
        with session_scope() as session:
            return session.exec(select(Organisation.prefect_ui_signing).where(Organisation.code == "kokphutsa")).one()

    assert not signing_on()  # off by default
    settings = {"register_prefix": "อท ๕๓๗๐๑.๔", "prefect_ui_signing": "true"}
    token = as_user(client, "somying")
    assert client.post("/admin/settings", data={**settings, "csrf_token": token}).status_code == 403
    assert not signing_on()
    token = as_user(client, "kanokporn")
    client.post("/admin/settings", data={**settings, "csrf_token": token})
    assert signing_on()
    assert 'name="prefect_ui_signing" value="true" checked' in client.get("/admin/settings").text
    assert "<dt>ลงนามผ่านหน้าจอระบบงานเบื้องหลัง</dt><dd>ใช่</dd>" in client.get("/admin/audit?action=admin.settings").text
