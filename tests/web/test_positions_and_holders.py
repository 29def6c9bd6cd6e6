"""Positions are added by their Thai title alone, with the position they report to, which is
where escalation sends their overdue steps; and the drafter's lists name who holds each memo
now, read in a fixed number of queries however many memos there are. Through HTTP."""

import re

from sqlalchemy import event
from sqlmodel import select

from models import Escalation, Memo, Position
from models.clock import utcnow
from models.db import default_engine, read_scope, session_scope
from services.accounts.org_loader import OrganisationFile, load_organisation
from services.accounts.position_codes import code_from_title
from services.memo_life.escalation import escalate_step
from services.memo_life.holders import holders_now
from tests.builders import memo_in_review, sign, submitted_memo
from tests.web.test_pages import as_user

NEW_TITLE = "ผู้อำนวยการกองช่าง"


def position(title: str) -> Position:
    with read_scope() as session:
        return session.exec(select(Position).where(Position.title == title)).one()


def test_a_position_added_by_its_thai_title_reports_to_the_one_chosen_and_takes_escalations(client):
    token = as_user(client, "kanokporn")
    form = client.get("/admin/positions").text
    assert 'name="reports_to"' in form and "ผู้บังคับบัญชาตามสายงาน" in form
    mayor = position("นายกเทศมนตรีตำบลโคกพุทรา")
    added = client.post(
        "/admin/positions",
        data={"title": NEW_TITLE, "reports_to": mayor.code, "csrf_token": token},
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text
    new = position(NEW_TITLE)
    assert re.fullmatch(r"[a-z0-9-]+", new.code) and new.reports_to_id == mayor.id
    assert code_from_title(NEW_TITLE, {new.code}) == f"{new.code}-2"  # unique in the organisation

    again = client.post(
        "/admin/positions",
        data={"title": NEW_TITLE, "short_title": "ผอ.กองช่าง", "reports_to": mayor.code, "csrf_token": token},
    )
    assert again.status_code == 400 and f"มีตำแหน่ง {NEW_TITLE} แล้ว" in again.text  # refused, refilled
    assert 'value="ผอ.กองช่าง"' in again.text and f'<option value="{mayor.code}" selected>' in again.text

    # The head of office now reports to the new position; a circle back is refused.
    head = position("หัวหน้าสำนักปลัดเทศบาล")
    moved = client.post(
        "/admin/positions/reports-to",
        data={"position": head.code, "reports_to": new.code, "csrf_token": token},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    circle = client.post(
        "/admin/positions/reports-to", data={"position": new.code, "reports_to": head.code, "csrf_token": token}
    )
    assert circle.status_code == 400 and "อยู่ใต้บังคับบัญชาของ" in circle.text
    assert f'<option value="{head.code}" selected>' in circle.text
    assert client.post(
        "/admin/appoint", data={"position": new.code, "username": "preecha", "csrf_token": token}
    ).status_code in (200, 303)

    memo = memo_in_review(default_engine())  # waits at the head of office's step
    with session_scope() as session:
        escalate_step(session, session.get(Memo, memo.id), utcnow())
    with read_scope() as session:
        assert session.exec(select(Escalation.to_position_id).where(Escalation.memo_id == memo.id)).one() == new.id
    as_user(client, "preecha")
    assert f'href="/memos/{memo.id}"' in client.get("/").text  # in the new position's holder's queue


def test_an_organisation_file_may_give_a_position_its_title_alone(web_home):
    raw = OrganisationFile.model_validate(
        {
            "organisation": {
                "code": "titles",
                "name": "เทศบาลตำบลทดสอบ",
                "kind": "municipality",
                "register_prefix": "ทส",
            },
            "units": [{"code": "office", "name": "สำนักปลัด", "letterhead_name": "สป."}],
            "positions": [
                {"title": "นิติกร", "unit": "office", "reports_to": "ปลัดเทศบาล"},
                {"code": "clerk", "title": "ปลัดเทศบาล"},
            ],
        }
    )
    with session_scope() as session:
        org = load_organisation(session, raw, demo=True)
        rows = {p.title: p for p in session.exec(select(Position).where(Position.organisation_id == org.id))}
        assert re.fullmatch(r"[a-z0-9-]+", rows["นิติกร"].code) and rows["ปลัดเทศบาล"].code == "clerk"
        assert rows["นิติกร"].reports_to_id == rows["ปลัดเทศบาล"].id  # named by its title in the file


def queries_for(memo_ids: list[int]) -> int:
    statements = []

    def count(*_args) -> None:  # noqa: ANN002
        statements.append(1)

    engine = default_engine()
    with read_scope() as session:
        memos = [session.get(Memo, memo_id) for memo_id in memo_ids]
        event.listen(engine, "before_cursor_execute", count)
        try:
            holders_now(session, memos)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_the_drafters_lists_name_who_holds_each_memo_now_in_a_fixed_number_of_queries(client):
    engine = default_engine()
    preparing = submitted_memo(engine)  # waits for พิมพ์: its typist
    reviewed = memo_in_review(engine)
    sign(engine, reviewed.id, "kanokporn")  # waits for the clerk at step 2
    as_user(client, "somying")
    for page in (client.get("/").text, client.get("/?view=mine").text):
        rows = {m: re.search(rf'href="/memos/{m}">.*?</tr>', page, re.S)[0] for m in (preparing.id, reviewed.id)}
        assert "รอ นางวรรณา ศรีสุข บันทึกขั้นตอน พิมพ์" in rows[preparing.id]
        assert "รอ ภาคภูมิ อนุศาสตร์ (ปลัดเทศบาลตำบลโคกพุทรา) พิจารณา (ขั้นที่ ๒/๓)" in rows[reviewed.id]

    more = [memo_in_review(engine).id for _ in range(3)]
    assert queries_for([preparing.id, reviewed.id]) == queries_for([preparing.id, reviewed.id, *more])
