"""The memo page shows the automated proofreading report: located warnings (document, part,
paragraph, the sentence with the finding marked), and reports stored in the older line form."""

import json

from models import Memo, ProofreadReport
from models.db import session_scope
from services.memo_life.proofreading import proofread_revision
from services.printing.document_context import current_revision
from tests.web.test_pages import as_user, memo_form, submit

OLD_STYLE = {
    "kind": "spelling",
    "line": 12,
    "column": 3,
    "text": "บททวน",
    "suggestion": "ทบทวน",
    "message": "อาจพิมพ์ผิด: “ทบทวน” หรือไม่",
}


def store_report(memo_id: int, report: list[dict]) -> None:
    """Where the memo's flow keeps the report of the round's typeset copy."""
    with session_scope() as session:
        session.add(ProofreadReport(memo_id=memo_id, round=1, warnings_json=json.dumps(report, ensure_ascii=False)))


def submit_with_a_typo(client) -> int:  # noqa: ANN001
    token = as_user(client, "somying")
    form = memo_form(facts=memo_form()["facts"].replace("เปิดโอกาส", "เปิดโอกาศ"))
    response = client.post(
        "/memos/new", data={**form, "proofread_confirmed": "yes", "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("/memos/")[1].split("?")[0])


def test_located_warnings_name_the_document_part_paragraph_and_sentence(client):
    memo_id = submit_with_a_typo(client)
    with session_scope() as session:
        memo = session.get(Memo, memo_id)
        report = proofread_revision(session, memo, current_revision(session, memo))
    store_report(memo_id, report)
    as_user(client, "preecha")
    page = client.get(f"/memos/{memo_id}").text
    card = page[page.index('id="proofread-card"') :].split("</div>\n", 1)[0]
    assert "<strong>บันทึกข้อความ</strong> · ข้อเท็จจริง ย่อหน้าที่ ๑" in card
    assert "<mark>โอกาศ</mark>" in card and "→ โอกาส" in card
    assert "(a common misspelling)" in card
    assert "บรรทัด" not in card


def test_a_report_in_the_older_line_form_still_shows(client):
    memo_id = submit(client)
    store_report(memo_id, [OLD_STYLE])
    page = client.get(f"/memos/{memo_id}").text
    assert "บรรทัด ๑๒: “บททวน” → ทบทวน" in page


def test_the_report_shows_as_pending_until_the_flow_has_made_it(client):
    memo_id = submit(client)
    as_user(client, "preecha")
    assert 'id="proofread-pending"' in client.get(f"/memos/{memo_id}").text
    store_report(memo_id, [])
    page = client.get(f"/memos/{memo_id}").text
    assert 'id="proofread-pending"' not in page and "ไม่พบข้อผิดพลาด" in page


def test_a_misspelling_that_appears_twice_is_marked_at_both_places():
    """Two findings of one word (one per occurrence) in one part: the preview marks both places
    once each (it used to fail comparing the findings)."""
    from web.proofread_marks import by_place, marked

    finding = {**OLD_STYLE, "text": "เปิดโอกาศ", "suggestion": "เปิดโอกาส", "document": "memo", "section": "ความนำ"}
    shown = marked("เปิดโอกาศให้ และเปิดโอกาศแก่", by_place([finding, {**finding, "line": 13}]), "memo", "ความนำ")
    assert str(shown).count('<mark class="finding"') == 2
