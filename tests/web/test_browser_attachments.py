"""Attachments in Debian's Chromium on the real stack: the officer uploads a plan to publish and a
photo that stays internal with the memo form, the first signer sees both beside the print, the
memo is signed through and published by its flow run, and the public page lists the published
plan with its SHA-256 and a download that needs no login, and never the photo."""

import hashlib
import time

import pytest
from playwright.sync_api import expect

from models.db import default_engine
from tests.attachment_files import small_png, tiny_pdf
from tests.builders import PIN, prepare, sign
from tests.web.test_browser import ARTIFACTS, Person, browser, fill_memo_form, site, wait_until_published  # noqa: F401

pytestmark = [pytest.mark.prefect, pytest.mark.browser]


def test_an_attachment_uploaded_signed_through_and_published(browser, site):  # noqa: F811
    plan = tiny_pdf(f"plan {time.time_ns()}")  # its own bytes: no other test of the stack sent this memo
    photo = small_png("olive")
    officer = Person(browser, site, "somying")
    page = officer.page
    page.goto(f"{site}/memos/new")
    fill_memo_form(page)
    page.set_input_files(
        "#attachment_1", files=[{"name": "แผนปฏิบัติการ.pdf", "mimeType": "application/pdf", "buffer": plan}]
    )
    page.check("#attachment_1_publish")
    page.set_input_files("#attachment_2", files=[{"name": "ภาพภายใน.png", "mimeType": "image/png", "buffer": photo}])
    page.fill("#pin", PIN)
    page.click("button[value=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("ส่งบันทึกแล้ว")
    memo_id = int(page.url.split("/memos/")[1].split("?")[0])
    officer.close()

    prepare(default_engine(), memo_id)
    head = Person(browser, site, "kanokporn")
    head.open(memo_id)
    card = head.page.locator("#attachments-card")
    expect(card).to_contain_text("แผนปฏิบัติการ.pdf")
    expect(card).to_contain_text("ภาพภายใน.png")
    expect(card).to_contain_text("เผยแพร่พร้อมประกาศ")
    head.shot("attachments-beside-the-print")
    head.close()
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(default_engine(), memo_id, username)
    wait_until_published(memo_id)

    citizen = browser.new_context(viewport={"width": 1100, "height": 900}, locale="th-TH")
    public = citizen.new_page()
    public.goto(f"{site}/public/kokphutsa")
    listed = public.locator(".public-attachments").first
    plan_sha = hashlib.sha256(plan).hexdigest()
    expect(listed).to_contain_text("แผนปฏิบัติการ.pdf")
    expect(public.locator(".public-item details.technical").first).to_contain_text(plan_sha)  # the record
    expect(public.locator("main")).not_to_contain_text("ภาพภายใน.png")
    link = listed.locator("a", has_text="แผนปฏิบัติการ.pdf")
    downloaded = public.request.get(f"{site}{link.get_attribute('href')}")
    assert downloaded.ok and downloaded.body() == plan
    public.screenshot(path=str(ARTIFACTS / "public-attachments.png"), full_page=True)
    citizen.close()
