"""The admin area in Debian's Chromium on the real stack, on a phone: the chain edited by Thai
titles keeps the mayor step's capacities, replacing a holder asks first, and no admin page
scrolls sideways at 390 px. Screenshots (390×844 and 1366×900) go to test-artifacts/browser/."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from deployments.local_server import free_port
from models import Chain, ChainStep, Holding, Organisation, Person, Position
from models.db import default_engine, session_scope
from models.enums import Capacity
from models.settings import get_settings
from tests.builders import load_kokphutsa
from tests.conftest import copy_of_migrated
from tests.web.test_browser import ARTIFACTS, browser  # noqa: F401  (the same browser)
from web.app import create_app
from web.server import web_in_background

pytestmark = [pytest.mark.browser]
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}
PAGES = {
    "overview": "/admin",
    "people": "/admin/people",
    "person": "/admin/people/somying",
    "positions": "/admin/positions",
    "chains": "/admin/chains",
    "delegations": "/admin/delegations",
    "stages": "/admin/stages",
    "settings": "/admin/settings",
    "audit": "/admin/audit",
}
MAYOR_STEP = ("mayor", frozenset({Capacity.SELF, Capacity.PERFORMING_DUTIES, Capacity.ACTING_IN_PLACE}))


@pytest.fixture(scope="module")
def site(tmp_path_factory, migrated_templates) -> Iterator[str]:
    """The web app on an office of its own: a chain can be edited only while no memo is in
    flight on it, which the session's shared stack (other modules' memos) cannot promise. The
    admin pages need no Prefect."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SARABAN_HOME", str(tmp_path_factory.mktemp("admin-browser")))
        for name in ("SARABAN_DATABASE_URL", "SARABAN_DOCUMENTS_DIR", "SARABAN_KEYS_DIR"):
            patch.delenv(name, raising=False)
        get_settings.cache_clear()
        default_engine.cache_clear()
        copy_of_migrated(get_settings().resolved_database_url, migrated_templates)
        load_kokphutsa(default_engine())
        with web_in_background(create_app(), free_port()) as url:
            yield url
        default_engine().dispose()
    get_settings.cache_clear()
    default_engine.cache_clear()


def signed_in(browser: Browser, site: str, viewport: dict) -> Page:  # noqa: F811
    page = browser.new_context(viewport=viewport, locale="th-TH").new_page()
    page.goto(f"{site}/login")
    page.fill("#username", "kanokporn")
    page.fill("#password", "demo-password")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("รอพิจารณา")
    return page


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def chain_steps() -> list[tuple[str, frozenset]]:
    with session_scope() as session:
        chain = session.exec(select(Chain).join(Organisation).where(Organisation.code == "kokphutsa")).one()
        codes = {p.id: p.code for p in session.exec(select(Position))}
        rows = session.exec(select(ChainStep).where(ChainStep.chain_id == chain.id).order_by(ChainStep.step_index))
        return [(codes[r.position_id], r.rule().accepted_capacities) for r in rows]


def head_of_office_holder() -> str:
    with session_scope() as session:
        return session.exec(
            select(Person.username)
            .join(Holding, Holding.person_id == Person.id)
            .join(Position, Position.id == Holding.position_id)
            .where(Position.code == "head-of-office")
        ).one()


def test_the_chain_edit_keeps_capacities_and_admin_pages_fit_a_phone(browser, site):  # noqa: F811
    phone = signed_in(browser, site, PHONE)
    before = chain_steps()
    assert before[2] == MAYOR_STEP

    phone.goto(f"{site}/admin/chains")
    first = phone.locator("#position-0-1")
    expect(first).to_have_value("หัวหน้าสำนักปลัดเทศบาล")  # steps are shown by their Thai titles
    phone.click(".chain-form button[type=submit]")  # saved as it is
    expect(phone.locator(".flash.ok")).to_contain_text("ไม่มีอะไรเปลี่ยน")
    assert chain_steps() == before

    phone.fill("#position-0-1", "นักจัดการงานทั่วไปชำนาญการ")  # one step changed, by its Thai title
    phone.screenshot(path=str(ARTIFACTS / "admin-chain-edit-390.png"), full_page=True)
    phone.click(".chain-form button[type=submit]")
    expect(phone.locator(".flash.ok")).to_contain_text("บันทึกสายการลงนามแล้ว")
    after = chain_steps()
    assert after[0][0] == "admin-officer" and after[1:] == before[1:]
    assert Capacity.ON_BEHALF not in after[2][1]

    phone.fill("#position-0-1", "หัวหน้าสำนักปลัดเทศบาล")  # back as it was
    phone.click(".chain-form button[type=submit]")
    expect(phone.locator(".flash.ok")).to_contain_text("บันทึกสายการลงนามแล้ว")
    assert chain_steps() == before

    phone.goto(f"{site}/admin/positions")
    phone.select_option("#a-pos", label="หัวหน้าสำนักปลัดเทศบาล")
    phone.select_option("#a-user", label="นางสาวสมหญิง แดงโสภา")
    phone.click("form[action='/admin/appoint'] button[type=submit]")
    expect(phone.locator("#confirm")).to_contain_text("นางสาวกนกพร มุสพร้อม")
    phone.screenshot(path=str(ARTIFACTS / "admin-confirm-replace-390.png"), full_page=True)
    assert no_sideways_scroll(phone)
    phone.click("#confirm a.button")  # cancel: nobody replaced
    assert head_of_office_holder() == "kanokporn"

    desktop = signed_in(browser, site, DESKTOP)
    for name, path in PAGES.items():
        for width, page in (("390", phone), ("1366", desktop)):
            page.goto(f"{site}{path}")
            expect(page.locator("nav.admin-nav a[aria-current=page]")).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / f"admin-{name}-{width}.png"), full_page=True)
            assert no_sideways_scroll(page), f"{path} scrolls sideways at {width} px"


def test_an_add_person_form_refused_for_a_weak_pin_comes_back_filled_and_succeeds_once_the_pin_is_fixed(
    browser,  # noqa: F811
    site,
):
    page = signed_in(browser, site, PHONE)
    page.goto(f"{site}/admin/people")
    page.fill("#n-user", "malee")
    page.fill("#n-name", "นางมาลี ใจงาม")
    page.fill("#n-rank", "ว่าที่ร้อยตรีหญิง")
    page.fill("#n-init", "มล")
    page.fill("#n-pw", "malee-first-password")
    page.fill("#n-pin", "345678")  # a run of digits: refused
    page.check("#add-person input[name=is_admin]")
    page.click("#add-person button[type=submit]")

    expect(page.locator("#add-person-error")).to_contain_text("รหัส PIN")
    expect(page.locator("#n-pin")).to_be_focused()
    expect(page.locator("#n-pin")).to_be_in_viewport()  # on a phone, the field to fix is on screen
    for field, typed in (("#n-user", "malee"), ("#n-name", "นางมาลี ใจงาม"), ("#n-rank", "ว่าที่ร้อยตรีหญิง")):
        expect(page.locator(field)).to_have_value(typed)
    expect(page.locator("#add-person input[name=is_admin]")).to_be_checked()
    expect(page.locator("#n-pw")).to_have_value("")  # secrets are typed again, never written back
    page.screenshot(path=str(ARTIFACTS / "admin-add-person-refused-390.png"), full_page=True)

    page.fill("#n-pw", "malee-first-password")
    page.fill("#n-pin", "739164")  # only the PIN fixed
    page.click("#add-person button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("เพิ่มผู้ใช้แล้ว")
    with session_scope() as session:
        added = session.exec(select(Person).where(Person.username == "malee")).one()
        assert (added.full_name, added.rank, added.initials, added.is_admin) == (
            "นางมาลี ใจงาม",
            "ว่าที่ร้อยตรีหญิง",
            "มล",
            True,
        )
    page.context.close()
