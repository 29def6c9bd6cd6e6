"""The memo form asks which kind of document the memo issues (models.document_kinds): a report
memo sent through the form is one, and its last signer is offered ทราบ; a circular without its
addressee comes back as typed, saying what to fix in Thai and English."""

import re

from sqlmodel import select

from models import Memo
from models.db import default_engine, session_scope
from tests.builders import prepare, sign
from tests.web.test_hardening import form_key
from tests.web.test_pages import as_user, memo_form


def sent(client, **changes) -> object:  # noqa: ANN001
    token = as_user(client, "somying")
    key = form_key(client.get("/memos/new").text)
    data = {**memo_form(**changes), "csrf_token": token, "submission_key": key, "proofread_confirmed": "yes"}
    return client.post("/memos/new", data=data, follow_redirects=False)


def test_the_form_offers_the_kinds_and_a_report_memo_ends_with_acknowledged(client):
    as_user(client, "somying")
    form = client.get("/memos/new")
    assert re.search(r'<select id="kind" name="kind"><option value="announcement" selected>ประกาศ</option>', form.text)
    for title in ("คำสั่ง", "หนังสือเวียน", "รายงาน (เสนอเพื่อโปรดทราบ)"):
        assert f">{title}</option>" in form.text
    answer = sent(client, kind="report", subject="รายงานผลการดำเนินการตามมาตรการ", closing="")
    assert answer.status_code == 303, answer.text
    memo_id = int(re.search(r"/memos/(\d+)", answer.headers["location"])[1])
    with session_scope() as session:
        memo = session.exec(select(Memo).where(Memo.id == memo_id)).one()
        assert memo.document_kind == "report"
    engine = default_engine()
    prepare(engine, memo_id, as_intended=True)
    sign(engine, memo_id, "kanokporn")
    sign(engine, memo_id, "phakphum")
    as_user(client, "phakphum")
    page = client.get(f"/memos/{memo_id}").text
    assert re.search(r'name="decision" value="approve"[^>]*> ทราบ \(ขั้นสุดท้าย\)', page)
    assert "อนุมัติ (ขั้นสุดท้าย)" not in page
    assert page.count('data-minute="ทราบ"') == 1


def test_a_circular_without_its_addressee_comes_back_as_typed(client):
    answer = sent(
        client,
        kind="circular",
        template="general",
        ann_subject="มาตรการป้องกันการรับสินบน",
        ann_preamble="เพื่อให้การปฏิบัติงานเป็นไปด้วยความเรียบร้อย",
        item_1="ให้ทุกส่วนราชการถือปฏิบัติ",
    )
    assert answer.status_code in (400, 422)
    assert "หนังสือเวียนต้องระบุผู้รับ" in answer.text and "a circular needs its addressee" in answer.text
    assert 'value="circular" selected' in answer.text and "มาตรการป้องกันการรับสินบน" in answer.text
    with session_scope() as session:
        assert session.exec(select(Memo)).first() is None  # nothing half-written, no number taken


def test_the_preview_shows_an_order_and_a_circular_in_their_own_layout(client):
    token = as_user(client, "somying")
    written = {
        **memo_form(template="general", ann_subject="แต่งตั้งคณะทำงาน", ann_preamble="เพื่อให้การดำเนินงานเรียบร้อย"),
        "item_1": "ให้คณะทำงานประชุมทุกเดือน",
        "csrf_token": token,
    }
    order = client.post("/memos/preview", data={**written, "kind": "order"}).text
    assert "คำสั่งเทศบาลตำบลโคกพุทรา" in order and "สั่ง ณ วันที่" in order and "ประกาศ ณ วันที่" not in order
    assert "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป" in order  # the order's own closing, not the announcement's
    circular = client.post("/memos/preview", data={**written, "kind": "circular", "doc_addressee": "พนักงานทุกคน"})
    assert "เรียน พนักงานทุกคน" in circular.text and "ขอแสดงความนับถือ" in circular.text
    report = client.post("/memos/preview", data={**written, "kind": "report"}).text
    assert 'id="memo-paper"' in report and 'id="announcement-paper"' not in report
