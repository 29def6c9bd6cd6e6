"""A memo's whole life in Debian's Chromium on the real stack (issue 20): the drafter withdraws,
a signer disapproves, an administrator cancels, each from the memo page; a new memo
names the announcement it replaces and, once published, the citizen's page and feed mark the old
one superseded and a cancelled one cancelled; Back after sending a saved draft leads to the memo
it became; an administrator inserts a step mid-chain while a memo is on the chain."""

import time
from collections.abc import Iterator

import pytest
import yaml
from playwright.sync_api import expect
from sqlmodel import select

from models import Memo, Organisation, Publication
from models.approvals import route_of
from models.db import default_engine, session_scope
from models.draft import MemoDraft
from models.enums import Capacity, MemoStatus
from services.accounts.chain_editing import StepEdit, set_chain
from services.memo_life.memos import submit_memo
from services.publication.cancellation import cancel_publication
from services.publication.verification import SUPERSEDED, verify_file
from tests.builders import EXAMPLES, PIN, memo_in_review, prepare, sign
from tests.web.test_admin_pages import chain_rows
from tests.web.test_browser import PUBLISH_TIMEOUT_SECONDS, Person, browser, fill_memo_form, site  # noqa: F401

pytestmark = [pytest.mark.prefect, pytest.mark.browser]
SIGNERS = ("kanokporn", "phakphum", "phakphum")


def status_of(memo_id: int) -> MemoStatus:
    with session_scope(default_engine()) as session:
        return session.get(Memo, memo_id).status


def end_on_page(person: Person, memo_id: int, how: str, reason: str) -> None:
    person.open(memo_id)
    person.page.click(f"#{how}-card summary")
    person.page.fill(f"#{how}-reason", reason)
    person.page.fill(f"#{how}-pin", PIN)
    person.page.click(f"#{how}-card button[type=submit]")


def test_the_drafter_withdraws_a_signer_disapproves_and_an_administrator_cancels_on_the_memo_page(browser, site):  # noqa: F811
    withdrawn, disapproved, cancelled = (memo_in_review(default_engine()).id for _ in range(3))

    drafter = Person(browser, site, "somying")
    end_on_page(drafter, withdrawn, "withdraw", "ส่งซ้ำโดยไม่ตั้งใจ")
    expect(drafter.page.locator("#route-after")).to_contain_text("ถอนเรื่องโดย นางสาวสมหญิง แดงโสภา")
    expect(drafter.page.locator("#withdraw-card")).to_have_count(0)  # nothing more to do on it

    head = Person(browser, site, "kanokporn")  # head of office, and an administrator
    head.open(disapproved)
    head.page.check("input[name=decision][value=disapprove]")
    head.page.fill("#minute", "ไม่สอดคล้องกับระเบียบ")
    head.page.fill("#pin", PIN)
    head.page.click("#sign-card button[type=submit]")
    expect(head.page.locator("#route-after")).to_contain_text("ไม่อนุมัติที่ขั้นที่ ๑")
    end_on_page(head, cancelled, "cancel", "เรื่องนี้ไม่ดำเนินการต่อ")
    expect(head.page.locator("#route-after")).to_contain_text("ยกเลิกเรื่องโดย")
    head.shot("memo-life-cancelled")

    ended = {withdrawn: MemoStatus.WITHDRAWN, disapproved: MemoStatus.DISAPPROVED, cancelled: MemoStatus.CANCELLED}
    assert {m: status_of(m) for m in ended} == ended
    # That each one's flow run then finishes is tests/workflows/test_memo_flow.py's (on Prefect's states).
    drafter.context.close()
    head.context.close()


def test_a_new_memo_supersedes_the_announcement_it_names_and_citizens_see_both_marked(browser, site):  # noqa: F811
    engine = default_engine()
    # Its own words: a file byte-identical to another module's announcement would verify as that one.
    draft = MemoDraft.model_validate(yaml.safe_load((EXAMPLES / "memo-general.yaml").read_text(encoding="utf-8")))
    draft.announcement.general.subject = "การปิดถนนชั่วคราว (ฉบับที่จะถูกแทนที่)"
    with session_scope(engine) as session:
        old = submit_memo(session, username="somying", pin=PIN, draft=draft, again=True).id
    prepare(engine, old)
    for username in SIGNERS:
        sign(engine, old, username)
    old_publication = published(old)

    drafter = Person(browser, site, "somying")
    page = drafter.page
    page.goto(f"{site}/memos/new")
    fill_memo_form(page)
    page.fill("#subject", "ขออนุมัติประกาศมาตรการฉบับปรับปรุง")
    page.select_option("#replaces", str(old_publication.id))
    page.fill("#pin", PIN)
    page.click("button[value=submit]")
    expect(page.locator("#announcement-replaces")).to_contain_text("แทนที่ประกาศเดิม")
    new = int(page.url.split("/memos/")[1].split("?")[0])
    prepare(engine, new)
    for username in SIGNERS:
        sign(engine, new, username)
    new_publication = published(new)
    with session_scope(engine) as session:  # then the new one is withdrawn from force by the office
        cancel_publication(session, publication_id=new_publication.id, username="kanokporn", pin=PIN, reason="พิมพ์วันที่ผิด")

    citizen = browser.new_context(locale="th-TH")
    public = citizen.new_page()
    public.goto(f"{site}/public/kokphutsa")
    expect(public.locator(".cancelled")).to_have_count(2)
    expect(public.locator(".cancelled").filter(has_text="แทนที่ด้วยประกาศ")).to_have_count(1)
    expect(public.locator(".cancelled").filter(has_text="พิมพ์วันที่ผิด")).to_have_count(1)
    feed = public.request.get(f"{site}/public/kokphutsa/feed.atom").text()
    assert feed.count("[ยกเลิกแล้ว]") == 2
    with open(old_publication.announcement_path, "rb") as file, session_scope(engine) as session:
        assert verify_file(session, file.read()).verdict == SUPERSEDED
    citizen.close()
    drafter.context.close()


def published(memo_id: int) -> Publication:
    """The memo's publication, once its flow run made it (waited for, never slept on)."""
    deadline = time.monotonic() + PUBLISH_TIMEOUT_SECONDS
    while True:
        with session_scope(default_engine()) as session:
            found = session.exec(select(Publication).where(Publication.memo_id == memo_id)).first()
        if found is not None:
            return found
        assert time.monotonic() < deadline, f"memo {memo_id} was not published"
        time.sleep(0.5)


def test_back_after_sending_a_saved_draft_leads_to_the_memo_it_became(browser, site):  # noqa: F811
    officer = Person(browser, site, "somying")
    page = officer.page
    page.goto(f"{site}/memos/new")
    fill_memo_form(page)
    page.fill("#subject", "ขออนุมัติประกาศ ทดสอบย้อนกลับหลังส่งร่าง")
    page.click("button[value=save]")
    expect(page.locator(".flash.ok")).to_contain_text("บันทึกร่างแล้ว")
    page.fill("#pin", PIN)
    page.click("button[value=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("ส่งบันทึกแล้ว")
    sent = page.url.split("?")[0]
    page.go_back()  # to the saved draft's address: it leads to the memo, never "ไม่พบร่างนี้"
    expect(page).to_have_url(f"{sent}?msg=already-sent")
    expect(page.locator("h1")).to_have_text("ขออนุมัติประกาศ ทดสอบย้อนกลับหลังส่งร่าง")
    officer.context.close()


@pytest.fixture
def chain_put_back() -> Iterator[None]:
    """The chain as it was after the test: the other browser modules of this process share the
    site's database and walk the 004 chain."""
    before, _ = chain_rows()
    yield
    with session_scope(default_engine()) as session:
        org = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
        steps = [StepEdit(code, accepted_of(capacities), may_return) for code, may_return, capacities in before]
        set_chain(session, actor="kanokporn", org=org, document_kind="announcement", steps=steps)
    assert chain_rows()[0] == before


def accepted_of(stored: str) -> frozenset[Capacity]:
    return frozenset(Capacity(c) for c in stored.split(",") if c) or frozenset(Capacity)


def test_an_administrator_inserts_a_step_mid_chain_while_a_memo_is_on_it(browser, site, chain_put_back):  # noqa: F811
    on_the_chain = memo_in_review(default_engine()).id
    before, _ = chain_rows()
    admin = Person(browser, site, "kanokporn")
    page = admin.page
    page.goto(f"{site}/admin/chains")
    page.click("text=แทรกขั้นก่อนขั้นที่ ๒")
    page.fill("#position-0-2", "นักจัดการงานทั่วไปชำนาญการ")
    page.click(".chain-form button[type=submit]")
    expect(page.locator(".flash.ok")).to_contain_text("บันทึกสายการลงนามแล้ว")
    expect(page.locator("#chain-version-announcement")).to_contain_text("ฉบับที่ ๒")
    expect(page.locator(f"#older-{on_the_chain}")).to_be_visible()  # still on version 1, movable
    admin.shot("chain-step-inserted")
    assert chain_rows()[0] == [before[0], ("admin-officer", True, ""), *before[1:]]  # every step keeps its rules
    with session_scope(default_engine()) as session:
        assert route_of(session, on_the_chain).chain_version == 1
        assert session.get(Memo, on_the_chain).steps_total == 3
    admin.context.close()
