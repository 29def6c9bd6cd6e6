"""The public page as a citizen uses it: each announcement titled as on paper (never the internal
memo's "ขออนุมัติประกาศ..."), readable on its own page, found by fiscal year and by words, and
the Atom feed with the same titles linking to those pages."""

import re

import pytest
from sqlmodel import select

from cli.demo import draft_004
from documents.text.announcement_text import TEMPLATES_DIR
from models import Memo, Organisation, Publication
from models.db import default_engine, session_scope
from models.settings import get_settings
from services.audit.audit_verify import verify_audit
from services.memo_life.memos import submit_memo
from services.publication.cancellation import cancel_publication
from services.publication.channel_posting import publication_message
from services.publication.publication import publish
from tests.builders import PIN, prepare, sign
from tests.web.test_pages import as_user, memo_form

MEMO_SUBJECT = "ขออนุมัติประกาศมาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วม"
TITLE = "ประกาศเทศบาลตำบลโคกพุทรา เรื่อง มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน"


@pytest.fixture
def published(client) -> dict:
    """One memo of the 004 case, with its internal subject, approved and published."""
    engine = default_engine()
    with session_scope(engine) as session:
        memo = submit_memo(
            session, username="somying", pin=PIN, draft=draft_004().model_copy(update={"subject": MEMO_SUBJECT})
        )
    prepare(engine, memo.id)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo.id, username)
    with session_scope(engine) as session:
        publication = publish(session, memo_id=memo.id)
        fiscal_year = session.exec(select(Memo.fiscal_year).where(Memo.id == memo.id)).one()
        return {"id": publication.id, "fiscal_year": fiscal_year}


def thai(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


def test_the_public_page_titles_each_announcement_as_on_paper(client, published):
    page = client.get("/public/kokphutsa").text
    assert f'<a href="/public/kokphutsa/{published["id"]}">{TITLE}</a>' in page
    assert MEMO_SUBJECT not in page and "ขออนุมัติ" not in page
    assert "ว่าที่ร้อยตรี ภาคภูมิ อนุศาสตร์" in page  # the clerk's rank, as his signature prints it
    assert "ปลัดเทศบาล ปฏิบัติหน้าที่ นายกเทศมนตรีตำบลโคกพุทรา" in page  # the acting line, as printed


def test_each_announcement_reads_as_html_on_its_own_page(client, published):
    response = client.get(f"/public/kokphutsa/{published['id']}")
    assert response.status_code == 200
    page = response.text
    assert f"<title>{TITLE} · Saraban</title>" in page
    assert "เรื่อง มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน" in page
    assert "๑. วิเคราะห์ผลการดำเนินงานและข้อเสนอแนะ" in page  # the measures, numbered as printed
    assert "จึงประกาศมาให้ทราบด้วยทั่วกัน" in page
    assert "ว่าที่ร้อยตรี<br>(ภาคภูมิ อนุศาสตร์)<br>" in page  # the signature block as printed
    assert "<summary>รายละเอียดการตรวจสอบ</summary>" in page and "หัวห่วงโซ่บันทึกการตรวจสอบเมื่อประกาศ" in page
    assert re.search(r'href="/public/kokphutsa/\d+/announcement-r1\.pdf" download="ประกาศเทศบาลตำบลโคกพุทรา-เรื่อง-', page)
    assert MEMO_SUBJECT not in page
    assert client.get("/public/kokphutsa/999").status_code == 404


def test_the_feed_carries_the_same_titles_and_links_to_the_page(client, published):
    feed = client.get("/public/kokphutsa/feed.atom").text
    assert f"<title>{TITLE}</title>" in feed and MEMO_SUBJECT not in feed
    assert f'<link rel="alternate" type="text/html" href="/public/kokphutsa/{published["id"]}"/>' in feed
    [listed] = client.get("/api/public/kokphutsa").json()
    assert (listed["title"], listed["subject"]) == (TITLE, "มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน")


def test_search_by_fiscal_year_and_by_words(client, published):
    year = published["fiscal_year"]
    for query in (
        {"year": str(year)},
        {"year": thai(year)},
        {"q": "ผู้มีส่วนได้ส่วนเสีย"},
        {"q": "มาตรการ เผยแพร่ข้อมูลข่าวสาร"},
        {"year": str(year), "q": "สื่อสังคมออนไลน์"},
    ):
        page = client.get("/public/kokphutsa", params=query).text
        assert TITLE in page and "พบ ๑ ประกาศ" in page, query
    for query in (
        {"year": str(year - 1)},
        {"q": "ภาษีป้าย"},
        {"q": "มาตรการ ภาษีป้าย"},
        {"q": "ขออนุมัติ"},
    ):  # the memo's own words are not the announcement's
        page = client.get("/public/kokphutsa", params=query).text
        assert TITLE not in page and "ไม่พบประกาศที่ตรงกับการค้นหา" in page, query
    wrong = client.get("/public/kokphutsa", params={"year": "69"})
    assert wrong.status_code == 400 and "ปี พ.ศ. สี่หลัก" in wrong.text
    assert f'<option value="{year}">{thai(year)}</option>' in client.get("/public/kokphutsa").text


def test_the_post_to_social_channels_carries_the_title_and_links_to_the_page(client, published):
    with session_scope() as session:
        publication = session.get(Publication, published["id"])
        memo = session.get(Memo, publication.memo_id)
        post = publication_message(session, session.get(Organisation, memo.organisation_id), memo, publication)
    assert post.title == TITLE and MEMO_SUBJECT not in post.body
    assert post.body.rstrip().endswith(f"/public/kokphutsa/{published['id']}")


def test_a_template_edited_after_publication_does_not_change_the_published_words(client, published):
    """The page shows what was published: the words rendered now no longer hash to what the
    signers approved, so the page reads the published .docx instead."""
    builtin = TEMPLATES_DIR / "municipality" / "participation-measures.txt.j2"
    override = get_settings().home / "templates" / "kokphutsa" / "municipality" / builtin.name
    override.parent.mkdir(parents=True)
    override.write_text(
        builtin.read_text().replace("มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน", "เรื่องที่แก้ภายหลัง"), encoding="utf-8"
    )
    page = client.get(f"/public/kokphutsa/{published['id']}").text
    assert f"<title>{TITLE} · Saraban</title>" in page and "เรื่องที่แก้ภายหลัง" not in page
    assert "๑. วิเคราะห์ผลการดำเนินงานและข้อเสนอแนะ" in page and "(ภาคภูมิ อนุศาสตร์)" in page
    assert "พ.ศ. ๒๕๔๒" in page  # printed unbroken (U+00A0), read with the words' own space
    assert TITLE in client.get("/public/kokphutsa/feed.atom").text


def test_the_page_and_the_feed_read_only_the_newest_and_a_year_shows_all(client, published, monkeypatch):
    """An office's years of announcements are not all read for every page view and feed poll."""
    monkeypatch.setattr("web.routes.public.PUBLIC_LATEST", 1)
    earlier = published["id"]
    engine = default_engine()
    with session_scope(engine) as session:
        memo = submit_memo(session, username="somying", pin=PIN, draft=draft_004(), again=True)
    prepare(engine, memo.id)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo.id, username)
    with session_scope(engine) as session:
        newest = publish(session, memo_id=memo.id).id
    page = client.get("/public/kokphutsa").text
    assert f"/public/kokphutsa/{newest}" in page and f"/public/kokphutsa/{earlier}" not in page
    assert "แสดงประกาศล่าสุด ๑ ฉบับ" in page
    feed = client.get("/public/kokphutsa/feed.atom").text
    assert f"/public/kokphutsa/{newest}" in feed and f"/public/kokphutsa/{earlier}" not in feed
    whole_year = client.get("/public/kokphutsa", params={"year": str(published["fiscal_year"])}).text
    assert f"/public/kokphutsa/{newest}" in whole_year and f"/public/kokphutsa/{earlier}" in whole_year
    assert "แสดงประกาศล่าสุด" not in whole_year


def test_a_cancelled_announcement_stays_on_the_page_and_in_the_feed_marked_with_its_reason(client, published):
    with session_scope(default_engine()) as session:
        cancel_publication(session, publication_id=published["id"], username="kanokporn", pin=PIN, reason="ประกาศวันที่ผิด")
    for page in (client.get("/public/kokphutsa").text, client.get(f"/public/kokphutsa/{published['id']}").text):
        assert TITLE in page and "ยกเลิกประกาศนี้แล้วเมื่อ" in page and "ประกาศวันที่ผิด" in page
    feed = client.get("/public/kokphutsa/feed.atom").text
    assert f"<title>[ยกเลิกแล้ว] {TITLE}</title>" in feed and "ประกาศวันที่ผิด" in feed
    assert verify_audit(default_engine()).intact


def test_a_memo_names_on_its_form_the_announcement_it_replaces(client, published):
    token = as_user(client, "somying")
    form = client.get("/memos/new").text
    assert f'<option value="{published["id"]}" >{TITLE}' in form  # the office's announcements in force
    wrong = client.post("/memos/new", data={**memo_form(replaces="999"), "csrf_token": token, "again": "yes"})
    assert wrong.status_code == 422 and "cannot be replaced" in wrong.text
    assert f'<option value="{published["id"]}" >' in wrong.text and 'value="หัวหน้าสำนักปลัดเทศบาล' in wrong.text
    sent = client.post(
        "/memos/new",
        data={**memo_form(replaces=str(published["id"])), "csrf_token": token, "again": "yes"},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text[:3000]
    page = client.get(sent.headers["location"]).text
    assert "แทนที่ประกาศเดิม:</strong> " + TITLE in page  # what each signer sees before approving
