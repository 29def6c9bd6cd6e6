"""Announcements on any topic: the general announcement written in the memo form, the kinds by
their Thai titles, the preview while writing, and starting from a published text (issue 10, 1)."""

import json
import re

import pytest
from sqlmodel import select

from models import Memo, Publication, Revision
from models.db import session_scope
from services.printing.rendering import announcement_words
from services.publication.publication import publish
from tests.builders import PIN
from tests.web.test_pages import as_user, count, memo_form, sign, stage_all

WATER = "การงดจ่ายน้ำประปาชั่วคราวเพื่อซ่อมท่อเมนหมู่ที่ ๓"

# Publication goes on with the .docx alone: nothing here is about the PDF (LibreOffice's seconds).
pytestmark = pytest.mark.usefixtures("no_libreoffice")


def general_form(**changes) -> dict:
    values = {
        "subject": f"ขออนุมัติออกประกาศเรื่อง{WATER}",
        "template": "general",
        "ann_subject": WATER,
        "ann_preamble": "ด้วยท่อเมนประปาหมู่ที่ ๓ ชำรุด\nเพื่อให้ประชาชนเตรียมการล่วงหน้า จึงประกาศ ดังนี้",
        "item_1": "งดจ่ายน้ำประปาวันที่ ๑๐ ธันวาคม พ.ศ. ๒๕๖๙",
        "item_1_explanation": "ตั้งแต่เวลา ๐๘.๓๐ น. ถึง ๑๖.๓๐ น.",
        "item_2": "ผู้ใช้น้ำโปรดกักเก็บน้ำไว้ใช้ล่วงหน้า",
        "item_2_explanation": "",
        "ann_closing": "จึงประกาศมาให้ทราบโดยทั่วกัน",
    }
    return memo_form(**{**values, **changes})


def submitted(client, **changes) -> int:  # noqa: ANN001
    token = as_user(client, "somying")
    response = client.post("/memos/new", data={**general_form(**changes), "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return int(re.search(r"/memos/(\d+)", response.headers["location"])[1])


def test_the_form_lists_every_kind_by_its_thai_title_never_the_slug(client):
    as_user(client, "somying")
    page = client.get("/memos/new").text
    options = re.findall(
        r'<option value="([^"]+)"[^>]*>([^<]+)</option>', page.split('id="template"')[1].split("</select>")[0]
    )
    assert [title for _, title in options] == [
        "ประกาศทั่วไป (เขียนเรื่องและข้อความเอง)",
        "มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน",
    ]
    assert "participation-measures</option>" not in page and ">participation-measures<" not in page


def test_a_general_announcement_is_stored_with_the_revision_and_printed_with_its_own_subject(client):
    memo_id = submitted(client)
    with session_scope() as session:
        memo = session.get(Memo, memo_id)
        revision = session.exec(select(Revision).where(Revision.memo_id == memo_id)).one()
        content = json.loads(revision.content_json)
        words = announcement_words(session, memo, revision)
    assert content["announcement"]["template"] == "general"
    assert content["announcement"]["general"]["subject"] == WATER  # in the revision: its hash covers it
    assert [i["text"] for i in content["announcement"]["general"]["items"]][1] == "ผู้ใช้น้ำโปรดกักเก็บน้ำไว้ใช้ล่วงหน้า"
    assert words.subject == WATER and words.measures[0].endswith("ตั้งแต่เวลา ๐๘.๓๐ น. ถึง ๑๖.๓๐ น.")
    page = client.get(f"/memos/{memo_id}").text
    paper = page.split('id="announcement-paper"')[1].split("</div>")[0]
    assert f"เรื่อง {WATER}" in paper and "มาตรการ" not in paper
    assert "แบบประกาศ: ประกาศทั่วไป" in page


def test_the_published_record_carries_the_announcements_own_title(client):
    memo_id = submitted(client)
    stage_all(client, memo_id)
    for username in ("kanokporn", "phakphum", "phakphum"):
        assert sign(client, memo_id, username).status_code == 303
    with session_scope() as session:
        publish(session, memo_id=memo_id)
        publication = session.exec(select(Publication).where(Publication.memo_id == memo_id)).one()
        assert publication.announcement_subject == WATER
        assert publication.announcement_title == f"ประกาศเทศบาลตำบลโคกพุทรา เรื่อง {WATER}"
        assert json.loads(publication.announcement_words_json)["subject"] == WATER


def test_problems_in_the_announcement_are_named_in_thai_and_english_and_nothing_is_sent(client):
    token = as_user(client, "somying")
    data = {**general_form(ann_subject="", ann_preamble=" ", item_2_explanation="ก" * 5001), "csrf_token": token}
    response = client.post("/memos/new", data=data)
    assert response.status_code == 422 and count(Memo) == 0
    assert "เรื่องของประกาศ: ต้องกรอก (required)" in response.text
    assert "ย่อหน้าเหตุผลของประกาศ: ต้องกรอก (required)" in response.text
    assert "คำอธิบายข้อ ๒: ยาวเกินไป ไม่เกิน ๕๐๐๐ ตัวอักษร (too long: at most 5000 characters)" in response.text
    assert 'value="งดจ่ายน้ำประปาวันที่ ๑๐ ธันวาคม พ.ศ. ๒๕๖๙"' in response.text  # nothing typed is lost


def test_too_many_items_are_refused_not_dropped(client):
    token = as_user(client, "somying")
    items = {f"item_{n}": f"ข้อที่ {n}" for n in range(1, 52)}
    response = client.post("/memos/new", data={**general_form(), **items, "csrf_token": token})
    assert response.status_code == 422 and count(Memo) == 0
    assert "ข้อของประกาศ: ยาวเกินไป ไม่เกิน ๕๐ รายการ (too long: at most 50 items)" in response.text


def test_the_preview_shows_the_memo_and_the_announcement_as_typed(client):
    token = as_user(client, "somying")
    data = {**general_form(), "csrf_token": token}
    del data["pin"]
    fragment = client.post("/memos/preview", data=data)
    assert fragment.status_code == 200
    assert f"เรื่อง {WATER}" in fragment.text and "ประกาศเทศบาลตำบลโคกพุทรา" in fragment.text
    assert "๑. งดจ่ายน้ำประปาวันที่ ๑๐ ธันวาคม พ.ศ. ๒๕๖๙" in fragment.text
    assert "ตั้งแต่เวลา ๐๘.๓๐ น. ถึง ๑๖.๓๐ น." in fragment.text
    assert "บันทึกข้อความ" in fragment.text and "(ออกเลขเมื่อส่ง)" in fragment.text
    half = client.post("/memos/preview", data={**data, "ann_subject": ""})  # while typing: shown, with what is missing
    assert half.status_code == 200 and "เรื่องของประกาศ: ต้องกรอก (required)" in half.text
    assert count(Memo) == 0


def test_a_saved_general_draft_reopens_with_its_items(client):
    token = as_user(client, "somying")
    saved = client.post("/memos/new", data={**general_form(action="save"), "csrf_token": token}, follow_redirects=False)
    assert saved.status_code == 303 and count(Memo) == 0
    page = client.get(saved.headers["location"]).text
    assert f'value="{WATER}"' in page and 'value="ผู้ใช้น้ำโปรดกักเก็บน้ำไว้ใช้ล่วงหน้า"' in page
    assert "ตั้งแต่เวลา ๐๘.๓๐ น. ถึง ๑๖.๓๐ น.</textarea>" in page


def test_the_preview_needs_the_csrf_token(client):
    as_user(client, "somying")
    assert client.post("/memos/preview", data=general_form()).status_code == 403


def test_without_javascript_the_preview_button_shows_the_form_with_the_preview(client):
    token = as_user(client, "somying")
    page = client.post("/memos/new", data={**general_form(action="preview"), "csrf_token": token})
    assert page.status_code == 200 and count(Memo) == 0
    preview = page.text.split('id="preview-content"')[1]
    assert f"เรื่อง {WATER}" in preview and f'value="{WATER}"' in page.text
    more = client.post("/memos/new", data={**general_form(action="more-items"), "csrf_token": token})
    assert 'name="item_7"' in more.text and count(Memo) == 0


def test_a_drafter_starts_from_a_published_announcement_and_edits_it(client):
    memo_id = submitted(client)
    stage_all(client, memo_id)
    for username in ("kanokporn", "phakphum", "phakphum"):
        assert sign(client, memo_id, username).status_code == 303
    with session_scope() as session:
        publication = publish(session, memo_id=memo_id)
        key = f"pub-{publication.id}"
    as_user(client, "somying")
    page = client.get("/memos/new").text
    assert f'<option value="{key}">ประกาศเทศบาลตำบลโคกพุทรา เรื่อง {WATER}' in page
    started = client.get(f"/memos/new?start={key}").text
    assert f'id="ann_subject" name="ann_subject" type="text" value="{WATER}"' in started
    assert 'value="ผู้ใช้น้ำโปรดกักเก็บน้ำไว้ใช้ล่วงหน้า"' in started
    assert '<option value="general" selected>' in started
    edited = {**general_form(ann_subject=f"{WATER} (ครั้งที่ ๒)"), "csrf_token": csrf_token(started)}
    edited.update({k: v for k, v in form_values(started).items() if k.startswith("item_")})
    response = client.post("/memos/new", data=edited, follow_redirects=False)
    assert response.status_code == 303
    assert count(Memo) == 2


def test_a_template_is_a_start_too(client):
    as_user(client, "somying")
    started = client.get("/memos/new?start=tpl-participation-measures").text
    assert 'value="มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน"' in started
    assert "ขั้นตอนการดำเนินงานเพื่อเปิดโอกาสให้ประชาชน" in started  # the measures heading joins the preamble
    assert 'id="form-errors"' not in started  # starting is no attempt to send: no field is marked


def test_another_offices_publication_is_not_a_start(client):
    as_user(client, "somying")
    page = client.get("/memos/new?start=pub-999")
    assert page.status_code == 200 and "ไม่พบประกาศหรือแบบที่เลือก" in page.text


def test_the_api_takes_a_general_announcement(client):
    as_user(client, "somying")
    token = client.get("/api/me").json()["csrf_token"]
    draft = {
        "unit": "office",
        "subject": "ขออนุมัติประกาศ",
        "addressee": "นายกเทศมนตรี",
        "origin": "ก",
        "facts": "ข",
        "legal_basis": ["ค"],
        "considerations": "ง",
        "announcement": {
            "template": "ประกาศทั่วไป (เขียนเรื่องและข้อความเอง)",
            "general": {"subject": WATER, "preamble": ["ด้วยท่อเมนชำรุด"], "items": [{"text": "งดจ่ายน้ำ"}]},
        },
    }
    response = client.post("/api/memos", json={"draft": draft, "pin": PIN}, headers={"X-CSRF-Token": token})
    assert response.status_code == 201, response.text
    bad = {**draft, "announcement": {"template": "general", "general": {"subject": WATER, "preamble": []}}}
    refused = client.post("/api/memos", json={"draft": bad, "pin": PIN}, headers={"X-CSRF-Token": token})
    assert refused.status_code == 422
    unknown = {**draft, "announcement": {"template": "ไม่มีแบบนี้"}}
    refused = client.post("/api/memos", json={"draft": unknown, "pin": PIN}, headers={"X-CSRF-Token": token})
    assert refused.status_code == 422 and "ไม่มีแบบประกาศ" in refused.text
    assert count(Memo) == 1


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def form_values(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="([^"]+)" type="text" value="([^"]*)"', page))


def test_revising_a_returned_general_announcement_previews_it_under_its_own_number(client):
    memo_id = submitted(client)
    stage_all(client, memo_id)
    assert sign(client, memo_id, "kanokporn", decision="return", minute="ขอให้ระบุเวลาให้ชัดเจน").status_code == 303
    token = as_user(client, "somying")
    page = client.get(f"/memos/{memo_id}/revise").text
    assert f'data-preview-url="/memos/preview?memo={memo_id}"' in page
    assert f'value="{WATER}"' in page and 'value="ผู้ใช้น้ำโปรดกักเก็บน้ำไว้ใช้ล่วงหน้า"' in page
    data = {**general_form(item_2="ผู้ใช้น้ำโปรดกักเก็บน้ำไว้ใช้ตั้งแต่วันที่ ๙ ธันวาคม"), "csrf_token": token}
    fragment = client.post(f"/memos/preview?memo={memo_id}", data=data).text
    with session_scope() as session:
        number = session.get(Memo, memo_id).register_number
    assert number in fragment and "ผู้ใช้น้ำโปรดกักเก็บน้ำไว้ใช้ตั้งแต่วันที่ ๙ ธันวาคม" in fragment
    revised = client.post(f"/memos/{memo_id}/revise", data={**data, "note": "ระบุวันกักเก็บน้ำ"}, follow_redirects=False)
    assert revised.status_code == 303
    with session_scope() as session:
        memo = session.get(Memo, memo_id)
        revision = session.exec(select(Revision).where(Revision.memo_id == memo_id, Revision.number == 2)).one()
        assert announcement_words(session, memo, revision).measures[1] == "ผู้ใช้น้ำโปรดกักเก็บน้ำไว้ใช้ตั้งแต่วันที่ ๙ ธันวาคม"
