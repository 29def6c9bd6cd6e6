"""Proofreading in Debian's Chromium on the real stack: ปฎิบัติ typed in ประกาศ ข้อ ๒ is marked in
the live preview as it is typed; sending asks first (nothing sent, the form as typed); once
confirmed, the memo page's report replaces "กำลังจัดทำ…" without a reload when the flow has made
it; at ทาน the finding is listed beside the confirm button, which needs it ticked."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import func, select

from models import Memo
from models.db import default_engine, session_scope
from models.enums import Stage
from services.memo_life.memos import record_stage
from tests.builders import PIN
from tests.web.test_browser import (  # noqa: F401 - the fixtures
    ARTIFACTS,
    PUBLISH_TIMEOUT_SECONDS,
    Person,
    browser,
    fill_memo_form,
    site,
)

pytestmark = [pytest.mark.prefect, pytest.mark.browser]
MEASURES = "เปิดโอกาสให้ประชาชนมีส่วนร่วมในการดำเนินงาน\nให้เจ้าหน้าที่ปฎิบัติตามแนวทางอย่างเคร่งครัด"
LABEL = "ประกาศ ข้อ ๒: ปฎิบัติ → ปฏิบัติ"


def memo_count() -> int:
    with session_scope(default_engine()) as session:
        return session.exec(select(func.count()).select_from(Memo)).one()


def test_a_misspelling_is_marked_asked_about_and_ticked_at_proofreading(browser, site):  # noqa: F811
    officer = Person(browser, site, "somying")
    page = officer.page
    page.goto(f"{site}/memos/new")
    fill_memo_form(page)
    page.fill("#measures", MEASURES)
    mark = page.locator("#announcement-paper mark.finding")
    # In ข้อ ๒ of the announcement as it will print (the first preview also loads the word lists).
    expect(mark).to_have_text("ปฎิบัติ", timeout=30_000)
    expect(mark).to_have_attribute("title", re.compile("^ปฎิบัติ → ปฏิบัติ"))
    expect(page.locator("#preview-findings")).to_contain_text(LABEL)
    officer.shot("proofreading-marked-in-the-preview")

    before = memo_count()
    page.fill("#pin", PIN)
    page.click("button[name=action][value=submit]")
    expect(page.locator("#proofread-open")).to_contain_text(LABEL)
    expect(page.locator("#measures")).to_have_value(MEASURES)  # the form as typed
    expect(page.locator("#measures-findings")).to_contain_text(LABEL)
    assert memo_count() == before  # asked first: nothing sent, no register number taken
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll
    page.screenshot(path=str(ARTIFACTS / "proofreading-asked-first-390.png"), full_page=True)
    page.set_viewport_size({"width": 1100, "height": 900})

    page.check("#proofread-confirmed")
    page.fill("#pin", PIN)
    page.click("button[name=action][value=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("ส่งบันทึกแล้ว")
    memo_id = int(re.search(r"/memos/(\d+)", page.url)[1])
    # The flow typesets and proofreads it; the page asks for the report and puts it in place.
    expect(page.locator('#proofread-card[data-state="made"]')).to_contain_text(
        "ปฎิบัติ", timeout=PUBLISH_TIMEOUT_SECONDS * 1000
    )
    officer.close()

    with session_scope(default_engine()) as session:
        record_stage(session, memo_id=memo_id, username="wanna", pin=PIN, stage=Stage.TYPESET)
    proofreader = Person(browser, site, "preecha")
    proofreader.open(memo_id)
    page = proofreader.page
    expect(page.locator("#stage-findings")).to_contain_text(LABEL)
    page.fill("#stage-pin", PIN)
    page.click("#stage-card button[type=submit]")  # not ticked: refused, said what to do
    expect(page.locator(".flash.error")).to_contain_text("ยังไม่ได้ยืนยัน")
    page.check("#stage-findings input[name=intended]")
    page.fill("#stage-pin", PIN)
    proofreader.shot("proofreading-ticked-at-proofread")
    page.click("#stage-card button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("บันทึกขั้นตอนแล้ว")
    proofreader.close()
