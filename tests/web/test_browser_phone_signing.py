"""Signing on a phone (issue 21, finding 2), in Debian's Chromium at 390×844 on the real stack. The
sign form sat 2,600-3,400 px down the page, under full-width page images too small to read. Now
a signer goes from the top of the memo page to a recorded decision within three screen heights
of scrolling, with the print one tap away (each page opens alone, full-size); an acting signer
is told whose duties and under which order; and five memos are read one after another and
approved with one PIN, a memo withdrawn meanwhile left out with the reason."""

import time

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from models import Decision
from models.db import default_engine, session_scope
from models.enums import DecisionKind
from services.memo_life.endings import end_memo
from tests.builders import PIN, memo_in_review, sign
from tests.web.test_browser import ARTIFACTS, Person, browser, site  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.prefect, pytest.mark.browser, pytest.mark.prints]
PHONE = {"width": 390, "height": 844}
PRINT_SECONDS = 180


def on_phone(browser, site: str, username: str) -> Person:  # noqa: F811
    person = Person(browser, site, username)
    person.page.set_viewport_size(PHONE)
    return person


def wait_for_prints(page: Page, count: int) -> None:
    """The page images shown in place once made (saraban.js), and loaded."""
    deadline = time.monotonic() + PRINT_SECONDS
    loaded = "[...document.querySelectorAll('img.print-page')].every(i => i.complete && i.naturalWidth > 0)"
    while page.locator(".print-pages[data-state=ready]").count() < count or not page.evaluate(loaded):
        assert time.monotonic() < deadline, "the print was not shown in time"
        time.sleep(0.5)


def sign_from_the_top(person: Person, memo_id: int, shot: str) -> list[float]:
    """Open the memo, take the way to the form at the top, approve; the scroll positions it took."""
    page = person.page
    person.open(memo_id)
    wait_for_prints(page, 1)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / f"{shot}-top.png"))
    page.screenshot(path=str(ARTIFACTS / f"{shot}-full.png"), full_page=True)
    # The print one tap away: a page opens alone, full-size (the phone's own zoom works on it).
    with person.context.expect_page() as opened:
        page.locator("a.print-page-link").first.click()
    image = opened.value
    image.wait_for_load_state()
    assert image.url.endswith(".png") and image.evaluate("document.images[0].naturalWidth") == 910
    image.close()
    page.evaluate("window.scrollTo(0, 0)")
    positions = [page.evaluate("window.scrollY")]
    page.click("#go-sign")
    positions.append(page.evaluate("window.scrollY"))
    for act in (
        lambda: page.check("input[name=decision][value=approve]"),
        lambda: page.fill("#pin", PIN),
        lambda: page.click("#sign-card button[type=submit]"),
    ):
        act()
        positions.append(page.evaluate("window.scrollY"))
    expect(page.locator(".flash.ok")).to_contain_text("บันทึกการลงนามแล้ว")
    return positions


def test_a_phone_signer_signs_from_the_top_within_three_screens_as_themselves_and_acting(browser, site):  # noqa: F811
    engine = default_engine()
    memo_id = memo_in_review(engine).id
    head = on_phone(browser, site, "kanokporn")
    positions = sign_from_the_top(head, memo_id, "phone-sign-after")
    assert max(positions) <= 3 * PHONE["height"], positions
    head.close()

    sign(engine, memo_id, "phakphum")  # the clerk's own step; the mayor's post is vacant and he acts
    clerk = on_phone(browser, site, "phakphum")
    clerk.open(memo_id)
    page = clerk.page
    expect(page.locator("#act-now")).to_contain_text("ในฐานะ ปฏิบัติหน้าที่ นายกเทศมนตรีตำบลโคกพุทรา")
    acting = page.locator("#acting-for")
    expect(acting).to_contain_text("นายกเทศมนตรีตำบลโคกพุทรา")
    expect(acting).to_contain_text("ตำแหน่งว่าง")
    expect(acting).to_contain_text("คำสั่งเทศบาลตำบลโคกพุทรา ที่ ๑๒๐/๒๕๖๙")
    expect(page.locator("#signing-revision")).to_contain_text("ฉบับที่ ๑ ส่งเมื่อ")
    expect(page.locator("#sign-hashes")).not_to_have_attribute("open", "")  # the hashes folded away
    positions = sign_from_the_top(clerk, memo_id, "phone-sign-acting-after")
    assert max(positions) <= 3 * PHONE["height"], positions
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
    with session_scope(engine) as session:
        last = session.exec(select(Decision).where(Decision.memo_id == memo_id, Decision.step_index == 2)).one()
        assert (last.kind, last.capacity.value) == (DecisionKind.APPROVE, "ปฏิบัติหน้าที่")
    clerk.close()


def test_five_memos_read_in_turn_and_approved_with_one_pin_one_withdrawn_meanwhile(browser, site):  # noqa: F811
    engine = default_engine()
    memo_ids = [memo_in_review(engine).id for _ in range(5)]
    head = on_phone(browser, site, "kanokporn")
    page = head.page
    page.goto(f"{site}/")
    for memo_id in memo_ids:
        page.check(f"input[name=memo][value='{memo_id}']")
    page.click("#sign-many-open")
    expect(page.locator("section.bulk-memo")).to_have_count(5)
    wait_for_prints(page, 5)  # each memo's print, one after another
    page.screenshot(path=str(ARTIFACTS / "phone-sign-many.png"), full_page=True)
    withdrawn = memo_ids[2]
    end_memo("withdraw", memo_id=withdrawn, username="somying", pin=PIN, reason="ส่งซ้ำ", via="test")

    page.click(".chips button:text-is('ชอบ')")
    page.fill("#pin", PIN)
    page.click("#bulk-confirm button[type=submit]")
    expect(page.locator("#bulk-signed")).to_contain_text("บันทึกการลงนามแล้ว ๔ เรื่อง")
    left_out = page.locator("#bulk-left-out li")
    expect(left_out).to_have_count(1)
    expect(left_out).to_have_attribute("data-memo", str(withdrawn))
    expect(left_out).to_contain_text("ผู้ร่างถอนเรื่องแล้ว")  # where it stands: the reason it was left out
    page.screenshot(path=str(ARTIFACTS / "phone-sign-many-done.png"), full_page=True)
    with session_scope(engine) as session:
        signed = session.exec(select(Decision).where(Decision.memo_id.in_(memo_ids))).all()
        assert sorted(d.memo_id for d in signed) == sorted(set(memo_ids) - {withdrawn})
        assert {(d.kind, d.minute) for d in signed} == {(DecisionKind.APPROVE, "ชอบ")}
    head.close()
