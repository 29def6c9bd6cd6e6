"""What a person reads is in Thai words, and decisions have one vocabulary, through HTTP:
the history names the parts as the papers do; the audit log says each action and reason in
Thai, explains a sign-off, never shows a position code, and counts and numbers only the
organisation's own entries (no gaps where another office's are); the settings speak of no
Prefect; a step's approval is เห็นชอบ and the last step's อนุมัติ on the sign form, the message
after signing, the route, the signed list, the public record and the printed minutes."""

import re

import docx
from sqlmodel import select

from models import AuditEntry, Memo, Publication
from models.db import default_engine, read_scope, session_scope
from models.digits import arabic_digits
from models.draft import AnnouncementDraft, AnnouncementItem, GeneralAnnouncement, MemoDraft
from models.enums import DecisionKind
from services.memo_life.memos import revise_memo, submit_memo
from services.publication.publication import publish
from tests.builders import PIN, prepare, second_organisation, sign
from tests.web.test_pages import as_user
from tests.web.test_pages import sign as sign_on_the_page


def general_draft(second_item: str) -> MemoDraft:
    announcement = GeneralAnnouncement(
        subject="งดจ่ายน้ำประปา",
        preamble=["ด้วยท่อเมนประปาชำรุด"],
        items=[AnnouncementItem(text="งดจ่ายน้ำวันที่ ๑๐ ธันวาคม"), AnnouncementItem(text=second_item)],
    )
    return MemoDraft(
        unit="office",
        subject="ขออนุมัติออกประกาศงดจ่ายน้ำประปา",
        addressee="นายกเทศมนตรีตำบลโคกพุทรา",
        origin="ท่อเมนประปาชำรุด",
        facts="ต้องงดจ่ายน้ำหนึ่งวัน",
        legal_basis=["ระเบียบการประปา"],
        considerations="เห็นควรออกประกาศ",
        announcement=AnnouncementDraft(template="general", general=announcement),
    )


def test_the_history_names_what_changed_as_the_papers_do(client):
    engine = default_engine()
    with session_scope(engine) as session:
        memo_id = submit_memo(session, username="somying", pin=PIN, draft=general_draft("โปรดกักเก็บน้ำ")).id
    prepare(engine, memo_id)
    sign(engine, memo_id, "kanokporn", minute="")
    sign(engine, memo_id, "phakphum", DecisionKind.RETURN, minute="ข้อ ๒ ให้ระบุเวลา")
    with session_scope(engine) as session:
        revised = general_draft("โปรดกักเก็บน้ำไว้ใช้ล่วงหน้า")
        revise_memo(session, memo_id=memo_id, username="somying", pin=PIN, draft=revised, note="ระบุเวลา")
    as_user(client, "somying")
    page = client.get(f"/memos/{memo_id}/history").text
    second = re.search(r'id="revision-2">.*?</section>', page, re.S)[0]
    changed = re.findall(r"<dt>([^<]*?) <span", second)
    assert changed == ["ประกาศ ข้อ ๒"], changed  # the paper's terms, nothing else changed
    assert "<ins>ไว้ใช้ล่วงหน้า</ins>" in second
    for internal in ("general", "text", "items", "ข้อ ข้อ", "template"):
        assert internal not in second
    first = re.search(r'id="revision-1">.*?</section>', page, re.S)[0]
    assert "ขั้นที่ ๑ หัวหน้าสำนักปลัดเทศบาล: เห็นชอบ" in first  # a step's approval, not อนุมัติ


def row_numbers(html: str) -> list[int]:
    return [int(arabic_digits(n)) for n in re.findall(r'<td data-label="ลำดับ" title="[^"]*">([๐-๙]+)</td>', html)]


def test_the_audit_log_speaks_thai_and_numbers_only_the_offices_own_entries(client):
    engine = default_engine()
    second_organisation(engine)  # another office whose entries fall between ours
    with session_scope(engine) as session:
        memo_id = submit_memo(session, username="somying", pin=PIN, draft=general_draft("ข้อสอง")).id
    with session_scope(engine) as session:
        submit_memo(session, username="somying2", pin=PIN, draft=general_draft("ของอีกหน่วยงาน"))
    prepare(engine, memo_id)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo_id, username)
    token = as_user(client, "kanokporn")
    added = client.post(
        "/admin/positions", data={"title": "ผู้อำนวยการกองช่าง", "csrf_token": token}, follow_redirects=False
    )
    assert added.status_code == 303
    sign_on_the_page(client, memo_id, "kanokporn", pin="000000")  # refused: nothing to sign, a wrong PIN

    token = as_user(client, "kanokporn")
    page = client.get("/admin/audit").text
    with read_scope() as session:
        memo = session.get(Memo, memo_id)
        seqs = session.exec(select(AuditEntry.seq, AuditEntry.org_id).order_by(AuditEntry.seq)).all()
    own = [seq for seq, org in seqs if org == memo.organisation_id]
    assert own != list(range(own[0], own[0] + len(own)))  # the chain's own numbers skip here
    numbers = row_numbers(page)
    assert numbers == list(range(len(own), 0, -1)), numbers  # newest first, no gaps, ours only
    assert f"{len(own)} รายการของหน่วยงานนี้" in arabic_digits(page)
    verified = client.post("/admin/audit/verify", data={"csrf_token": token}).text
    assert f"ตรวจครบทั้ง {len(own)} รายการของหน่วยงานนี้" in arabic_digits(verified)

    actions = re.findall(r'class="action" title="[^"]*">([^<]*)<', page)
    assert actions and not [a for a in actions if re.search(r"[A-Za-z]", a)], actions
    assert "ส่งบันทึก" in actions and "ลงนาม" in actions and "เพิ่มตำแหน่ง" in actions
    assert "รหัสเหตุผล" not in page
    position_row = re.search(r"<tr class=\"entry\"[^>]*>(?:(?!</tr>).)*เพิ่มตำแหน่ง.*?</tr>", page, re.S)[0]
    assert "ผู้อำนวยการกองช่าง" in position_row and not re.search(r"<dd>[a-z][a-z0-9-]*</dd>", position_row)
    register = re.escape(memo.register_number)
    assert re.search(rf"<dt>การลงนาม</dt><dd>การลงนามครั้งที่ ๓ ของบันทึก ที่ {register}</dd>", page)
    assert "<dt>ผลการพิจารณา</dt><dd>อนุมัติ</dd>" in page and "<dt>ผลการพิจารณา</dt><dd>เห็นชอบ</dd>" in page


def test_the_settings_offer_signing_on_the_background_screen_without_naming_prefect(client):
    as_user(client, "kanokporn")
    page = client.get("/admin/settings").text
    assert "Prefect" not in page
    assert "ให้ลงนามผ่านหน้าจอระบบงานเบื้องหลัง (สำหรับผู้ดูแลระบบ)" in page


def test_a_step_is_approved_with_เห็นชอบ_and_the_last_step_with_อนุมัติ_everywhere(client, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no LibreOffice: publication goes on without PDFs
    engine = default_engine()
    with session_scope(engine) as session:
        memo_id = submit_memo(session, username="somying", pin=PIN, draft=general_draft("ข้อสอง")).id
    prepare(engine, memo_id)

    as_user(client, "kanokporn")
    form = client.get(f"/memos/{memo_id}").text
    assert 'value="approve"' in form and "> เห็นชอบ</label>" in form and 'data-minute="อนุมัติ"' not in form
    first = sign_on_the_page(client, memo_id, "kanokporn", minute="")
    message = client.get(first.headers["location"]).text
    assert "บันทึกการลงนามแล้ว: เห็นชอบ" in message
    sign(engine, memo_id, "phakphum", minute="")

    as_user(client, "phakphum")
    last_form = client.get(f"/memos/{memo_id}").text
    assert "> อนุมัติ (ขั้นสุดท้าย)</label>" in last_form and 'data-minute="อนุมัติ"' in last_form
    last = sign_on_the_page(client, memo_id, "phakphum", minute="")
    approved = client.get(last.headers["location"]).text
    assert "บันทึกการลงนามแล้ว: อนุมัติ (ขั้นสุดท้าย)" in approved
    route_text = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r'<ol class="route-steps">.*?</ol>', approved, re.S)[0])
    )
    assert re.search(r"ขั้นที่ ๑ หัวหน้าสำนักปลัดเทศบาล\S* เห็นชอบ", route_text), route_text
    assert re.search(r"ขั้นที่ ๒ ปลัดเทศบาล\S* เห็นชอบ", route_text)
    assert re.search(r"ขั้นที่ ๓ นายกเทศมนตรี\S* อนุมัติ", route_text)
    signed = client.get("/?view=signed").text
    assert "อนุมัติ ขั้นที่ ๓" in signed

    with session_scope(engine) as session:
        publish(session, memo_id=memo_id)
    with read_scope() as session:
        publication = session.exec(select(Publication).where(Publication.memo_id == memo_id)).one()
    public = client.get(f"/public/kokphutsa/{publication.id}").text
    approvals = re.search(r'<ul class="approvals">.*?</ul>', public, re.S)[0]
    assert approvals.count("เห็นชอบโดย") == 2 and approvals.count("อนุมัติโดย") == 1
    assert approvals.index("อนุมัติโดย") > approvals.rindex("ขั้นที่ ๓")

    # The memo as printed at publication, reopened: the minutes say the same words.
    minutes = [cell for table in docx.Document(publication.memo_path).tables for cell in table._cells]
    # (the minutes table's last row holds the ร่าง/พิมพ์/ทาน/ตรวจ initials, kept with the signatures)
    first_lines = [cell.paragraphs[0].text for cell in minutes if cell.text.strip() and "ร่าง" not in cell.text]
    assert first_lines == ["เห็นชอบ", "เห็นชอบ", "อนุมัติ"], first_lines
