"""A refused admin or account form comes back as the person left it: every field typed, every box
and choice, the reason beside the form and the cursor (autofocus) on the field to fix; never a
password or PIN written back into the page. Each form is read from the page and sent the way a
browser sends it (tests.web.test_admin_pages), with what a person would get wrong."""

import io
import re
from html.parser import HTMLParser

from sqlmodel import select

from models import Organisation, Person, Position, StagePermission, Unit
from models.db import session_scope
from services.memo_life import deactivation
from tests.web.conftest import csrf_of, login
from tests.web.test_admin_pages import as_admin, form_on, submit


class _Fields(HTMLParser):
    """Each input, select and option of a page with its attributes, by id (options by select)."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, dict] = {}
        self.selected: dict[str, list[str]] = {}
        self.focused: list[str] = []
        self._select = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if "autofocus" in a:
            self.focused.append(a.get("id") or f"{a.get('name')}={a.get('value')}")
        if tag in {"input", "select", "textarea"} and "id" in a:
            self.by_id[a["id"]] = a
        if tag == "select":
            self._select = a.get("id", "")
            self.selected.setdefault(self._select, [])
        elif tag == "option" and "selected" in a:
            self.selected[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = ""


def fields_of(html: str) -> _Fields:
    parser = _Fields()
    parser.feed(html)
    return parser


def value(page: _Fields, field_id: str) -> str:
    return page.by_id[field_id].get("value", "")


def error_beside(html: str, form_action: str) -> str:
    """The reason shown inside the refused form (not at the top of the page)."""
    form = re.search(rf'<form method="post" action="{re.escape(form_action)}"[^>]*>(.*?)</form>', html, re.S)
    assert form, form_action
    said = re.search(r'<p class="flash error" role="alert"[^>]*>(.*?)</p>', form[1], re.S)
    assert said, f"no reason beside {form_action}"
    return said[1]


def test_adding_a_person_with_a_weak_pin_keeps_everything_but_the_secrets(client):
    as_admin(client)
    fields = form_on(client.get("/admin/people").text, "/admin/people")
    typed = {
        "username": "malee",
        "full_name": "นางมาลี ใจงาม",
        "rank": "ว่าที่ร้อยตรีหญิง",
        "initials": "มล",
        "password": "a-long-enough-password",
        "pin": "345678",  # a run of digits: refused
    }
    refused = submit(client, [*fields, ("is_admin", "true")], "/admin/people", **typed)
    assert refused.status_code == 400
    page = fields_of(refused.text)
    assert [value(page, i) for i in ("n-user", "n-name", "n-rank", "n-init")] == [
        "malee",
        "นางมาลี ใจงาม",
        "ว่าที่ร้อยตรีหญิง",
        "มล",
    ]
    assert "รหัส PIN" in error_beside(refused.text, "/admin/people")
    assert page.focused == ["n-pin"]
    assert value(page, "n-pw") == "" and value(page, "n-pin") == ""  # never written back
    assert "a-long-enough-password" not in refused.text and "345678" not in refused.text
    assert 'name="is_admin" value="true" checked' in refused.text
    with session_scope() as session:
        assert session.exec(select(Person).where(Person.username == "malee")).first() is None

    without_name = submit(client, fields, "/admin/people", **{**typed, "username": "", "pin": "739164"})
    again = fields_of(without_name.text)
    assert again.focused == ["n-user"] and value(again, "n-name") == "นางมาลี ใจงาม"
    assert 'name="is_admin" value="true" checked' not in without_name.text  # not ticked this time


def test_a_delegation_with_a_western_year_keeps_every_choice(client):
    as_admin(client)
    fields = form_on(client.get("/admin/delegations").text, "/admin/delegations")
    typed = {
        "username": "wanna",
        "position": "head-of-office",
        "capacity": "รักษาราชการแทน",
        "order_number": "๑๒๓/๒๕๖๙",
        "valid_from": "1/10/2026",  # the Western year, by habit
        "valid_to": "30/9/2570",
    }
    refused = submit(client, fields, "/admin/delegations", **typed)
    assert refused.status_code == 400
    page = fields_of(refused.text)
    assert page.selected["d-user"] == ["wanna"] and page.selected["d-pos"] == ["head-of-office"]
    assert page.selected["d-cap"] == ["รักษาราชการแทน"]
    assert [value(page, i) for i in ("d-order", "d-from", "d-to")] == ["๑๒๓/๒๕๖๙", "1/10/2026", "30/9/2570"]
    assert "วันเริ่มต้น" in error_beside(refused.text, "/admin/delegations")
    assert page.focused == ["d-from"]

    backwards = submit(client, fields, "/admin/delegations", **{**typed, "valid_from": "1/10/2570"})
    assert fields_of(backwards.text).focused == ["d-to"]  # the end before the start: the end to fix
    assert "the end date is before the start date" in error_beside(backwards.text, "/admin/delegations")


def test_a_position_refused_keeps_the_title_the_unit_and_the_position_above(client):
    """A Thai title alone is enough (the code is made from it); one already there is refused."""
    as_admin(client)
    with session_scope() as session:
        unit_code = session.exec(select(Unit)).first().code
        above = session.exec(select(Position).where(Position.title == "หัวหน้าสำนักปลัดเทศบาล")).one().code
    fields = form_on(client.get("/admin/positions").text, "/admin/positions")
    typed = {"title": "นิติกรปฏิบัติการ", "short_title": "นิติกร", "code": "", "unit": unit_code, "reports_to": above}
    refused = submit(client, fields, "/admin/positions", **typed)
    assert refused.status_code == 400
    page = fields_of(refused.text)
    assert [value(page, i) for i in ("p-title", "p-short", "p-code")] == ["นิติกรปฏิบัติการ", "นิติกร", ""]
    assert page.selected["p-unit"] == [unit_code] and page.selected["p-reports"] == [above]
    assert "มีตำแหน่ง นิติกรปฏิบัติการ แล้ว" in error_beside(refused.text, "/admin/positions")
    assert page.focused == ["p-title"]
    with session_scope() as session:
        assert len(session.exec(select(Position).where(Position.title == "นิติกรปฏิบัติการ")).all()) == 1


def test_an_appointment_refused_keeps_the_position_chosen(client):
    token = as_admin(client)
    stale = client.get("/admin/positions").text  # preecha is still listed on this page
    with session_scope() as session:
        org = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
        deactivation.deactivate(session, actor="kanokporn", org=org, username="preecha")
    refused = client.post("/admin/appoint", data={"position": "mayor", "username": "preecha", "csrf_token": token})
    assert refused.status_code == 400
    page = fields_of(refused.text)
    assert page.selected["a-pos"] == ["mayor"] and "reactivate the account first" in error_beside(
        refused.text, "/admin/appoint"
    )
    assert 'id="positions"' in refused.text and "preecha" in stale


def test_editing_a_person_with_a_bad_email_keeps_what_was_typed_not_what_was_stored(client):
    as_admin(client)
    fields = form_on(client.get("/admin/people/somying").text, "/admin/people/somying")
    refused = submit(
        client,
        [f for f in fields if f[0] != "is_admin"] + [("is_admin", "true")],
        "/admin/people/somying",
        full_name="นางสมหญิง แดงโสภา",
        phone="๐๒ ๑๒๓ ๔๕๖๗",
        email="somying at kokphutsa",
    )
    assert refused.status_code == 400
    page = fields_of(refused.text)
    assert value(page, "e-name") == "นางสมหญิง แดงโสภา" and value(page, "e-phone") == "๐๒ ๑๒๓ ๔๕๖๗"
    assert value(page, "e-email") == "somying at kokphutsa" and page.focused == ["e-email"]
    assert 'name="is_admin" value="true" checked' in refused.text  # ticked as sent, though somying is no admin
    assert "อีเมล" in error_beside(refused.text, "/admin/people/somying")


def test_settings_refused_keep_the_boxes_as_ticked(client):
    as_admin(client)
    fields = form_on(client.get("/admin/settings").text, "/admin/settings")
    sent = [(n, v) for n, v in fields if n != "printed_garuda_paper"] + [("public_minutes", "true")]
    refused = submit(client, sent, "/admin/settings", register_prefix="  ")
    assert refused.status_code == 400
    form = re.search(r'action="/admin/settings">(.*?)</form>', refused.text, re.S)[1]
    assert 'name="public_minutes" value="true" checked' in form
    assert 'name="printed_garuda_paper" value="true" checked' not in form  # un-ticked, as sent
    assert fields_of(refused.text).focused == ["register_prefix"]
    assert "register prefix" in error_beside(refused.text, "/admin/settings")


def test_a_unit_refused_keeps_its_fields_and_an_emblem_refused_says_so_beside_the_upload(client):
    token = as_admin(client)
    fields = form_on(client.get("/admin/settings").text, "/admin/units")
    refused = submit(client, fields, "/admin/units", code="finance", name="", letterhead_name="กองคลัง", phone="๑๒")
    page = fields_of(refused.text)
    assert refused.status_code == 400 and page.focused == ["u-name"]
    assert [value(page, i) for i in ("u-code", "u-lh", "u-phone")] == ["finance", "กองคลัง", "๑๒"]
    assert "required: name" in error_beside(refused.text, "/admin/units")
    emblem = client.post(
        "/admin/garuda", data={"csrf_token": token}, files={"image": ("x.png", io.BytesIO(b"not an image"))}
    )
    assert emblem.status_code == 400 and fields_of(emblem.text).focused == ["image"]
    assert "PNG" in error_beside(emblem.text, "/admin/garuda")


def test_stage_recorders_refused_keep_the_boxes_ticked_in_that_stage_only(client):
    token = as_admin(client)
    with session_scope() as session:
        before = len(session.exec(select(StagePermission)).all())
    refused = client.post(
        "/admin/stages",
        data={"stage": "ทาน", "positions": ["mayor", "no-such-position"], "csrf_token": token},
    )
    assert refused.status_code == 400
    forms = re.findall(r'<form method="post" action="/admin/stages">(.*?)</form>', refused.text, re.S)
    proofread = next(f for f in forms if 'name="stage" value="ทาน"' in f)
    assert 'value="mayor" checked' in proofread and "no-such-position" in proofread  # the reason, beside it
    assert 'role="alert"' in proofread and "autofocus" in proofread
    assert all('role="alert"' not in f for f in forms if f is not proofread)
    with session_scope() as session:
        assert len(session.exec(select(StagePermission)).all()) == before


def test_the_account_forms_say_why_beside_the_form_and_write_no_secret_back(client):
    assert login(client, "somying").status_code == 303
    token = csrf_of(client, "/account")
    differ = client.post(
        "/account/password",
        data={
            "current": "pw-somying-secret",
            "new": "new-password-one",
            "again": "new-password-two",
            "csrf_token": token,
        },
    )
    assert differ.status_code == 400 and "differ" in error_beside(differ.text, "/account/password")
    assert fields_of(differ.text).focused == ["pw-again"]
    assert "new-password-one" not in differ.text and "pw-somying-secret" not in differ.text
    wrong = client.post(
        "/account/pin", data={"current": "000000", "new": "739164", "again": "739164", "csrf_token": token}
    )
    assert wrong.status_code == 400 and fields_of(wrong.text).focused == ["pin-current"]
    assert "รหัส PIN" in error_beside(wrong.text, "/account/pin") and "739164" not in wrong.text
    mode = client.post("/account/notify", data={"mode": "hourly", "csrf_token": token})
    assert mode.status_code == 400 and error_beside(mode.text, "/account/notify")
