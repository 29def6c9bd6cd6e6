"""The admin area as an administrator clicks through it, over HTTP: each form is read from the
page and sent back the way a browser sends it (only what is filled in or ticked), including the
traps of issue 10: a chain saved unchanged, a holder replaced, a delegation ended."""

import datetime as dt
import re
from html.parser import HTMLParser

from sqlmodel import select

from documents.thai_format import to_thai_digits
from models import AuditEntry, Chain, ChainStep, Delegation, Holding, Organisation, Person, Position, audit
from models.clock import office_date
from models.db import default_engine, session_scope
from models.enums import Capacity
from tests.builders import memo_in_review, sign
from tests.web.conftest import csrf_of, login
from tests.web.test_audit_views import OTHER, load_other_organisation

ADMIN_PAGES = (
    "/admin",
    "/admin/people",
    "/admin/people/somying",
    "/admin/positions",
    "/admin/chains",
    "/admin/delegations",
    "/admin/stages",
    "/admin/settings",
    "/admin/audit",
)


class _Forms(HTMLParser):
    """Every form of a page with what a browser would send: text and hidden inputs, ticked boxes,
    each select's chosen option."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._first_option: str | None = None
        self._chosen = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": []})
        elif tag == "input" and self.forms and "name" in a:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind not in {"submit", "file"}:
                self.forms[-1]["fields"].append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select, self._first_option, self._chosen = a.get("name"), None, False
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.forms[-1]["fields"].append((self._select, a.get("value", "")))
                self._chosen = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            if not self._chosen and self._first_option is not None:
                self.forms[-1]["fields"].append((self._select, self._first_option))
            self._select = None


def form_on(html: str, action: str, index: int = 0) -> list[tuple[str, str]]:
    parser = _Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["action"] == action][index]["fields"]


def submit(client, fields: list[tuple[str, str]], action: str, **changes: str):  # noqa: ANN001, ANN201
    """Send a form as read from the page, with some fields changed as the person typed them."""
    sent = [(name, changes.get(name, value)) for name, value in fields]
    return client.post(action, data=_as_form(sent))


def _as_form(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def as_admin(client, username: str = "kanokporn") -> str:  # noqa: ANN001
    client.cookies.clear()
    assert login(client, username).status_code == 303
    return csrf_of(client, "/admin")


def chain_rows() -> tuple[list[tuple[str, bool, str]], tuple[bool, bool]]:
    with session_scope() as session:
        chain = session.exec(select(Chain).join(Organisation).where(Organisation.code == "kokphutsa")).one()
        codes = {p.id: p.code for p in session.exec(select(Position))}
        steps = session.exec(select(ChainStep).where(ChainStep.chain_id == chain.id).order_by(ChainStep.step_index))
        return (
            [(codes[s.position_id], s.may_return, s.accepted_capacities) for s in steps],
            (chain.drafter_may_sign, chain.same_signer_consecutive_steps),
        )


def holder_of(code: str) -> str | None:
    with session_scope() as session:
        return session.exec(
            select(Person.username)
            .join(Holding, Holding.person_id == Person.id)
            .join(Position, Position.id == Holding.position_id)
            .where(Position.code == code)
        ).first()


def test_saving_the_chain_unchanged_keeps_the_mayor_steps_capacities(client):
    as_admin(client)
    before = chain_rows()
    assert before[0][2] == ("mayor", True, "self,ปฏิบัติหน้าที่,รักษาราชการแทน")
    page = client.get("/admin/chains").text
    assert 'value="นายกเทศมนตรีตำบลโคกพุทรา"' in page  # the step is shown by its Thai title
    response = submit(client, form_on(page, "/admin/chains"), "/admin/chains")
    assert response.status_code == 200 and "ไม่มีอะไรเปลี่ยน" in response.text
    assert chain_rows() == before
    with session_scope() as session:
        mayor_step = session.exec(select(ChainStep).where(ChainStep.step_index == 2)).one()
        assert Capacity.ON_BEHALF not in mayor_step.rule().accepted_capacities


def test_changing_one_step_leaves_the_others_and_the_rules_intact(client):
    as_admin(client)
    (steps, duties) = chain_rows()
    page = client.get("/admin/chains").text
    changed = submit(client, form_on(page, "/admin/chains"), "/admin/chains", position_1="นักจัดการงานทั่วไปชำนาญการ")
    assert "บันทึกสายการลงนามแล้ว" in changed.text
    after, after_duties = chain_rows()
    assert after[0] == ("admin-officer", True, "") and after[1:] == steps[1:]
    assert after_duties == duties == (False, True)  # same_signer_consecutive_steps survives
    with session_scope() as session:
        logged = session.exec(select(AuditEntry).where(AuditEntry.action == "admin.chain.set")).one()
    assert "self,ปฏิบัติหน้าที่,รักษาราชการแทน" in logged.data_json


def test_chain_positions_are_named_by_thai_title_or_code_and_a_wrong_name_says_what_to_do(client):
    as_admin(client)
    fields = form_on(client.get("/admin/chains").text, "/admin/chains")
    wrong = submit(client, fields, "/admin/chains", position_3="ปลัดอำเภอ")
    assert wrong.status_code == 400 and "ไม่พบตำแหน่ง" in wrong.text and "choose a position title" in wrong.text
    # Rows: an insertion slot before each step and at the end, the steps between (step k is row 2k+1).
    by_code = submit(client, fields, "/admin/chains", position_3="head-of-office", position_6="clerk")
    assert "บันทึกสายการลงนามแล้ว" in by_code.text
    assert [s[0] for s in chain_rows()[0]] == ["head-of-office", "head-of-office", "mayor", "clerk"]
    fields = form_on(client.get("/admin/chains").text, "/admin/chains")
    removed = submit(client, fields, "/admin/chains", position_3="", position_7="")  # a name cleared: a step removed
    assert "บันทึกสายการลงนามแล้ว" in removed.text
    assert chain_rows()[0] == [("head-of-office", True, ""), ("mayor", True, "self,ปฏิบัติหน้าที่,รักษาราชการแทน")]


def test_appointing_over_a_holder_asks_first_naming_who_is_replaced(client):
    token = as_admin(client)
    fields = {"position": "head-of-office", "username": "somying", "csrf_token": token}
    asked = client.post("/admin/appoint", data=fields)
    assert asked.status_code == 200 and 'id="confirm"' in asked.text
    assert "นางสาวกนกพร มุสพร้อม" in asked.text and "หัวหน้าสำนักปลัดเทศบาล" in asked.text
    assert holder_of("head-of-office") == "kanokporn"  # nothing replaced without the answer
    stale = client.post("/admin/appoint", data={**fields, "replaces": "wanna"})  # not the holder confirmed
    assert 'id="confirm"' in stale.text and holder_of("head-of-office") == "kanokporn"
    confirmed = submit(client, form_on(asked.text, "/admin/appoint"), "/admin/appoint")
    assert "บันทึกผู้ดำรงตำแหน่งแล้ว" in confirmed.text and holder_of("head-of-office") == "somying"
    vacant = client.post(
        "/admin/appoint", data={"position": "นายกเทศมนตรีตำบลโคกพุทรา", "username": "phakphum", "csrf_token": token}
    )
    assert "บันทึกผู้ดำรงตำแหน่งแล้ว" in vacant.text and holder_of("mayor") == "phakphum"  # vacant: no question
    with session_scope() as session:
        entry = session.exec(
            select(AuditEntry).where(AuditEntry.action == "admin.appointed").order_by(AuditEntry.seq)
        ).first()
    assert '"replaced":"kanokporn"' in entry.data_json


def test_ending_a_delegation_asks_first(client):
    token = as_admin(client)
    page = client.get("/admin/delegations").text
    delegation_id = re.search(r'action="/admin/delegations/(\d+)/end"', page)[1]
    asked = client.post(f"/admin/delegations/{delegation_id}/end", data={"csrf_token": token})
    assert 'id="confirm"' in asked.text and "ภาคภูมิ อนุศาสตร์" in asked.text and "๑๒๐/๒๕๖๙" in asked.text
    with session_scope() as session:
        assert session.get(Delegation, int(delegation_id)).valid_to == dt.date(2027, 9, 30)  # still in force
    ended = submit(
        client,
        form_on(asked.text, f"/admin/delegations/{delegation_id}/end"),
        f"/admin/delegations/{delegation_id}/end",
    )
    assert "ยุติคำสั่งมอบหมายแล้ว" in ended.text
    with session_scope() as session:
        assert session.get(Delegation, int(delegation_id)).valid_to < office_date()


def test_an_administrator_edits_a_person_and_it_is_audited(client):
    as_admin(client)
    page = client.get("/admin/people/somying").text
    fields = form_on(page, "/admin/people/somying")
    bad = submit(client, fields, "/admin/people/somying", email="somying at kokphutsa")
    assert bad.status_code == 400 and "อีเมล" in bad.text
    saved = submit(
        client,
        fields,
        "/admin/people/somying",
        full_name="นางสมหญิง แดงโสภา",
        rank="ว่าที่ร้อยตรีหญิง",
        email="somying@kokphutsa.go.th",
        phone="๐๒ ๑๒๓ ๔๕๖๗",
    )
    assert "บันทึกข้อมูลผู้ใช้แล้ว" in saved.text
    with session_scope() as session:
        person = session.exec(select(Person).where(Person.username == "somying")).one()
        assert (person.full_name, person.rank, person.email) == (
            "นางสมหญิง แดงโสภา",
            "ว่าที่ร้อยตรีหญิง",
            "somying@kokphutsa.go.th",
        )
        assert person.initials == "สมหญิง"  # what the form did not change stays
    listed = client.get("/admin/people").text
    assert "นางสมหญิง แดงโสภา" in listed and "somying@kokphutsa.go.th" in listed
    log = client.get("/admin/audit?action=admin.person.updated").text
    assert "แก้ไขข้อมูลผู้ใช้" in log and "นางสาวสมหญิง แดงโสภา → นางสมหญิง แดงโสภา" in log


def test_deactivating_asks_first_and_a_person_can_be_reactivated(client):
    token = as_admin(client)
    asked = client.post("/admin/people/preecha/deactivate", data={"csrf_token": token})
    assert 'id="confirm"' in asked.text and "นายปรีชา ทองดี" in asked.text
    assert holder_of("admin-officer") == "preecha"
    submit(client, form_on(asked.text, "/admin/people/preecha/deactivate"), "/admin/people/preecha/deactivate")
    assert holder_of("admin-officer") is None
    reactivated = client.post("/admin/people/preecha/reactivate", data={"csrf_token": token})
    assert "เปิดบัญชีแล้ว" in reactivated.text
    client.cookies.clear()
    assert login(client, "preecha").status_code == 303


def test_another_organisations_admin_cannot_touch_your_people(client):
    load_other_organisation()
    token = as_admin(client, f"kanokporn-{OTHER}")
    edited = client.post("/admin/people/somying", data={"full_name": "ผู้บุกรุก", "csrf_token": token})
    assert "ไม่พบผู้ใช้ somying" in edited.text
    assert "ไม่พบผู้ใช้ somying" in client.get("/admin/people/somying").text
    client.post("/admin/people/somying/deactivate", data={"confirm": "yes", "csrf_token": token})
    client.post("/admin/appoint", data={"position": "mayor", "username": "somying", "csrf_token": token})
    with session_scope() as session:
        somying = session.exec(select(Person).where(Person.username == "somying")).one()
        assert (somying.full_name, somying.active) == ("นางสาวสมหญิง แดงโสภา", True)
        kok_mayor = session.exec(
            select(Position).join(Organisation).where(Organisation.code == "kokphutsa", Position.code == "mayor")
        ).one()
        assert session.exec(select(Holding).where(Holding.person_id == somying.id)).all()[0].position_id != kok_mayor.id
    assert "somying" not in client.get("/admin/people").text.replace(f"somying-{OTHER}", "")


def test_every_admin_page_has_the_nav_and_marks_where_you_are(client):
    as_admin(client)
    for path in ADMIN_PAGES:
        page = client.get(path)
        assert page.status_code == 200, path
        assert 'class="admin-nav"' in page.text and 'aria-current="page"' in page.text, path
    client.cookies.clear()
    login(client, "somying")
    assert all(client.get(path).status_code == 403 for path in ADMIN_PAGES)


def test_the_audit_page_reads_as_thai_with_times_names_and_no_json(client):
    token = as_admin(client)
    client.post(
        "/admin/settings", data={"register_prefix": "อท ๕๓๗๐๑.๔", "prefect_ui_signing": "true", "csrf_token": token}
    )
    page = client.get("/admin/audit").text
    rows = re.findall(r'<tr class="entry"[^>]*>(.*?)</tr>', page, re.S)
    assert rows and all(re.search(r'class="when">[๐-๙]+ [ก-๙.]+ ๒๕[๐-๙]{2} [๐-๙]{2}:[๐-๙]{2} น\.<', r) for r in rows)
    settings_row = next(r for r in rows if "แก้ไขการตั้งค่า" in r)
    assert "นางสาวกนกพร มุสพร้อม" in settings_row and ">kanokporn<" not in settings_row
    assert "<dt>ลงนามผ่านหน้าจอระบบงานเบื้องหลัง</dt><dd>ใช่</dd>" in settings_row
    assert "{" not in page.split('id="audit"')[1] and "admin.settings" not in settings_row.split("title=")[0]


def test_the_audit_page_filters_and_pages(client):
    as_admin(client)
    with session_scope() as session:
        org = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
        for _ in range(60):
            audit.append(session, actor="somying", action="web.login", subject="person:1", data={})
        audit.append(
            session,
            actor="wanna",
            action="account.pin.changed",
            subject="person:2",
            data={"username": "wanna", "organisation": org.code},
        )
    by_action = client.get("/admin/audit?action=account.pin.changed").text
    assert by_action.count('<tr class="entry"') == 1 and "นางวรรณา ศรีสุข" in by_action
    by_person = client.get("/admin/audit?person=somying").text
    assert "๖๐ รายการ" in by_person and "หน้า ๑/๒" in by_person
    second = client.get(re.search(r'href="([^"]+)" rel="next"', by_person)[1].replace("&amp;", "&")).text
    assert second.count('<tr class="entry"') == 10 and "หน้า ๒/๒" in second
    today = office_date()  # the entries' day in Bangkok
    be = f"{today.day}/{today.month}/{today.year + 543}"
    assert "๖๐ รายการ" in client.get(f"/admin/audit?person=somying&date_from={be}&date_to={be}").text
    tomorrow = today + dt.timedelta(days=2)
    assert (
        "ไม่มีรายการตามตัวกรองนี้"
        in client.get(f"/admin/audit?date_from={tomorrow.day}/{tomorrow.month}/{tomorrow.year + 543}").text
    )
    wrong = client.get("/admin/audit?date_from=12/31/2026")
    assert wrong.status_code == 400 and "วัน/เดือน/ปี พ.ศ." in wrong.text
    assert "ไม่มีรายการตามตัวกรองนี้" in client.get("/admin/audit?memo=999").text
    year_first = client.get("/admin/audit?date_from=2569-12-02")  # never read as a Western year
    assert year_first.status_code == 400 and "วัน/เดือน/ปี" in year_first.text
    assert client.get("/admin/audit?memo=99999999999999999999999&page=99999999999999999999").status_code == 200


def test_the_audit_page_filters_by_memo_and_names_it(client):
    memo = memo_in_review(default_engine())
    sign(default_engine(), memo.id, "kanokporn")
    as_admin(client)
    by_id = client.get(f"/admin/audit?memo={to_thai_digits(memo.id)}").text
    by_number = client.get("/admin/audit", params={"memo": memo.register_number}).text
    for page in (by_id, by_number):
        rows = re.findall(r'<tr class="entry"[^>]*>(.*?)</tr>', page, re.S)
        assert len(rows) == 5  # submitted, three stages, one sign-off
        assert all(f'href="/memos/{memo.id}">บันทึก ที่ {memo.register_number}' in r for r in rows)
    signed = next(r for r in re.findall(r'<tr class="entry"[^>]*>(.*?)</tr>', by_id, re.S) if ">ลงนาม<" in r)
    assert "<dt>ขั้นที่</dt><dd>๑</dd>" in signed and "<dt>ผลการพิจารณา</dt><dd>เห็นชอบ</dd>" in signed
    assert "<dt>ฐานะ</dt><dd>ในตำแหน่งของตน</dd>" in signed


def test_an_administrator_cannot_add_a_person_named_like_the_system_or_like_someone_else(client):
    assert login(client, "kanokporn").status_code == 303
    token = csrf_of(client, "/admin/people")
    for username, said in (
        ("system", "สงวนไว้สำหรับระบบ"),  # the audit log shows the system's actions as ระบบ
        ("s0mying", "อ่านแล้วเหมือน somying"),
        ("so.my1ng", "อ่านแล้วเหมือน somying"),
        ("Somying", "อักษรอังกฤษตัวเล็ก"),
        ("สมหญิง", "อักษรอังกฤษตัวเล็ก"),
        ("-", "อักษรอังกฤษตัวเล็ก"),  # what the log writes for a login by a name nobody has
    ):
        fields = {"username": username, "full_name": "นางสาวสมหญิง แดงโสภา", "rank": "", "initials": "สญ"}
        page = client.post(
            "/admin/people", data=fields | {"password": "puppet-password-1", "pin": "739164", "csrf_token": token}
        )
        assert said in page.text, (username, page.text[:2000])
        with session_scope() as session:
            assert session.exec(select(Person).where(Person.username == username)).first() is None


def test_the_overview_does_not_warn_of_the_emblem_placeholder_when_printing_on_garuda_paper(client):
    login(client, "kanokporn")
    page = client.get("/admin").text  # the 004 municipality prints on Garuda paper, no image uploaded
    assert "[ตราครุฑ] แทน" not in page and "พิมพ์บนกระดาษที่มีตราครุฑอยู่แล้ว" in page
    with session_scope(default_engine()) as session:
        session.exec(select(Organisation)).one().printed_garuda_paper = False
        audit.append(session, actor="kanokporn", action="test.paper", subject="organisation:kokphutsa")
    assert "[ตราครุฑ] แทน" in client.get("/admin").text  # plain paper, no image: the placeholder prints
