"""The proofreader returns a memo from the ทาน stage with corrections, through the memo page; the
drafter reads them on the memo and on the revise form."""

import re

from tests.web.test_pages import PIN, as_user, submit

NOTE = "ข้อเท็จจริง ย่อหน้าที่ ๑: “โอกาศ” ควรเป็น “โอกาส”\nข้อ ๒ ของประกาศ: ใช้เลขไทย"


def typeset(client, memo_id: int) -> None:  # noqa: ANN001
    token = as_user(client, "wanna")
    assert "stage-return" not in client.get(f"/memos/{memo_id}").text  # typesetting cannot return it
    response = client.post(
        f"/memos/{memo_id}/stage", data={"stage": "พิมพ์", "pin": PIN, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303


def give_back(client, memo_id: int, *, note: str = NOTE, pin: str = PIN):  # noqa: ANN001, ANN201
    token = as_user(client, "preecha")
    assert 'id="stage-return"' in client.get(f"/memos/{memo_id}").text
    return client.post(
        f"/memos/{memo_id}/stage/return",
        data={"stage": "ทาน", "note": note, "pin": pin, "csrf_token": token},
        follow_redirects=False,
    )


def test_the_proofreader_returns_the_memo_with_corrections(client):
    memo_id = submit(client)
    typeset(client, memo_id)
    response = give_back(client, memo_id)
    assert response.status_code == 303 and response.headers["location"].endswith("msg=stage-returned")
    assert "ส่งคืนผู้ร่างพร้อมรายการแก้ไขแล้ว" in client.get(response.headers["location"]).text
    as_user(client, "somying")
    page = client.get(f"/memos/{memo_id}").text
    card = page[page.index('id="revise-card"') :]
    assert "(ขั้นตอน ทาน)" in card and "โอกาศ" in card and "ใช้เลขไทย" in card
    assert "ส่งคืนแก้ไข" in client.get("/").text  # the drafter's list says where it stands
    form = client.get(f"/memos/{memo_id}/revise").text
    assert "เหตุผลที่ส่งคืน: ข้อเท็จจริง ย่อหน้าที่ ๑" in form


def test_a_refused_return_keeps_the_typed_corrections(client):
    memo_id = submit(client)
    typeset(client, memo_id)
    response = give_back(client, memo_id, pin="0000")
    assert response.status_code == 403
    assert re.search(r'<textarea id="return-note" name="note" required>ข้อเท็จจริง ย่อหน้าที่ ๑', response.text)
    empty = give_back(client, memo_id, note=" ")
    assert empty.status_code == 403 and "รายการที่ต้องแก้ไข (a return to the drafter needs a note" in empty.text
    as_user(client, "somying")
    assert 'id="revise-card"' not in client.get(f"/memos/{memo_id}").text  # still at ทาน
