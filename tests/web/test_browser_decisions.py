"""A decision is recorded as the signer meant it (issue 20, finding 1). A signer chose ส่งคืนแก้ไข,
forgot the reason and was refused; the form came back with เห็นชอบ selected again, and on a phone
the error sat 2,600 px above the form: she typed the reason, confirmed, and the memo was
approved. Now, in Debian's Chromium on a phone and a desktop: the refused form keeps her choice
and minute, says why beside the form, and puts the cursor in the field to fix; no decision is
chosen for her; the memo ends returned, never approved."""

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from models import Decision, Memo
from models.db import default_engine, session_scope
from models.enums import DecisionKind, MemoStatus
from tests.builders import PIN, memo_in_review
from tests.web.test_browser import ARTIFACTS, Person, browser, fill_memo_form, site  # noqa: F401 - the fixtures

pytestmark = [pytest.mark.prefect, pytest.mark.browser]


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900)])
def test_a_return_without_a_reason_comes_back_as_a_return_and_never_becomes_an_approval(
    browser,  # noqa: F811
    site,  # noqa: F811
    width,
    height,
):
    memo_id = memo_in_review(default_engine()).id  # waits for kanokporn, the head of office
    signer = Person(browser, site, "kanokporn")
    page = signer.page
    page.set_viewport_size({"width": width, "height": height})
    signer.open(memo_id)
    expect(page.locator("input[name=decision]:checked")).to_have_count(0)  # nothing chosen for her

    page.check("input[name=decision][value=return]")
    page.fill("#pin", PIN)
    page.click("#sign-card button[type=submit]")
    error = page.locator("#sign-error")
    expect(error).to_contain_text("ต้องระบุเหตุผล")
    expect(page.locator("input[name=decision][value=return]")).to_be_checked()
    expect(page.locator("input[name=decision][value=approve]")).not_to_be_checked()
    expect(page.locator("#minute")).to_be_focused()
    expect(page.locator("#minute")).to_be_in_viewport()  # the field to fix is on screen, not 2,600 px away
    expect(error).to_be_in_viewport()
    signer.shot(f"decision-reason-required-{width}")

    page.fill("#minute", "ขอให้แก้ไขวันที่ในข้อ ๒")
    page.fill("#pin", PIN)
    page.click("#sign-card button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("ส่งคืนผู้ร่างให้แก้ไขแล้ว")
    with session_scope(default_engine()) as session:
        assert session.get(Memo, memo_id).status == MemoStatus.RETURNED
        [decision] = session.exec(select(Decision).where(Decision.memo_id == memo_id)).all()
        assert (decision.kind, decision.minute) == (DecisionKind.RETURN, "ขอให้แก้ไขวันที่ในข้อ ๒")
    signer.context.close()


def test_back_and_send_again_makes_one_memo_unless_confirmed(browser, site):  # noqa: F811
    """Back after sending reloads the form (signed-in pages are no-store) with a new one-time key
    and Chromium refills the fields: sending again made a second memo with a new register number."""
    officer = Person(browser, site, "somying")
    page = officer.page
    page.goto(f"{site}/memos/new")
    fill_memo_form(page)
    page.fill("#subject", "ขออนุมัติประกาศ ทดสอบการกดย้อนกลับแล้วส่งซ้ำ")
    page.fill("#pin", PIN)
    page.click("button[value=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("ส่งบันทึกแล้ว")
    first = int(page.url.split("/memos/")[1].split("?")[0])
    memos_before = memo_count()

    page.go_back()
    expect(page.locator("#subject")).to_be_visible()
    if page.locator("#subject").input_value() == "":  # refilled by Chromium, or typed again by the person
        fill_memo_form(page)
        page.fill("#subject", "ขออนุมัติประกาศ ทดสอบการกดย้อนกลับแล้วส่งซ้ำ")
    page.fill("#pin", PIN)
    page.click("button[value=submit]")
    asked = page.locator("#duplicate-of")
    expect(asked).to_contain_text("เนื้อหาเดียวกันนี้ท่านส่งไปแล้ว")
    expect(asked.locator("a")).to_have_attribute("href", f"/memos/{first}")
    assert memo_count() == memos_before  # nothing sent, no register number taken
    officer.shot("decision-back-and-resend-asks")
    asked.locator("a").click()
    expect(page).to_have_url(f"{site}/memos/{first}")
    officer.context.close()


def memo_count() -> int:
    with session_scope(default_engine()) as session:
        return len(session.exec(select(Memo.id)).all())
