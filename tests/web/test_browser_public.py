"""The public page and /docs in Debian's Chromium on the real stack: a memo published by its flow
run is listed under its printed title, found by the search form (no script needed), read on its
own page, at desktop and phone widths; and /docs shows the API's operations with no other host
(the test machine has no internet) and no CSP violation."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from models import Memo
from models.db import default_engine, session_scope
from tests.builders import memo_in_review, sign
from tests.web.test_browser import ARTIFACTS, browser, site, wait_until_published  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.prefect, pytest.mark.browser]
TITLE = "ประกาศเทศบาลตำบลโคกพุทรา เรื่อง มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def no_sideways_scroll(page) -> bool:  # noqa: ANN001
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_public_page_title_search_and_api_docs_in_chromium(browser, site):  # noqa: F811
    engine = default_engine()
    memo = memo_in_review(engine)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo.id, username)
    wait_until_published(memo.id)  # by the memo's flow run, through the deliverer
    with session_scope() as session:
        fiscal_year = session.get(Memo, memo.id).fiscal_year

    for name, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport, locale="th-TH")  # a citizen: no login
        page = context.new_page()
        page.goto(f"{site}/public/kokphutsa")
        expect(page.locator(".public-item h2").first).to_have_text(TITLE)
        assert no_sideways_scroll(page), name
        page.screenshot(path=str(ARTIFACTS / f"public-{name}-list.png"), full_page=True)

        page.select_option("#year", str(fiscal_year))
        page.fill("#q", "ผู้มีส่วนได้ส่วนเสีย เว็บไซต์")
        page.click(".public-search button[type=submit]")
        # Other tests of the session publish too: the announcement is among what the search finds.
        expect(page.locator(".search-result")).to_contain_text("พบ")
        expect(page.locator(".public-item h2", has_text=TITLE).first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"public-{name}-search-found.png"), full_page=True)
        page.fill("#q", "ภาษีป้าย")
        page.click(".public-search button[type=submit]")
        expect(page.locator("main")).to_contain_text("ไม่พบประกาศที่ตรงกับการค้นหา")
        expect(page.locator(".public-item")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / f"public-{name}-search-none.png"), full_page=True)

        page.goto(f"{site}/public/kokphutsa")
        page.click(f"text={TITLE}")
        expect(page).to_have_title(f"{TITLE} · Saraban")
        expect(page.locator(".announcement-text")).to_contain_text("๑. วิเคราะห์ผลการดำเนินงาน")
        expect(page.locator(".announcement-text .signature")).to_contain_text("ว่าที่ร้อยตรี")
        expect(page.locator(".public-item")).to_contain_text("ลงนามอิเล็กทรอนิกส์โดยเทศบาลตำบลโคกพุทรา")
        expect(page.locator(".public-item details.technical")).not_to_have_attribute("open", "")
        assert no_sideways_scroll(page), name
        page.screenshot(path=str(ARTIFACTS / f"public-{name}-announcement.png"), full_page=True)
        context.close()

    context = browser.new_context(viewport=WIDTHS["desktop"])
    page = context.new_page()
    hosts, refused = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto(f"{site}/docs")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible(timeout=30_000)
    assert operations.count() >= 5
    expect(page.locator("#swagger-ui")).to_contain_text("/api/memos/{memo_id}/sign")
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=True)
    assert hosts == {urlsplit(site).netloc}, hosts
    assert refused == [], refused
    context.close()
