"""Thai digits and BE dates in Debian's Chromium on the real stack: a signing PIN typed in Thai
digits is accepted, and a delegation's dates are typed day/month/BE year (the text field that
replaced the date picker, which showed the Western year). Screenshots in test-artifacts/browser/."""

import pytest
from playwright.sync_api import expect

from models.db import default_engine, session_scope
from models.digits import thai_digits
from services.accounts.people import PIN_ATTEMPTS, pin_failures
from tests.builders import PIN, memo_in_review
from tests.web.test_browser import ARTIFACTS, Person, browser, site  # noqa: F401 - the fixtures

pytestmark = [pytest.mark.prefect, pytest.mark.browser]
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def test_a_thai_digit_pin_signs_and_a_be_date_makes_a_delegation(browser, site):  # noqa: F811
    admin = Person(browser, site, "kanokporn")
    page = admin.page
    page.goto(f"{site}/admin/delegations")
    expect(page.locator("#d-from")).to_have_attribute("type", "text")
    page.select_option("#d-user", "preecha")
    page.select_option("#d-pos", "mayor")
    page.select_option("#d-cap", "รักษาราชการแทน")
    page.fill("#d-order", "คำสั่ง ที่ ๙/๒๕๖๙")
    page.locator("#d-from").press_sequentially("๒/๑๒/๒๕๖๙")  # typed on a Thai keyboard
    page.locator("#d-to").press_sequentially("02122570")  # typed on a number pad, run together
    page.click("form[action='/admin/delegations'] button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("มีผล ๒ ธันวาคม พ.ศ. ๒๕๖๙ ถึง ๒ ธันวาคม พ.ศ. ๒๕๗๐")
    expect(page.locator("#delegations")).to_contain_text("๒ ธ.ค. ๖๙ – ๒ ธ.ค. ๗๐")
    admin.shot("digits-delegation-in-be")

    page.locator("#d-from").press_sequentially("2/12/2026")  # a Western year, by habit: refused, said how
    page.locator("#d-to").press_sequentially("2/12/2570")
    page.click("form[action='/admin/delegations'] button[type=submit]")
    expect(page.locator(".flash.error")).to_contain_text("ปี ค.ศ.")
    expect(page.locator(".flash.error")).to_contain_text("๒๕๖๙")

    memo = memo_in_review(default_engine())
    admin.open(memo.id)
    pin = page.locator("#pin")
    expect(pin).to_have_attribute("inputmode", "numeric")
    page.check("input[name=decision][value=approve]")
    page.fill("#minute", "โปรดพิจารณา")
    with session_scope(default_engine()) as session:
        left = PIN_ATTEMPTS - pin_failures(session, "kanokporn") - 1
    assert left > 0, "kanokporn is locked by an earlier module's wrong PINs"
    pin.press_sequentially("000000".translate(THAI))  # wrong: how many tries are left, no username
    page.click("#sign-card button[type=submit]")
    expect(page.locator(".flash.error")).to_contain_text(f"ลองได้อีก {thai_digits(left)} ครั้ง")
    expect(page.locator(".flash.error")).not_to_contain_text("ชื่อผู้ใช้")
    page.fill("#pin", "")
    page.locator("#pin").press_sequentially(PIN.translate(THAI))
    page.click("#sign-card button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("บันทึกการลงนามแล้ว")
    expect(page.locator("#where-now")).to_contain_text("ขั้นที่ ๒/๓")
    admin.shot("digits-signed-with-a-thai-digit-pin")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site}/memos/{memo.id}/history")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll
    page.screenshot(path=str(ARTIFACTS / "digits-history-390.png"), full_page=True)
    admin.close()
