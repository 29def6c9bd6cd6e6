"""/docs works without internet: Swagger UI and its start-up come from this site, under the same
CSP as every page (no inline script, no other host); the favicon is served and linked."""

import re

from web.security_headers import PAGES_POLICY


def test_docs_load_every_asset_from_this_site(client):
    response = client.get("/docs")
    assert response.status_code == 200
    page = response.text
    assert not re.search(r"(https?:)?//[a-z]", page)  # no CDN, no other host
    assert "<script>" not in page and "<style" not in page and "style=" not in page  # nothing inline
    assets = re.findall(r'(?:src|href)="(/[^"]+)"', page)
    assert {"/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css", "/static/api-docs.js"} <= set(assets)
    for path in assets:
        asset = client.get(path)
        assert asset.status_code == 200 and asset.content, path
    assert "SwaggerUIBundle" in client.get("/docs/assets/swagger-ui-bundle.js").text
    assert "url: root.dataset.openapiUrl" in client.get("/static/api-docs.js").text
    assert 'data-openapi-url="/openapi.json"' in page and client.get("/openapi.json").json()["paths"]


def test_docs_are_under_the_pages_policy(client):
    policy = client.get("/docs").headers["content-security-policy"]
    assert policy == PAGES_POLICY
    assert "unsafe-inline" not in policy and "http" not in policy


def test_only_swagger_ui_is_served_from_the_package_and_redoc_is_off(client):
    assert client.get("/docs/assets/swagger-editor-bundle.js").status_code == 404
    assert client.get("/docs/assets/..%2F__init__.py").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_the_favicon_is_served_and_linked(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert '<link rel="icon" href="/favicon.ico">' in client.get("/login").text
