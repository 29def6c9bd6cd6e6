"""People set up their own notification channels (services.notices.own_channels, line_link), over
real HTTP against the app, with a real webhook receiver and a local stand-in for LINE's
Messaging API: a channel is used only once its test code came back, removing is immediate,
LINE's webhook is read only when signed with the office's channel secret, a code links once,
in time, and only at its own office, and no secret is shown back."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import re

import pytest
from sqlmodel import select

from models import AuditEntry, LineAccount, NotificationChannel, NotificationCode, Organisation, Person
from models.db import default_engine, read_scope, session_scope
from models.settings import get_settings
from services.accounts.security_notices import tell_person
from services.notices.channels import personal_channels
from services.notices.line_link import request_link_code
from services.notices.line_push import set_line_account
from services.notices.security_sender import send_security_notices
from tests.builders import second_organisation
from tests.services.conftest import line_api, only_localhost, webhook_factory  # noqa: F401 - fixtures
from tests.web.conftest import csrf_of, login

SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "stand-in-channel-access-token-" + "x" * 40
LINE_USER = "U4af4980629d0f0b8c1a7e4c1f0a1b2c3"


def signed(body: bytes, secret: str = SECRET) -> dict:
    return {"x-line-signature": base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()}


def line_message(text: str, user_id: str = LINE_USER) -> bytes:
    """A webhook body shaped as LINE documents it: one text message event from a user."""
    event = {
        "type": "message",
        "message": {"type": "text", "id": "468789577898262530", "quoteToken": "q", "text": text},
        "webhookEventId": "01H810YECXQQZ37VAXPF6H9E6T",
        "deliveryContext": {"isRedelivery": False},
        "timestamp": 1692251666727,
        "source": {"type": "user", "userId": user_id},
        "replyToken": "38ef843bde154d9b91c21320ffd17a0f",
        "mode": "active",
    }
    return json.dumps({"destination": "U0123456789abcdef0123456789abcdef", "events": [event]}).encode()


def person(username: str) -> Person:
    with read_scope() as session:
        return session.exec(select(Person).where(Person.username == username)).one()


def own_rows(username: str) -> list[NotificationChannel]:
    with read_scope() as session:
        return list(session.exec(select(NotificationChannel).where(NotificationChannel.recipient_username == username)))


def used_channels(username: str) -> list[str]:
    with read_scope() as session:
        return [c.url for c in personal_channels(session, person(username))]


def audit_actions(actor: str) -> list[str]:
    with read_scope() as session:
        return list(session.exec(select(AuditEntry.action).where(AuditEntry.actor == actor).order_by(AuditEntry.seq)))


def post(client, path: str, data: dict | None = None):  # noqa: ANN001, ANN201
    return client.post(path, data={"csrf_token": csrf_of(client, "/account"), **(data or {})}, follow_redirects=True)


@pytest.fixture
def receivers_inside(monkeypatch):
    """This instance lets people's webhooks reach its own network (the receivers are on 127.0.0.1)."""
    monkeypatch.setenv("SARABAN_PERSONAL_WEBHOOKS_INSIDE", "true")
    get_settings.cache_clear()


def test_an_unconfirmed_channel_carries_nothing_until_its_code_comes_back_and_removing_is_immediate(
    client,
    receivers_inside,
    webhook_factory,  # noqa: F811
):
    receiver = webhook_factory()
    secret_path = "hooks/t0ken-in-the-path-9f8e7d"
    login(client, "somying")
    added = post(
        client, "/account/channels", {"kind": "webhook", "address": f"http://127.0.0.1:{receiver.port}/{secret_path}"}
    )
    assert added.status_code == 200 and "รอยืนยัน" in added.text
    assert secret_path not in added.text  # the webhook's path (its secret) is never shown back
    [(path, test_message)] = receiver.requests
    code = re.search(r"รหัสยืนยันช่องทางแจ้งเตือนของท่านคือ (\S+)", test_message["message"])[1]
    [row] = own_rows("somying")
    assert not row.confirmed and used_channels("somying") == []

    # A security notice now finds no channel: the unconfirmed one is not used.
    somying_id = person("somying").id
    with session_scope() as session:
        tell_person(session, session.get(Person, somying_id), "ทดสอบ", ["ข้อความ"])
    send_security_notices()
    assert len(receiver.requests) == 1

    wrong = post(client, f"/account/channels/{row.id}/confirm", {"code": "AAAA-AAAA"})
    assert wrong.status_code == 400 and "รหัสไม่ถูกต้อง" in wrong.text and "wrong, expired or used code" in wrong.text
    assert used_channels("somying") == []

    confirmed = post(client, f"/account/channels/{row.id}/confirm", {"code": code.lower().replace("-", "")})
    assert confirmed.status_code == 200 and "ยืนยันช่องทางแล้ว" in confirmed.text and len(used_channels("somying")) == 1
    again = post(client, f"/account/channels/{row.id}/confirm", {"code": code})  # used: nothing changes
    assert again.status_code == 200

    with session_scope() as session:
        tell_person(session, session.get(Person, somying_id), "ทดสอบอีกครั้ง", ["ข้อความ"])
    send_security_notices()
    titles = [r[1]["title"] for r in receiver.requests]
    assert "ทดสอบอีกครั้ง" in titles and "เพิ่มช่องทางแจ้งเตือน Webhook แล้ว" in titles

    # Someone else cannot test, confirm or remove her channel.
    other = client.__class__(client.app, base_url="http://127.0.0.1")
    login(other, "wanna")
    refused = post(other, f"/account/channels/{row.id}/remove")
    assert refused.status_code == 400 and "no such channel of yours" in refused.text
    assert len(own_rows("somying")) == 1

    removed = post(client, f"/account/channels/{row.id}/remove")
    assert removed.status_code == 200 and "ลบช่องทางแล้ว" in removed.text
    assert own_rows("somying") == [] and used_channels("somying") == []
    actions = audit_actions("somying")
    for action in ("account.channel_added", "account.channel_confirm.refused", "account.channel_confirmed"):
        assert action in actions
    assert actions[-1] == "account.channel_removed"
    with read_scope() as session:
        logged = " ".join(e.data_json for e in session.exec(select(AuditEntry).where(AuditEntry.actor == "somying")))
    assert secret_path not in logged


def test_a_channel_that_cannot_be_used_is_not_kept_and_the_form_says_why(client, webhook_factory):  # noqa: F811
    login(client, "somying")
    receiver = webhook_factory()
    for inside in (f"http://127.0.0.1:{receiver.port}/hook", "https://10.1.2.3/hook", "https://localhost/hook"):
        refused = post(client, "/account/channels", {"kind": "webhook", "address": inside})
        assert refused.status_code == 400 and "not a machine inside this network" in refused.text, inside
    assert receiver.requests == []  # not even the test message went
    refused = post(client, "/account/channels", {"kind": "webhook", "address": "ftp://example.go.th/x"})
    assert refused.status_code == 400 and "https://" in refused.text and 'aria-invalid="true"' in refused.text
    no_mail = post(client, "/account/channels", {"kind": "email", "address": "somying@kokphutsa.go.th"})
    assert no_mail.status_code == 400 and "SARABAN_MAIL_URL" in no_mail.text
    assert 'value="somying@kokphutsa.go.th"' in no_mail.text  # an address is given back as typed
    assert own_rows("somying") == []


def set_up_line(client) -> None:  # noqa: ANN001
    login(client, "kanokporn")
    page = client.post(
        "/admin/notifications/line",
        data={
            "csrf_token": csrf_of(client, "/admin/notifications"),
            "basic_id": "@kokphutsa",
            "channel_secret": SECRET,
            "access_token": TOKEN,
        },
        follow_redirects=True,
    )
    assert page.status_code == 200 and "บันทึกบัญชี LINE ของหน่วยงานแล้ว" in page.text
    assert SECRET not in page.text and TOKEN not in page.text
    with read_scope() as session:
        row = session.exec(select(LineAccount)).one()
        stored = row.channel_secret_sealed + row.access_token_sealed
        logged = " ".join(e.data_json for e in session.exec(select(AuditEntry)))
    assert SECRET not in stored and TOKEN not in stored  # sealed, not in clear
    assert SECRET not in logged and TOKEN not in logged
    client.cookies.clear()


def line_code_for(client, username: str) -> str:  # noqa: ANN001
    login(client, username)
    page = post(client, "/account/line-code")
    assert page.status_code == 200
    assert "https://line.me/R/oaMessage/%40kokphutsa/?" in page.text  # opens the chat on a phone
    return re.search(r'id="line-code">([^<]+)<', page.text)[1]


def test_line_is_linked_only_by_a_signed_webhook_carrying_a_live_code_of_this_office(
    client,
    line_api,  # noqa: F811
):
    set_up_line(client)
    code = line_code_for(client, "somying")
    body = line_message(f"รหัส {code}".split()[-1])

    wrong = client.post("/line/webhook/kokphutsa", content=body, headers=signed(body, "f" * 32))
    unsigned = client.post("/line/webhook/kokphutsa", content=body)
    assert wrong.status_code == 401 and unsigned.status_code == 401
    assert used_channels("somying") == [] and line_api.calls == []

    # Another office's code, well signed for this office, links nothing (codes are bound to their office).
    second_organisation(default_engine())
    with session_scope() as session:
        org2 = session.exec(select(Organisation).where(Organisation.code == "kokphutsa-2")).one()
        set_line_account(
            session, org2, actor="kanokporn2", basic_id="@other", channel_secret="a" * 32, access_token=TOKEN
        )
    other_code = request_link_code(person_id=person("somying2").id).code
    foreign = line_message(other_code)
    assert client.post("/line/webhook/kokphutsa", content=foreign, headers=signed(foreign)).status_code == 200
    assert used_channels("somying") == [] and used_channels("somying2") == []

    # An expired code links nothing.
    with session_scope() as session:
        for row in session.exec(select(NotificationCode).where(NotificationCode.purpose == "line-link")):
            row.expires_at -= dt.timedelta(hours=1)
    expired = client.post("/line/webhook/kokphutsa", content=body, headers=signed(body))
    assert expired.status_code == 200 and used_channels("somying") == []
    assert "หมดอายุ" in line_api.replies()[-1]["messages"][0]["text"]

    code = line_code_for(client, "somying")
    body = line_message(code)
    linked = client.post("/line/webhook/kokphutsa", content=body, headers=signed(body))
    assert linked.status_code == 200
    assert used_channels("somying") == [f"saraban-line://kokphutsa/{LINE_USER}"]
    reply = line_api.replies()[-1]
    assert reply["replyToken"] == "38ef843bde154d9b91c21320ffd17a0f" and "เชื่อม LINE นี้" in reply["messages"][0]["text"]
    assert "account.line_linked" in audit_actions("somying")

    # Used once: sent again (by someone else's LINE too), it links nothing more.
    again = line_message(code, user_id="U" + "9" * 32)
    assert client.post("/line/webhook/kokphutsa", content=again, headers=signed(again)).status_code == 200
    assert used_channels("somying") == [f"saraban-line://kokphutsa/{LINE_USER}"]

    # The person is told on LINE itself, through the Messaging API's push, with the office's token.
    send_security_notices()
    [push] = line_api.pushes()
    assert push["to"] == LINE_USER and "เพิ่มช่องทางแจ้งเตือน LINE แล้ว" in push["messages"][0]["text"]
    assert all(auth == f"Bearer {TOKEN}" for _, auth, _ in line_api.calls)

    account = client.get("/account")
    assert LINE_USER not in account.text and "LINE" in account.text  # shown shortened, never whole


def test_the_administrator_sees_who_has_no_confirmed_channel(client, line_api):  # noqa: F811
    login(client, "kanokporn")
    page = client.get("/admin/notifications")
    assert page.status_code == 200
    listed = re.search(r'<ul id="unreached">(.*?)</ul>', page.text, re.S)[1]
    assert "somying" in listed and "wanna" in listed
    overview = client.get("/admin")
    assert "ยังไม่มีช่องทางแจ้งเตือนที่ยืนยันแล้ว" in overview.text and "/admin/notifications" in overview.text

    with session_scope() as session:
        org = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
        set_line_account(session, org, actor="kanokporn", basic_id="", channel_secret=SECRET, access_token=TOKEN)
    code = request_link_code(person_id=person("somying").id).code
    body = line_message(code)
    assert client.post("/line/webhook/kokphutsa", content=body, headers=signed(body)).status_code == 200
    listed = re.search(r'<ul id="unreached">(.*?)</ul>', client.get("/admin/notifications").text, re.S)[1]
    assert "somying" not in listed and "wanna" in listed

    login(client, "somying")
    assert client.get("/admin/notifications").status_code == 403
