"""The 004 case walked through the web UI in Debian's Chromium, on the real stack: the officer
submits, the stages are recorded, the clerk returns it, the officer revises, all sign, and the
public page shows the announcement; and a memo the proofreader returns from the ทาน stage with
corrections. Screenshots are kept under test-artifacts/browser/."""

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlmodel import select

from cli.demo import draft_004
from deployments.local_server import free_port
from deployments.stack import deliverer_thread
from models import Memo, StageReturn
from models.db import session_scope
from models.enums import MemoStatus
from tests.builders import PIN
from tests.web.conftest import skip_print_making
from web.app import create_app
from web.server import web_in_background

pytestmark = [pytest.mark.prefect, pytest.mark.browser]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium floods the closed network with connections.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
PUBLISH_TIMEOUT_SECONDS = 180


@pytest.fixture(scope="module")
def site(stack, request) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        if not request.node.get_closest_marker("prints"):
            skip_print_making(patch)
        with deliverer_thread(), web_in_background(create_app(), free_port()) as url:
            yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: bin/setup installs Debian's chromium package")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Person:
    """One person at their own browser (their own cookies)."""

    def __init__(self, browser: Browser, site: str, username: str) -> None:
        self.site, self.username = site, username
        self.context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="th-TH")
        self.page: Page = self.context.new_page()
        self.page.goto(f"{site}/login")
        self.page.fill("#username", username)
        self.page.fill("#password", "demo-password")
        self.page.click("button[type=submit]")
        expect(self.page.locator("h1")).to_have_text("รอพิจารณา")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def open(self, memo_id: int) -> None:
        self.page.goto(f"{self.site}/memos/{memo_id}")

    def record_stage(self, memo_id: int, stage: str) -> None:
        self.open(memo_id)
        expect(self.page.locator("#stage-card h2")).to_contain_text(stage)
        self.page.fill("#stage-pin", PIN)
        self.page.click("#stage-card button[type=submit]")
        expect(self.page.locator(".flash.ok")).to_contain_text("บันทึกขั้นตอนแล้ว")

    def sign(self, memo_id: int, minute: str, *, returning: bool = False, chip: str | None = None) -> None:
        self.open(memo_id)
        self.page.check(f"input[name=decision][value={'return' if returning else 'approve'}]")
        if chip:
            self.page.click(f".chips button:text-is('{chip}')")
        else:
            self.page.fill("#minute", minute)
        self.page.fill("#pin", PIN)
        self.page.click("#sign-card button[type=submit]")
        expect(self.page.locator(".flash.ok")).to_contain_text("ส่งคืนผู้ร่างให้แก้ไขแล้ว" if returning else "บันทึกการลงนามแล้ว")

    def reload_until_proofread(self, memo_id: int) -> None:
        """The flow proofreads behind the people: the page says so until the report is there, and
        puts it in place when it is (static/saraban.js asks for it; no reload)."""
        self.open(memo_id)
        self.page.wait_for_selector('#proofread-card[data-state="made"]', timeout=PUBLISH_TIMEOUT_SECONDS * 1000)

    def close(self) -> None:
        self.context.close()


def fill_memo_form(page: Page) -> None:
    draft = draft_004()
    for field in ("subject", "addressee", "origin", "facts", "considerations"):
        page.fill(f"#{field}", getattr(draft, field))
    page.fill("#legal_basis", "\n".join(draft.legal_basis))


def prepare(browser: Browser, site: str, memo_id: int, round_name: str) -> None:
    for username, stage in (("wanna", "พิมพ์"), ("preecha", "ทาน"), ("kanokporn", "ตรวจ")):
        person = Person(browser, site, username)
        if stage == "ทาน":  # the proofreader reads the automated report before confirming
            person.reload_until_proofread(memo_id)
        person.record_stage(memo_id, stage)
        person.shot(f"{round_name}-stage-{username}")
        person.close()


def wait_until_published(memo_id: int) -> None:
    deadline = time.monotonic() + PUBLISH_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        with session_scope() as session:
            if session.get(Memo, memo_id).status == MemoStatus.PUBLISHED:
                return
        time.sleep(0.5)
    raise AssertionError("the memo's flow run did not publish the announcement in time")


def submit_from_the_form(officer: Person, shot_prefix: str) -> int:
    officer.page.click("text=เขียนบันทึก")
    fill_memo_form(officer.page)
    officer.page.fill("#pin", PIN)
    officer.shot(f"{shot_prefix}-officer-fills-the-form")
    officer.page.click("button[value=submit]")
    if officer.page.locator("#duplicate-of").count():  # another test of this stack sent the 004 text within the hour
        officer.page.check("input[name=again]")
        officer.page.fill("#pin", PIN)
        officer.page.click("button[value=submit]")
    expect(officer.page.locator(".flash.ok")).to_contain_text("ส่งบันทึกแล้ว")
    return int(officer.page.url.split("/memos/")[1].split("?")[0])


def test_the_004_case_through_the_browser(browser, site):
    officer = Person(browser, site, "somying")
    memo_id = submit_from_the_form(officer, "01")
    officer.shot("02-submitted")

    prepare(browser, site, memo_id, "03-round1")
    head = Person(browser, site, "kanokporn")
    expect(head.page.locator("#queue")).to_contain_text("พิจารณาขั้นที่ ๑")
    head.sign(memo_id, "", chip="โปรดพิจารณา")
    head.shot("04-head-of-office-approved")
    clerk = Person(browser, site, "phakphum")
    clerk.sign(memo_id, "ขอให้ระบุช่องทางการเผยแพร่ประกาศให้ครบถ้วน", returning=True)
    clerk.shot("05-clerk-returned")

    officer.page.goto(site)
    expect(officer.page.locator("#sent")).to_contain_text("ส่งคืนแก้ไข")
    officer.open(memo_id)
    expect(officer.page.locator("#revise-card")).to_contain_text("ขอให้ระบุช่องทางการเผยแพร่ประกาศให้ครบถ้วน")
    officer.page.click("#revise-card a")
    officer.page.fill("#considerations", draft_004().considerations + " และเผยแพร่ทางเว็บไซต์ ปิดประกาศ และสื่อสังคมออนไลน์")
    officer.page.fill("#note", "เพิ่มช่องทางการเผยแพร่")
    officer.page.fill("#pin", PIN)
    officer.shot("06-officer-revises")
    officer.page.click("button[value=submit]")
    expect(officer.page.locator(".flash.ok")).to_contain_text("ส่งฉบับแก้ไขแล้ว")

    prepare(browser, site, memo_id, "07-round2")
    head.sign(memo_id, "เรียน ปลัดเทศบาล - เพื่อโปรดพิจารณา")
    clerk.sign(memo_id, "เรียน น.ทต.คพ - โปรดพิจารณา")
    clerk.open(memo_id)
    expect(clerk.page.locator("#sign-card")).to_contain_text("ในฐานะ ปฏิบัติหน้าที่")
    clerk.shot("08-clerk-as-acting-mayor")
    clerk.sign(memo_id, "", chip="อนุมัติ")
    expect(clerk.page.locator("#memo-paper")).to_contain_text("ปลัดเทศบาล ปฏิบัติหน้าที่")

    wait_until_published(memo_id)
    public = browser.new_context(viewport={"width": 420, "height": 900}).new_page()  # a phone, no login
    public.goto(f"{site}/public/kokphutsa")
    item = public.locator(".public-item").first
    expect(item).to_contain_text("มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน")
    item.locator("summary").click()
    expect(item).to_contain_text("ปฏิบัติหน้าที่")
    expect(item).to_contain_text("SHA-256")
    public.screenshot(path=str(ARTIFACTS / "09-public-page.png"), full_page=True)
    for person in (officer, head, clerk):
        person.close()


CORRECTIONS = "ข้อเท็จจริง ย่อหน้าที่ ๑: ระบุปีงบประมาณให้ครบถ้วน\nประกาศ ข้อ ๒: เพิ่มช่องทางการเผยแพร่"


def test_the_proofreader_returns_the_memo_from_the_proofread_stage(browser, site):
    officer = Person(browser, site, "somying")
    memo_id = submit_from_the_form(officer, "r1")
    typist = Person(browser, site, "wanna")
    typist.record_stage(memo_id, "พิมพ์")
    typist.close()

    proofreader = Person(browser, site, "preecha")
    proofreader.open(memo_id)
    expect(proofreader.page.locator("#stage-card h2")).to_contain_text("ทาน")
    proofreader.page.click("#stage-return summary")
    proofreader.page.fill("#return-note", CORRECTIONS)
    proofreader.page.fill("#return-pin", PIN)
    proofreader.shot("r2-proofreader-writes-the-corrections")
    proofreader.page.click("#stage-return button[type=submit]")
    expect(proofreader.page.locator(".flash.ok")).to_contain_text("ส่งคืนผู้ร่างพร้อมรายการแก้ไขแล้ว")
    expect(proofreader.page.locator("#where-now")).to_contain_text("ส่งคืนแก้ไข")
    expect(proofreader.page.locator("#stage-card")).to_have_count(0)  # nothing left to confirm at ทาน
    proofreader.shot("r3-returned")

    officer.page.goto(site)
    expect(officer.page.locator("#sent")).to_contain_text("ส่งคืนแก้ไข")
    officer.open(memo_id)
    card = officer.page.locator("#revise-card")
    expect(card).to_contain_text("ขั้นตอน ทาน")
    expect(card).to_contain_text("ระบุปีงบประมาณให้ครบถ้วน")
    expect(card).to_contain_text("เพิ่มช่องทางการเผยแพร่")
    officer.shot("r4-drafter-reads-the-corrections")
    officer.page.click("#revise-card a")
    expect(officer.page.locator(".flash.error")).to_contain_text("ระบุปีงบประมาณให้ครบถ้วน")
    with session_scope() as session:
        assert session.get(Memo, memo_id).status == MemoStatus.RETURNED
        (returned,) = session.exec(select(StageReturn).where(StageReturn.memo_id == memo_id)).all()
        assert (returned.round, returned.note) == (1, CORRECTIONS)
    for person in (officer, proofreader):
        person.close()
