"""The review's insider: an organisation administrator resets a signer's password and PIN,
is shown both one-time codes, logs in as him and signs. Now, over HTTP as that administrator:
the PIN goes to the signer's own channel only (a real SMTP server here) and is never on her
page; with no channel of his own the reset is refused and nothing changes; the signer and the
other administrators are told at once on their channels; and a sign-off in the hours after the
reset is flagged on the memo, in the audit log and in the evidence."""

import re

import pytest
from sqlmodel import select

from models import Decision, NotificationChannel, Organisation, Person, SecurityNotice
from models.db import default_engine, session_scope
from services.accounts import admin
from services.accounts.credentials import change_own_pin
from services.notices.security_sender import send_security_notices
from services.unit_of_work import run_action
from services.yearly.evidence import _decision
from tests.builders import memo_in_review, operator_scope, sign
from tests.services.conftest import SMTPServer, only_localhost, smtp_server  # noqa: F401 - fixtures
from tests.web.conftest import csrf_of, login

ADMIN, SIGNER, OTHER_ADMIN = "kanokporn", "phakphum", "wanna"
NEW_PIN = "739164"


def person(username: str) -> Person:
    with session_scope(default_engine()) as session:
        return session.exec(select(Person).where(Person.username == username)).one()


def give_channel(username: str, url: str) -> None:
    with session_scope(default_engine()) as session:
        org = session.exec(select(Organisation)).one()
        session.add(
            NotificationChannel(organisation_id=org.id, name=f"{username}-mail", url=url, recipient_username=username)
        )


def told(username: str) -> list[str]:
    with session_scope(default_engine()) as session:
        who = session.exec(select(Person).where(Person.username == username)).one()
        return [n.title for n in session.exec(select(SecurityNotice).where(SecurityNotice.person_id == who.id))]


@pytest.fixture
def second_admin(client):
    with operator_scope(default_engine()) as session:
        session.exec(select(Person).where(Person.username == OTHER_ADMIN)).one().is_admin = True
    return client


def reset(client, what: str):  # noqa: ANN001, ANN201
    return client.post(
        f"/admin/people/{SIGNER}/reset",
        data={"what": what, "csrf_token": csrf_of(client, f"/admin/people/{SIGNER}")},
        follow_redirects=True,
    )


def test_a_pin_is_never_shown_to_the_administrator_and_a_signer_without_a_channel_is_not_reset(second_admin):
    client = second_admin
    assert login(client, ADMIN).status_code == 303
    before = person(SIGNER).pin_hash
    refused = reset(client, "pin")
    assert "saraban account reset phakphum --what pin" in refused.text
    assert person(SIGNER).pin_hash == before and told(SIGNER) == []


def test_the_pin_goes_to_the_signer_alone_everyone_is_told_and_his_next_signature_is_flagged(
    second_admin,
    smtp_server: SMTPServer,  # noqa: F811 - the fixture imported above
):
    client = second_admin
    give_channel(SIGNER, smtp_server.channel_url("phakphum@kokphutsa.go.th"))
    give_channel(OTHER_ADMIN, smtp_server.channel_url("wanna@kokphutsa.go.th"))
    memo_id = memo_in_review(default_engine()).id
    sign(default_engine(), memo_id, ADMIN)  # the head of office's step: the clerk's comes next
    assert login(client, ADMIN).status_code == 303

    shown = reset(client, "pin")
    assert shown.status_code == 200 and "ส่งรหัส PIN ใช้ครั้งเดียวถึง phakphum" in shown.text
    [mail] = [m for m in smtp_server.handler.received if "phakphum@" in m.rcpt_tos[0]]
    code = re.search(r"รหัสใช้ครั้งเดียวคือ(?:&nbsp;| )(\d{8})", mail.message.get_body().get_content())[1]
    assert code not in shown.text
    password_page = reset(client, "password")  # the password is still shown: it cannot sign alone
    assert "รหัสผ่านใช้ครั้งเดียวของ phakphum" in password_page.text

    # The signer and the other administrator are told, at once, on their own channels.
    assert len(told(SIGNER)) == 2 and len(told(OTHER_ADMIN)) == 2 and told(ADMIN) == []
    assert send_security_notices(engine=default_engine()) == 4  # the admin's own channel-less: none
    recipients = [m.rcpt_tos[0] for m in smtp_server.handler.received]
    assert recipients.count("phakphum@kokphutsa.go.th") == 3 and recipients.count("wanna@kokphutsa.go.th") == 2

    # The signer replaces the mailed code and signs: the sign-off is flagged everywhere.
    run_action(
        lambda s: change_own_pin(s, username=SIGNER, old=code, new=NEW_PIN),
        engine=None, actor=SIGNER, name="pin", subject="account", via="test",
    )  # fmt: skip
    sign(default_engine(), memo_id, SIGNER, pin=NEW_PIN)
    with session_scope(default_engine()) as session:
        decision = session.exec(select(Decision).where(Decision.memo_id == memo_id, Decision.step_index == 1)).one()
        assert _decision(session, decision)["after_admin_reset"]["by"] == [ADMIN]
    assert "หลังผู้ดูแลระบบ (kanokporn) ตั้งรหัสผ่าน และ รหัส PIN" in client.get(f"/memos/{memo_id}").text
    assert "ลงนามหลังผู้ดูแลระบบตั้งรหัสของผู้ลงนามใหม่" in client.get("/admin/audit").text


def test_a_new_signer_an_appointment_and_a_chain_change_are_told_to_the_other_administrators(second_admin):
    with session_scope(default_engine()) as session:
        org = session.exec(select(Organisation)).one()
        admin.add_person(
            session, actor=ADMIN, org=org, username="puppet", full_name="นายหุ่น เชิด", rank="", initials="",
            password="puppet-password-1", pin="739164", is_admin=False,
        )  # fmt: skip
        admin.appoint(session, actor=ADMIN, org=org, position_code="mayor", username="puppet")
    titles = told(OTHER_ADMIN)
    assert any("เพิ่มผู้ใช้ puppet" in t for t in titles) and any("แต่งตั้ง puppet" in t for t in titles)
    assert told(ADMIN) == []
