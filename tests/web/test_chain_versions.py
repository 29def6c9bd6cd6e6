"""A chain that changes while memos are on it (issue 20, findings 5 and 6), as an administrator
does it on /admin/chains over HTTP: each memo finishes on the version it was sent under, the next
follows the new one, a step inserted mid-chain keeps every step's rules, a step nobody can sign
needs a confirmation, and a memo not yet signed in its round moves to the current version."""

from sqlmodel import select

from models import AuditEntry, Chain, ChainStep, MemoRoute, Organisation, Position, SecurityNotice
from models.approvals import route_of
from models.db import default_engine, session_scope
from models.enums import Capacity, MemoStatus
from services.accounts.admin import add_position
from services.audit.audit_verify import verify_audit
from services.memo_life.queue import queue_for
from tests.builders import PIN, memo, memo_in_review, sign
from tests.web.test_admin_pages import as_admin, chain_rows, form_on, submit

MAYOR_RULES = ("mayor", True, "self,ปฏิบัติหน้าที่,รักษาราชการแทน")
ADMIN_OFFICER = "นักจัดการงานทั่วไปชำนาญการ"


def signed_through(memo_id: int, *signers: str) -> None:
    for username in signers:
        sign(default_engine(), memo_id, username)


def test_a_step_inserted_while_two_memos_are_on_the_chain_leaves_them_on_theirs(client):
    engine = default_engine()
    halfway = memo_in_review(engine)
    sign(engine, halfway.id, "kanokporn")
    waiting = memo_in_review(engine)
    before, _ = chain_rows()
    as_admin(client)
    page = client.get("/admin/chains").text
    assert "แทรกขั้นก่อนขั้นที่ ๒" in page
    # Row 2 is the insertion slot before step 2 (rows: slot, step 1, slot, step 2, slot, step 3, slot).
    saved = submit(client, form_on(page, "/admin/chains"), "/admin/chains", position_2=ADMIN_OFFICER)
    assert saved.status_code == 200 and "บันทึกสายการลงนามแล้ว" in saved.text
    after, _ = chain_rows()
    assert after == [before[0], ("admin-officer", True, ""), before[1], before[2]]
    assert after[3] == MAYOR_RULES  # acting stays on the mayor's step
    assert "ฉบับที่ ๒" in saved.text
    assert f'id="older-{waiting.id}"' in saved.text and f'action="/admin/chains/memos/{waiting.id}/move"' in saved.text
    assert f'action="/admin/chains/memos/{halfway.id}/move"' not in saved.text  # signed in its round

    signed_through(halfway.id, "phakphum", "phakphum")  # clerk, then acting mayor: version 1's route
    assert memo(engine, halfway.id).status == MemoStatus.APPROVED
    assert memo(engine, halfway.id).steps_total == 3

    following = memo_in_review(engine)  # the next memo follows version 2
    assert memo(engine, following.id).steps_total == 4
    sign(engine, following.id, "kanokporn")
    with session_scope(engine) as session:
        assert [item.memo_id for item in queue_for(session, "preecha")] == [following.id]
        assert route_of(session, following.id).chain_version == 2
    signed_through(following.id, "preecha", "phakphum", "phakphum")
    assert memo(engine, following.id).status == MemoStatus.APPROVED

    # The memo nobody signed yet moves to version 2, with the administrator's PIN and a reason.
    form = form_on(client.get("/admin/chains").text, f"/admin/chains/memos/{waiting.id}/move")
    wrong = submit(client, form, f"/admin/chains/memos/{waiting.id}/move", reason="เพิ่มขั้นตรวจ", pin="000000")
    assert wrong.status_code == 403 and 'value="เพิ่มขั้นตรวจ"' in wrong.text  # the reason is kept
    moved = submit(client, form, f"/admin/chains/memos/{waiting.id}/move", reason="เพิ่มขั้นตรวจ", pin=PIN)
    assert "ย้ายบันทึกไปใช้สายการลงนามฉบับปัจจุบันแล้ว" in moved.text
    assert f'id="older-{waiting.id}"' not in moved.text
    with session_scope(engine) as session:
        routes = session.exec(select(MemoRoute).where(MemoRoute.memo_id == waiting.id).order_by(MemoRoute.id)).all()
        assert [r.chain_version for r in routes] == [1, 2]
        told = session.exec(select(SecurityNotice).where(SecurityNotice.title == "บันทึกของท่านเปลี่ยนสายการลงนาม"))
        assert ["เพิ่มขั้นตรวจ" in n.body for n in told] == [True]
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "memo.route.moved")).one()
    assert "ตามสายการลงนามฉบับที่ ๒" in client.get(f"/memos/{waiting.id}").text
    signed_through(waiting.id, "kanokporn", "preecha", "phakphum", "phakphum")
    assert memo(engine, waiting.id).status == MemoStatus.APPROVED
    report = verify_audit(engine)
    assert report.intact, report.problems


def test_retyped_titles_keep_each_steps_rules_with_its_step(client):
    """Finding 6: inserting a step by retyping the titles below it must not leave the mayor's
    "acting" boxes on the row that now names the clerk."""
    before, _ = chain_rows()
    as_admin(client)
    fields = form_on(client.get("/admin/chains").text, "/admin/chains")
    clerk_title, mayor_title = "ปลัดเทศบาลตำบลโคกพุทรา", "นายกเทศมนตรีตำบลโคกพุทรา"
    saved = submit(
        client, fields, "/admin/chains", position_3=ADMIN_OFFICER, position_5=clerk_title, position_6=mayor_title
    )
    assert "บันทึกสายการลงนามแล้ว" in saved.text
    after, _ = chain_rows()
    assert after == [before[0], ("admin-officer", True, ""), before[1], MAYOR_RULES]


def test_a_step_moves_by_its_number(client):
    before, _ = chain_rows()
    as_admin(client)
    fields = form_on(client.get("/admin/chains").text, "/admin/chains")
    saved = submit(client, fields, "/admin/chains", order_1="3", order_5="1")  # head of office and mayor swap
    assert "บันทึกสายการลงนามแล้ว" in saved.text
    assert chain_rows()[0] == [before[2], before[1], before[0]]


def test_a_step_nobody_can_sign_today_is_saved_only_once_confirmed(client):
    with session_scope() as session:
        org = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
        add_position(
            session, actor="kanokporn", org=org, code="deputy-clerk", title="รองปลัดเทศบาล", short_title="", unit_code=""
        )
    before, _ = chain_rows()
    as_admin(client)
    fields = form_on(client.get("/admin/chains").text, "/admin/chains")
    refused = submit(client, fields, "/admin/chains", position_4="รองปลัดเทศบาล", order_5="9")
    assert refused.status_code == 400
    assert "ขั้นที่ ๓ ยังไม่มีผู้ลงนามได้ในวันนี้" in refused.text and "nobody can sign it today" in refused.text
    assert chain_rows()[0] == before  # nothing saved
    typed = form_on(refused.text, "/admin/chains")
    assert ("position_5", "รองปลัดเทศบาล") in typed and ("position_7", "นายกเทศมนตรีตำบลโคกพุทรา") in typed
    assert 'name="vacant_confirmed"' in refused.text
    confirmed = submit(client, typed + [("vacant_confirmed", "true")], "/admin/chains")
    assert "บันทึกสายการลงนามแล้ว" in confirmed.text
    assert [s[0] for s in chain_rows()[0]] == ["head-of-office", "clerk", "deputy-clerk", "mayor"]
    with session_scope() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "admin.chain.set")).one()
        assert '"vacant_steps_confirmed":[3]' in entry.data_json.replace(" ", "")
        mayor = session.exec(select(ChainStep).where(ChainStep.step_index == 3)).one()
        assert Capacity.PERFORMING_DUTIES in mayor.rule().accepted_capacities
        assert session.exec(select(Chain)).one().id and session.exec(select(Position)).all()
