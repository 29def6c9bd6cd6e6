"""People set up their own notifications on /account, in Debian's Chromium on a phone-sized
screen: one links LINE by sending the code the page gives to the office's LINE account (LINE's
signed webhook, then LINE's reply and push, through a local stand-in for the Messaging API) and
is told on LINE; another adds an e-mail (a real local SMTP server, as the office's mail server),
types back the code the test mail carried, and the channel is then used. Screenshots in
test-artifacts/browser/. No Prefect: the web app and the notice sender alone."""

import json
import re
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect
from sqlmodel import select

from deployments.local_server import free_port
from deployments.stack import notice_sender_thread
from models import Organisation
from models.db import default_engine, session_scope
from models.settings import get_settings
from services.notices.line_push import set_line_account
from tests.builders import load_kokphutsa
from tests.conftest import copy_of_migrated
from tests.services.conftest import LOCALHOST, LineStandIn, RecordingSMTPHandler
from tests.services.conftest import free_port as free_smtp_port
from tests.web.test_browser import ARTIFACTS, Person, browser  # noqa: F401 - the browser fixture
from tests.web.test_notify_setup import line_message, signed
from web.app import create_app
from web.server import web_in_background

pytestmark = [pytest.mark.browser]
SECRET = "00112233445566778899aabbccddeeff"
TOKEN = "stand-in-long-lived-channel-access-token-0123456789"
LINE_USER = "U1234567890abcdef1234567890abcdef"
TIMEOUT_SECONDS = 30


class Site:
    def __init__(self, url: str, mail: RecordingSMTPHandler, line: LineStandIn) -> None:
        self.url, self.mail, self.line = url, mail, line


@pytest.fixture(scope="module")
def site(tmp_path_factory, migrated_templates) -> Iterator[Site]:
    """A fresh 004 instance with an office mail server and a LINE account, the web app and the
    notice sender (`saraban serve` runs one)."""
    handler = RecordingSMTPHandler()
    smtp = Controller(handler, hostname=LOCALHOST, port=free_smtp_port())
    smtp.start()
    line = LineStandIn()
    threading.Thread(target=line.serve_forever, daemon=True).start()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SARABAN_HOME", str(tmp_path_factory.mktemp("notify-home")))
        env.delenv("SARABAN_DATABASE_URL", raising=False)
        env.delenv("SARABAN_DOCUMENTS_DIR", raising=False)
        env.setenv("SARABAN_LINE_API_BASE", line.base)
        env.setenv(
            "SARABAN_MAIL_URL",
            f"mailto://{LOCALHOST}:{smtp.port}?smtp={LOCALHOST}&mode=insecure&from=saraban@kokphutsa.go.th",
        )
        get_settings.cache_clear()
        default_engine.cache_clear()
        copy_of_migrated(get_settings().resolved_database_url, migrated_templates)
        load_kokphutsa(default_engine())
        with session_scope() as session:
            org = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
            set_line_account(
                session, org, actor="kanokporn", basic_id="@kokphutsa", channel_secret=SECRET, access_token=TOKEN
            )
        try:
            with notice_sender_thread(), web_in_background(create_app(), free_port()) as url:
                yield Site(url.rstrip("/"), handler, line)
        finally:
            default_engine().dispose()
            get_settings.cache_clear()
            default_engine.cache_clear()
            smtp.stop()
            line.shutdown()
            line.server_close()
    get_settings.cache_clear()
    default_engine.cache_clear()


def on_phone(browser, site: Site, username: str) -> Person:  # noqa: ANN001, F811
    person = Person(browser, site.url, username)
    person.page.set_viewport_size({"width": 390, "height": 844})
    person.page.goto(f"{site.url}/account")
    return person


def wait_for(found, what: str):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while not (value := found()):
        assert time.monotonic() < deadline, f"{what} never came"
        time.sleep(0.2)
    return value


def fits_a_phone(person: Person, name: str) -> None:
    person.shot(f"{name}-390")
    width = person.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name} scrolls sideways at 390 px ({width} px wide)"


def test_a_person_links_line_by_sending_the_code_and_is_told_on_line(browser, site):  # noqa: F811
    somying = on_phone(browser, site, "somying")
    somying.page.click("#line-code-form button[type=submit]")
    code = somying.page.locator("#line-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    expect(somying.page.locator("#line-chat")).to_have_attribute("href", re.compile(r"^https://line\.me/R/oaMessage/"))
    fits_a_phone(somying, "notify-line-code")

    # She sends the code in LINE; LINE posts it to the office's webhook, signed with its channel secret.
    body = line_message(code, LINE_USER)
    answer = httpx.post(f"{site.url}/line/webhook/kokphutsa", content=body, headers=signed(body, SECRET))
    assert answer.status_code == 200

    [reply] = wait_for(site.line.replies, "LINE's reply in the chat")
    assert (
        reply["replyToken"] == json.loads(body)["events"][0]["replyToken"] and "สมหญิง" in reply["messages"][0]["text"]
    )
    # The notice sender tells her on her new channel, pushed through the office's account.
    push = wait_for(lambda: [p for p in site.line.pushes() if p["to"] == LINE_USER], "the push to her LINE")[0]
    assert "เพิ่มช่องทางแจ้งเตือน LINE แล้ว" in push["messages"][0]["text"]

    somying.page.goto(f"{site.url}/account")
    expect(somying.page.locator("#notify-channels")).to_contain_text("LINE")
    expect(somying.page.locator("#notify-channels")).to_contain_text("ใช้งานอยู่")
    expect(somying.page.locator("#notify-channels")).not_to_contain_text(LINE_USER)
    fits_a_phone(somying, "notify-line-linked")
    somying.close()


def test_a_person_adds_an_email_types_back_its_code_and_it_is_used(browser, site):  # noqa: F811
    wanna = on_phone(browser, site, "wanna")
    wanna.page.select_option("#ch-kind", "email")
    wanna.page.fill("#ch-address", "wanna@kokphutsa.go.th")
    wanna.page.click("#add-channel button[type=submit]")
    expect(wanna.page.locator(".flash.ok")).to_contain_text("ส่งข้อความทดสอบพร้อมรหัสยืนยันแล้ว")
    expect(wanna.page.locator("#notify-channels")).to_contain_text("รอยืนยัน")

    def mails_to_wanna() -> list:
        return [m for m in site.mail.received if m.rcpt_tos == ["wanna@kokphutsa.go.th"]]

    [test_mail] = wait_for(mails_to_wanna, "the test mail")
    text = test_mail.message.get_body(("plain",)).get_content()
    code = re.search(r"รหัสยืนยันช่องทางแจ้งเตือนของท่านคือ (\S+)", text)[1]

    code_field = wanna.page.locator(".confirm-channel input[name=code]")
    code_field.fill("ZZZZ-ZZZZ")
    wanna.page.click(".confirm-channel button[type=submit]")
    expect(wanna.page.locator("[id^=confirm-error-]")).to_contain_text("wrong, expired or used code")
    fits_a_phone(wanna, "notify-email-wrong-code")
    wanna.page.locator(".confirm-channel input[name=code]").fill(code)
    wanna.page.click(".confirm-channel button[type=submit]")
    expect(wanna.page.locator(".flash.ok")).to_contain_text("ยืนยันช่องทางแล้ว")
    expect(wanna.page.locator("#notify-channels")).to_contain_text("ใช้งานอยู่")
    expect(wanna.page.locator("#notify-channels")).to_contain_text("wanna@kokphutsa.go.th")

    # Confirmed, it is used: the notice of the new channel arrives there.
    told = wait_for(
        lambda: [m for m in mails_to_wanna() if "เพิ่มช่องทางแจ้งเตือน" in str(m.message["Subject"])], "the notice"
    )
    assert len(told) == 1
    wanna.page.click("#notify-channels form[action$='/test'] button")
    expect(wanna.page.locator(".flash.ok")).to_contain_text("ส่งข้อความทดสอบแล้ว")
    fits_a_phone(wanna, "notify-email-confirmed")
    wanna.close()
