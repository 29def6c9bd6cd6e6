"""The signer's page in Debian's Chromium on the real stack: the documents as they will print
(page images made in the background, shown without a reload) come before the sign form, and the
missing Garuda emblem is announced. Screenshots at 1366×900 and 390×844 in test-artifacts/browser/."""

import re
import time

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from models import Organisation
from tests.builders import memo_in_review, operator_scope
from tests.web.test_browser import ARTIFACTS, Person, browser, site  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.prefect, pytest.mark.browser, pytest.mark.prints]
PRINT_SECONDS = 180


def printed_garuda_paper(value: bool) -> None:
    with operator_scope() as session:
        # By its code: the session's stack may hold other organisations (other modules add them).
        session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one().printed_garuda_paper = value


def wait_until_images_loaded(page, seconds: float = 30) -> None:
    # Polled from here: wait_for_function compiles its predicate with eval, which the CSP forbids.
    loaded = "[...document.querySelectorAll('img.print-page')].every(i => i.complete && i.naturalWidth > 0)"
    deadline = time.monotonic() + seconds
    while not page.evaluate(loaded):
        assert time.monotonic() < deadline, "the page images did not load"
        time.sleep(0.2)


def test_the_signer_sees_the_printed_pages_before_the_form_and_the_emblem_warning(browser, site):  # noqa: F811
    printed_garuda_paper(False)  # plain paper and no emblem uploaded
    try:
        memo_id = memo_in_review(None).id
        signer = Person(browser, site, "kanokporn")
        signer.open(memo_id)
        page = signer.page
        expect(page.locator("#emblem-missing")).to_contain_text("ยังไม่มีภาพตราครุฑ")
        expect(page.locator("#print-making")).to_contain_text("กำลังจัดทำภาพเอกสาร")
        page.fill("#minute", "ความเห็นที่กำลังพิมพ์")  # the print arrives without a reload that would lose it
        pages = page.locator("img.print-page")
        expect(pages.first).to_be_visible(timeout=PRINT_SECONDS * 1000)
        expect(page.locator("#minute")).to_have_value("ความเห็นที่กำลังพิมพ์")
        wait_until_images_loaded(page)
        assert pages.count() >= 2  # the memo's pages, then the announcement's
        expect(page.locator("#print-memo img").first).to_have_attribute(
            "alt", re.compile(r"^บันทึกข้อความ หน้า ๑ จาก [๑-๙]")
        )
        expect(page.locator("#print-announcement img").first).to_have_attribute("alt", re.compile(r"^ประกาศ หน้า ๑"))
        before_form = page.evaluate("""() => {
            const first = document.querySelector('img.print-page'), form = document.getElementById('sign-card');
            return Boolean(first.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING);
        }""")
        assert before_form, "the sign form comes before the documents"
        page.set_viewport_size({"width": 1366, "height": 900})
        page.screenshot(path=str(ARTIFACTS / "print-before-signing-1366.png"), full_page=False)
        form, first_page = page.locator("#sign-card").bounding_box(), pages.first.bounding_box()
        assert form["x"] > first_page["x"] + first_page["width"] - 1  # beside the documents on a wide screen
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(ARTIFACTS / "print-before-signing-390.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
        form, first_page = page.locator("#sign-card").bounding_box(), pages.first.bounding_box()
        assert form["y"] > first_page["y"] + first_page["height"]  # below them on a phone
        signer.close()
    finally:
        printed_garuda_paper(True)
