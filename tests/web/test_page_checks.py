"""The page checks themselves (tests/web/page_checks.py) on small pages served under the app's own
Content-Security-Policy: they catch what they claim to, and the phone layout of list tables
(saraban.css, phone_tables.js) keeps a wide table within 390 px. Chromium only, no Prefect."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error, Page, Route

from tests.web.page_checks import axe_violations, describe_violations, sideways_overflow
from tests.web.test_browser import browser  # noqa: F401  (the module's Chromium fixture)
from web.security_headers import PAGES_POLICY

pytestmark = pytest.mark.browser
SITE = "http://saraban.test"
STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
CELL = '{"revision_sha256":"2efdcac636df4120e238eeb7bfc1e7dd1f9beba25c1e0e1f6f0b7a3b9c2d4e5f"}'  # as on the audit page
WIDE_TABLE = (
    "<table class='list'><tr><th>ผู้ปฏิบัติแทน</th><th>ตำแหน่ง</th><th>รายละเอียด</th><th></th></tr>"
    f"<tr><td>phakphum</td><td>mayor</td><td>{CELL}</td><td><button type='submit'>ยุติ</button></td></tr></table>"
)


def page_html(body: str, *, styled: bool = True) -> str:
    head = (
        "<link rel='stylesheet' href='/static/saraban.css'><script src='/static/phone_tables.js'></script>"
        if styled
        else ""
    )
    return (
        f"<!doctype html><html lang='th'><head><title>ทดสอบ</title>{head}</head><body><main>{body}</main></body></html>"
    )


@pytest.fixture
def page(browser) -> Iterator[Page]:  # noqa: F811
    """A page whose site answers `page.serve(html)` at / and the real static files, with the app's CSP."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    served = {"/": ""}

    def answer(route: Route) -> None:
        path = route.request.url.removeprefix(SITE)
        if path.startswith("/static/"):
            kind = "text/css" if path.endswith(".css") else "text/javascript"
            route.fulfill(body=(STATIC / path.removeprefix("/static/")).read_bytes(), content_type=kind)
        elif path == "/frame":  # a document for an iframe (the app's pages refuse to be framed)
            route.fulfill(
                body="<!doctype html><html lang='th'><title>กรอบ</title><body></body></html>",
                content_type="text/html; charset=utf-8",
            )
        else:
            route.fulfill(
                body=served["/"],
                content_type="text/html; charset=utf-8",
                headers={"Content-Security-Policy": PAGES_POLICY},
            )

    context.route(f"{SITE}/**", answer)
    page = context.new_page()
    page.serve = lambda html: (served.__setitem__("/", html), page.goto(f"{SITE}/"))
    yield page
    context.close()


def test_axe_runs_under_the_pages_csp_and_names_what_is_wrong(page):
    page.serve(page_html("<input type='text'><button type='submit'></button><script>window.inline = 1</script>"))
    assert page.evaluate("() => window.inline") is None  # the CSP is in force: no inline script runs
    with pytest.raises(Error):  # which is why axe is evaluated, not added as a <script>
        page.add_script_tag(content="window.added = 1")
    violations = axe_violations(page)
    assert {v["id"] for v in violations} >= {"label", "button-name"}
    described = describe_violations(violations)
    assert "[critical] label" in described and '<input type="text">' in described


def test_a_clean_page_has_no_serious_violation(page):
    page.serve(page_html("<h1>รอพิจารณา</h1><label for='q'>ค้นหา</label><input id='q' type='text'>"))
    assert axe_violations(page) == []


def test_a_wide_table_scrolls_sideways_without_the_phone_layout(page):
    page.serve(page_html(WIDE_TABLE, styled=False))
    overflow = sideways_overflow(page)
    assert overflow["scrollWidth"] > overflow["clientWidth"] + 1
    assert any(culprit["element"] == "td" for culprit in overflow["culprits"])


def test_the_phone_layout_stacks_the_table_as_labelled_cards(page):
    page.serve(page_html(WIDE_TABLE))
    assert sideways_overflow(page) is None
    labels = page.eval_on_selector_all("table.list td", "cells => cells.map(c => c.dataset.label || '')")
    assert labels == ["ผู้ปฏิบัติแทน", "ตำแหน่ง", "รายละเอียด", ""]
    label_shown = page.eval_on_selector("table.list td", "c => getComputedStyle(c, '::before').content")
    assert label_shown == '"ผู้ปฏิบัติแทน"'
    page.set_viewport_size({"width": 1366, "height": 900})  # a desktop keeps the table
    assert page.eval_on_selector("table.list tr", "r => getComputedStyle(r).display") == "table-row"


def test_a_frame_of_the_page_is_checked_too(page):
    page.serve(page_html("<h1>บันทึก</h1><iframe title='ตัวอย่าง' src='/frame'></iframe>"))
    frame = page.frames[1]
    frame.wait_for_load_state()
    frame.evaluate("() => { document.body.innerHTML = '<input type=text>'; }")  # an unlabelled field inside
    assert "label" in {v["id"] for v in axe_violations(page)}
