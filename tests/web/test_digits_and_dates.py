"""Digits and dates as a person types them in the web app: Thai or Arabic digits, BE years."""

import datetime as dt
import re
import time
import urllib.parse

from sqlmodel import select

from models import Delegation
from models.db import read_scope
from services.printing.rendering import render_current_documents
from tests.builders import PIN
from tests.web.conftest import csrf_of, login
from tests.web.test_pages import as_user, memo_form, sign, stage_all, submit, wait_for_pdf

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def _delegate(client, token: str, valid_from: str, valid_to: str):  # noqa: ANN001, ANN202
    return client.post(
        "/admin/delegations",
        data={
            "username": "preecha",
            "position": "mayor",
            "capacity": "รักษาราชการแทน",
            "order_number": "คำสั่ง ที่ ๙/๒๕๖๙",
            "valid_from": valid_from,
            "valid_to": valid_to,
            "csrf_token": token,
        },
    )


def _delegation_dates() -> list[tuple[dt.date, dt.date]]:
    with read_scope() as session:
        return [(d.valid_from, d.valid_to) for d in session.exec(select(Delegation).order_by(Delegation.id))]


def test_the_delegation_form_asks_for_a_be_date_in_a_text_field(client):
    as_user(client, "kanokporn")
    page = client.get("/admin/delegations").text
    field = re.search(r'<input id="d-from"[^>]*>', page)[0]
    assert 'type="text"' in field and "๒/๑๒/๒๕๖๙" in field  # not type=date: Chromium's picker shows CE


def test_02122569_is_the_second_of_december_2569(client):
    token = as_user(client, "kanokporn")
    before = _delegation_dates()
    done = _delegate(client, token, "02122569", "๓๑/๑/๒๕๗๐")
    assert "๒ ธันวาคม พ.ศ. ๒๕๖๙ ถึง ๓๑ มกราคม พ.ศ. ๒๕๗๐" in done.text  # read back in BE
    assert _delegation_dates() == [*before, (dt.date(2026, 12, 2), dt.date(2027, 1, 31))]
    assert "๒ ธ.ค. ๖๙ – ๓๑ ม.ค. ๗๐" in done.text  # the list shows the same dates, BE


def test_a_western_year_is_refused_saying_what_to_type(client):
    token = as_user(client, "kanokporn")
    before = _delegation_dates()
    western = _delegate(client, token, "2/12/2026", "31/1/2570")
    assert western.status_code == 400 and "วันเริ่มต้น" in western.text and "ปี ค.ศ." in western.text
    assert "2569" in western.text  # the BE year meant
    iso = _delegate(client, token, "2026-12-02", "31/1/2570")  # what a date picker would send
    assert iso.status_code == 400 and "day first" in iso.text
    short = _delegate(client, token, "2/12/69", "31/1/2570")
    assert short.status_code == 400 and "two-digit year" in short.text
    assert _delegation_dates() == before


def test_a_wrong_pin_says_how_many_tries_are_left_and_not_the_username(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    texts = [
        sign(client, memo_id, "kanokporn", pin=wrong).text
        for wrong in ("000001", "000002", "000003", "000004", "000005")
    ]
    for text, left in zip(texts[:4], "๔๓๒๑", strict=True):
        flash = re.search(r'class="flash error"[^>]*>(.*?)</div>', text, re.S)[1]
        assert f"ลองได้อีก {left} ครั้ง" in flash and "ระงับการลงนาม" in flash and "๑๕ นาที" in flash
        assert "ชื่อผู้ใช้" not in flash and "username" not in flash
    assert "ระบบระงับการลงนามของท่าน ๑๕ นาที" in texts[4] and "ผู้ดูแลระบบ" in texts[4]
    assert "signing is locked" in sign(client, memo_id, "kanokporn").text  # even the right PIN now


def test_a_pin_in_thai_digits_records_a_stage(client):
    memo_id = submit(client)
    token = as_user(client, "wanna")
    done = client.post(
        f"/memos/{memo_id}/stage",
        data={"stage": "พิมพ์", "pin": PIN.translate(THAI), "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text


def test_a_pin_given_in_thai_digits_by_the_administrator_is_typed_on_a_number_pad(client):
    token = as_user(client, "kanokporn")
    page = client.get("/admin/people").text
    assert 'inputmode="numeric"' in re.search(r'<input id="n-pin"[^>]*>', page)[0]
    new_pin = "739164"
    added = client.post(
        "/admin/people",
        data={
            "username": "malee",
            "full_name": "นางมาลี ใจดี",
            "rank": "",
            "initials": "มล",
            "password": "malee-password-1",
            "pin": new_pin.translate(THAI),
            "csrf_token": token,
        },
    )
    assert "เพิ่มผู้ใช้แล้ว" in added.text, added.text
    # malee changes it on her phone's number pad: the Thai-digit PIN is the Arabic-digit one
    client.cookies.clear()

    assert login(client, "malee", "malee-password-1").status_code == 303
    changed = client.post(
        "/account/pin",
        data={"current": new_pin, "new": "582047", "again": "582047", "csrf_token": csrf_of(client, "/account")},
        follow_redirects=False,
    )
    assert changed.status_code == 303, changed.text


def test_the_message_after_signing_says_what_happened(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    approved = sign(client, memo_id, "kanokporn")
    assert approved.headers["location"].endswith("msg=signed")
    assert "เห็นชอบ ส่งต่อผู้พิจารณาขั้นถัดไปแล้ว" in client.get(approved.headers["location"]).text
    returned = sign(client, memo_id, "phakphum", decision="return", minute="แก้ไขข้อ ๒")
    page = client.get(returned.headers["location"]).text
    assert "ส่งคืนผู้ร่างให้แก้ไขแล้ว" in page and "บันทึกการลงนามแล้ว" not in page


def test_the_last_approval_says_the_memo_is_approved(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    sign(client, memo_id, "kanokporn")
    sign(client, memo_id, "phakphum")
    last = sign(client, memo_id, "phakphum", minute="อนุมัติ")
    assert "อนุมัติครบทุกขั้น" in client.get(last.headers["location"]).text


def test_status_text_uses_thai_digits(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    as_user(client, "kanokporn")
    queue = client.get("/").text
    assert "พิจารณาขั้นที่ ๑" in queue and "sign step" not in queue
    page = client.get(f"/memos/{memo_id}").text
    where = re.search(r'id="where-now">([^<]*)<', page)[1]
    assert "ขั้นที่ ๑/๓" in where and not re.search(r"[0-9]", where)


def test_files_have_labels_and_human_names(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    render_current_documents(memo_id)  # what the memo's flow run writes after the submission (.docx)
    as_user(client, "kanokporn")
    page = client.get(f"/memos/{memo_id}").text
    files = re.search(r'<ul id="files".*?</ul>', page, re.S)[0]
    assert "บันทึกข้อความ ฉบับที่ ๑ · Word (แก้ไขได้)" in files
    name = "บันทึกข้อความ-อท๕๓๗๐๑.๔-๑-ฉบับที่๑.docx"
    assert f'download="{name}"' in files and "memo-r1-m0.docx</a>" not in files
    download = client.get(f"/memos/{memo_id}/files/memo-r1-m0.docx")
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=\"memo-r1-m0.docx\"; filename*=UTF-8''")
    assert urllib.parse.unquote(disposition.split("UTF-8''")[1]) == name
    assert download.content[:2] == b"PK"


def test_the_pdf_is_made_in_the_background_with_its_state_shown(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    token = as_user(client, "kanokporn")
    started = time.monotonic()
    answer = client.post(f"/memos/{memo_id}/pdf", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303 and time.monotonic() - started < 3  # no 14 s wait on the request
    page = client.get(f"/memos/{memo_id}").text
    status = re.search(r'<p id="pdf-status"[^>]*>([^<]*)<', page, re.S)
    assert 'data-state="running"' in status[0] and "กำลังสร้าง PDF" in status[1]
    assert client.post(f"/memos/{memo_id}/pdf", data={"csrf_token": token}).status_code == 200  # no second job
    assert wait_for_pdf(client, memo_id)["state"] == "done"
    files = re.search(r'<ul id="files".*?</ul>', client.get(f"/memos/{memo_id}").text, re.S)[0]
    assert "บันทึกข้อความ ฉบับที่ ๑ · PDF" in files


def test_the_history_is_readable(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    sign(client, memo_id, "kanokporn")
    sign(client, memo_id, "phakphum", decision="return", minute="ข้อเท็จจริงขาดปีงบประมาณ")
    token = as_user(client, "somying")
    form = memo_form(
        facts=memo_form()["facts"].replace("ประจำปีงบประมาณ", "ประจำปีงบประมาณถัดไป", 1),
        note="เพิ่มปีงบประมาณ",
        csrf_token=token,
    )
    assert client.post(f"/memos/{memo_id}/revise", data=form, follow_redirects=False).status_code == 303
    page = client.get(f"/memos/{memo_id}/history").text
    second = re.search(r'<section class="card revision" id="revision-2">.*?</section>', page, re.S)[0]
    assert "แก้ไขโดย <strong>นางสาวสมหญิง แดงโสภา</strong>" in second and " น." in second  # a name, a BE time
    assert "<dt>ข้อเท็จจริง" in second and "<ins>ถัดไป</ins>" in second  # the Thai field name, the word added
    first = re.search(r'id="revision-1">.*?</section>', page, re.S)[0]
    assert "บันทึกขั้นตอน พิมพ์ โดย นางวรรณา ศรีสุข" in first
    assert "ขั้นที่ ๒ ปลัดเทศบาลตำบลโคกพุทรา: ส่งคืนแก้ไข โดย ว่าที่ร้อยตรีภาคภูมิ อนุศาสตร์" in first
    assert "ข้อเท็จจริงขาดปีงบประมาณ" in first
    for developer_text in ("@@", "facts:", "somying", "phakphum", "wanna"):
        assert developer_text not in page


def test_a_new_pin_typed_once_in_thai_digits_and_once_in_arabic_is_the_same_pin(client):
    token = as_user(client, "somying")
    new_pin = "739164"
    changed = client.post(
        "/account/pin",
        data={"current": PIN.translate(THAI), "new": new_pin.translate(THAI), "again": new_pin, "csrf_token": token},
        follow_redirects=False,
    )
    assert changed.status_code == 303, changed.text
