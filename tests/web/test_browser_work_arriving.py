"""Work arriving, in Debian's Chromium on the real stack: the head of office signs step 1 in the
browser, the sender `saraban serve` runs tells the clerk at once by email (a real local SMTP
server) and webhook (a real HTTP receiver), exactly once, and the clerk follows the mailed link
to the memo, logs in, lands on it, sees the route and signs. Screenshots in test-artifacts/browser/."""

import os
import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from deployments.local_server import free_port
from deployments.stack import deliverer_thread, notice_sender_thread
from models import NotificationChannel, Organisation
from models.db import session_scope
from models.settings import get_settings
from tests.builders import PIN, memo_in_review
from tests.services.conftest import only_localhost, smtp_server, webhook_factory  # noqa: F401 - fixtures
from tests.web.conftest import skip_print_making
from tests.web.test_browser import ARTIFACTS, Person, browser  # noqa: F401 - the browser fixture
from web.app import create_app
from web.server import web_in_background

pytestmark = [pytest.mark.prefect, pytest.mark.browser]
ARRIVAL_TIMEOUT_SECONDS = 60


@pytest.fixture
def site(stack, monkeypatch) -> Iterator[str]:
    """The web app, the deliverer and the notice sender, with links built from the public URL."""
    skip_print_making(monkeypatch)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    before = os.environ.get("SARABAN_PUBLIC_BASE_URL")
    os.environ["SARABAN_PUBLIC_BASE_URL"] = url
    get_settings.cache_clear()
    try:
        with deliverer_thread(), notice_sender_thread(), web_in_background(create_app(), port) as served:
            assert served.rstrip("/") == url
            yield url
    finally:
        os.environ.pop("SARABAN_PUBLIC_BASE_URL") if before is None else os.environ.update(
            SARABAN_PUBLIC_BASE_URL=before
        )
        get_settings.cache_clear()


def clerk_channels(smtp, receiver) -> None:  # noqa: ANN001
    with session_scope() as session:
        org_id = session.exec(select(Organisation.id).where(Organisation.code == "kokphutsa")).one()
        for name, url in (
            ("อีเมลปลัด", smtp.channel_url("phakphum@kokphutsa.go.th")),
            ("webhook ปลัด", receiver.channel_url("hooks/phakphum")),
        ):
            session.add(
                NotificationChannel(
                    organisation_id=org_id, name=name, url=url, recipient_username="phakphum", purpose="work"
                )
            )  # the clerk's own: never a publication's


def mail_text(mail) -> str:  # noqa: ANN001
    return mail.message.get_body(("plain",)).get_content()


def wait_for(predicate, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + ARRIVAL_TIMEOUT_SECONDS
    while not predicate():
        assert time.monotonic() < deadline, f"{what} never arrived"
        time.sleep(0.3)


def test_a_memo_reaching_the_clerk_is_mailed_and_posted_and_the_link_opens_it(
    browser,  # noqa: F811  (the fixture imported above)
    site,
    smtp_server,  # noqa: F811
    webhook_factory,  # noqa: F811
):
    receiver = webhook_factory()
    clerk_channels(smtp_server, receiver)
    memo_id = memo_in_review(None).id

    head = Person(browser, site, "kanokporn")
    head.sign(memo_id, "เห็นควรอนุมัติ")
    head.shot("work-arriving-head-signed")
    head.close()

    # Only what is about this memo: earlier modules on the shared database may have left the clerk
    # notices that wait for a channel of his (a cancelled announcement he signed), sent now too.
    def about_it() -> tuple[list, list]:
        mails = [m for m in smtp_server.handler.received if f"/memos/{memo_id}" in mail_text(m)]
        posts = [r for r in receiver.requests if f"/memos/{memo_id}" in r[1]["message"]]
        return mails, posts

    wait_for(lambda: all(about_it()), "the clerk's email and webhook")
    time.sleep(3)  # a few more sender rounds: nothing is sent twice
    mails, posts = about_it()
    assert len(mails) == 1 and len(posts) == 1
    mail = mails[0]
    assert mail.rcpt_tos == ["phakphum@kokphutsa.go.th"]
    body = mail_text(mail)
    link = re.search(r"เปิดบันทึก: (\S+)", body)[1]
    assert link == f"{site}/memos/{memo_id}"
    assert "พิจารณาขั้นที่ ๒" in body
    assert link in posts[0][1]["message"] and posts[0][0] == "/hooks/phakphum"

    clerk = Person.__new__(Person)  # the clerk starts from the mail, not from the login page
    clerk.site, clerk.username = site, "phakphum"
    clerk.context = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH")
    clerk.page = clerk.context.new_page()
    clerk.page.goto(link)
    expect(clerk.page).to_have_url(re.compile(r"/login\?next=/memos/"))
    clerk.page.fill("#username", "phakphum")
    clerk.page.fill("#password", "demo-password")
    clerk.page.click("button[type=submit]")
    expect(clerk.page).to_have_url(link)
    expect(clerk.page.locator("#route")).to_contain_text("ขั้นที่ ๒")
    expect(clerk.page.locator("#route li.route-now")).to_contain_text("ภาคภูมิ")
    expect(clerk.page.locator("#sign-card")).to_be_visible()
    clerk.shot("work-arriving-clerk-follows-the-link-390")
    box = clerk.page.locator("#route").bounding_box()
    assert box["x"] + box["width"] <= 390, f"the route runs past a 390 px screen ({box})"
    clerk.page.check("input[name=decision][value=approve]")
    clerk.page.fill("#minute", "โปรดพิจารณา")
    clerk.page.fill("#pin", PIN)
    clerk.page.click("#sign-card button[type=submit]")
    expect(clerk.page.locator(".flash.ok")).to_contain_text("บันทึกการลงนามแล้ว")
    clerk.page.goto(f"{site}/?view=signed&sort=subject")
    expect(clerk.page.locator("#signed")).to_contain_text("เห็นชอบ ขั้นที่ ๒")
    front_page_fits(clerk, "work-arriving-signed-by-me")
    clerk.page.goto(f"{site}/?q=มาตรการ&overdue=1")
    expect(clerk.page.locator("#f-q")).to_have_value("มาตรการ")
    front_page_fits(clerk, "work-arriving-queue-search")
    clerk.context.close()


def front_page_fits(person: Person, name: str) -> None:
    """Screenshots at phone and desktop widths; no sideways scroll on the phone."""
    person.shot(f"{name}-390")
    width = person.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name} scrolls sideways at 390 px ({width} px wide)"
    person.page.set_viewport_size({"width": 1366, "height": 900})
    person.shot(f"{name}-1366")
    person.page.set_viewport_size({"width": 390, "height": 844})
