"""A general announcement written from scratch in Debian's Chromium on the real stack (issue 10,
finding 1): the officer chooses "ประกาศทั่วไป", writes its subject, reason and items while the
preview follows, sends it; it goes through the stages and the chain and is published with its own
subject: the public page titles it "ประกาศเทศบาลตำบลโคกพุทรา เรื่อง ..." and the signed PDF prints
it. Screenshots are kept under test-artifacts/browser/."""

import re
import subprocess

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from models import Publication
from models.db import session_scope
from tests.builders import PIN
from tests.web.test_browser import ARTIFACTS, Person, browser, fill_memo_form, prepare, site, wait_until_published  # noqa: F401

pytestmark = [pytest.mark.prefect, pytest.mark.browser]
SUBJECT = "การงดจ่ายน้ำประปาชั่วคราวเพื่อซ่อมท่อเมน หมู่ที่ ๓"
ITEMS = (
    ("งดจ่ายน้ำประปาในหมู่ที่ ๓ วันที่ ๑๐ ธันวาคม พ.ศ. ๒๕๖๙", "ตั้งแต่เวลา ๐๘.๓๐ น. ถึง ๑๖.๓๐ น."),
    ("ผู้ใช้น้ำโปรดกักเก็บน้ำไว้ใช้ล่วงหน้า", ""),
)


def write_general_announcement(officer: Person) -> int:
    page = officer.page
    page.click("text=เขียนบันทึก")
    fill_memo_form(page)
    page.fill("#subject", f"ขออนุมัติออกประกาศ เรื่อง {SUBJECT}")
    page.select_option("#template", label="ประกาศทั่วไป (เขียนเรื่องและข้อความเอง)")
    expect(page.locator("#measures")).to_be_hidden()  # only the general announcement's fields
    page.fill("#ann_subject", SUBJECT)
    page.fill(
        "#ann_preamble",
        "ด้วยท่อเมนประปาหมู่ที่ ๓ ชำรุด เทศบาลจะซ่อมแซมให้ใช้การได้ตามปกติ\nเพื่อให้ประชาชนเตรียมการล่วงหน้า จึงประกาศ ดังนี้",
    )
    for number, (text, explanation) in enumerate(ITEMS, start=1):
        page.fill(f"#item_{number}", text)
        page.fill(f"#item_{number}_explanation", explanation)
    page.fill("#ann_closing", "จึงประกาศมาให้ทราบโดยทั่วกัน")
    # The preview follows the typing (no button pressed): the announcement as it will print.
    preview = page.locator("#preview-content #announcement-paper")
    expect(preview).to_contain_text(f"เรื่อง {SUBJECT}")
    expect(preview).to_contain_text(f"๒. {ITEMS[1][0]}")
    expect(page.locator("#preview-content #memo-paper")).to_contain_text(f"ขออนุมัติออกประกาศ เรื่อง {SUBJECT}")
    officer.shot("general-01-officer-writes-with-preview")
    page.set_viewport_size({"width": 390, "height": 844})
    officer.shot("general-02-form-on-a-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    page.set_viewport_size({"width": 1366, "height": 900})
    page.fill("#pin", PIN)
    page.click("button[value=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("ส่งบันทึกแล้ว")
    expect(page.locator("#announcement-kind")).to_contain_text("ประกาศทั่วไป")
    return int(page.url.split("/memos/")[1].split("?")[0])


def test_a_general_announcement_written_from_scratch_is_published_with_its_own_subject(browser, site):  # noqa: F811
    officer = Person(browser, site, "somying")
    memo_id = write_general_announcement(officer)
    prepare(browser, site, memo_id, "general-03")
    head = Person(browser, site, "kanokporn")
    head.sign(memo_id, "เรียน ปลัดเทศบาล - เพื่อโปรดพิจารณา")
    expect(head.page.locator("#announcement-paper")).to_contain_text(f"เรื่อง {SUBJECT}")
    clerk = Person(browser, site, "phakphum")
    clerk.sign(memo_id, "เรียน น.ทต.คพ - โปรดพิจารณา")
    clerk.sign(memo_id, "", chip="อนุมัติ")
    clerk.shot("general-04-approved")
    wait_until_published(memo_id)

    public = browser.new_context(viewport={"width": 390, "height": 844}).new_page()  # a phone, no login
    public.goto(f"{site}/public/kokphutsa")
    item = public.locator(".public-item").first
    expect(item.locator("h2")).to_have_text(f"ประกาศเทศบาลตำบลโคกพุทรา เรื่อง {SUBJECT}")
    public.screenshot(path=str(ARTIFACTS / "general-05-public-page.png"), full_page=True)
    with session_scope() as session:
        publication = session.exec(select(Publication).where(Publication.memo_id == memo_id)).one()
    assert publication.announcement_pdf_path, "LibreOffice made no PDF at publication"
    text = subprocess.run(
        ["pdftotext", publication.announcement_pdf_path, "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    squeezed = re.sub(r"\s+", "", text)  # pdftotext spaces out justified Thai lines
    assert re.sub(r"\s+", "", f"เรื่อง {SUBJECT}") in squeezed
    for text_, _ in ITEMS:
        assert re.sub(r"\s+", "", text_) in squeezed
    assert "มาตรการ" not in squeezed
    for person in (officer, head, clerk):
        person.close()
