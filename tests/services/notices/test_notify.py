"""Notifications through Apprise to a real SMTP server and a real HTTP receiver, both on 127.0.0.1.

The SMTP server is aiosmtpd's, the webhook receiver is the standard library's http.server; each runs
in a thread of the test process on a free port and records what it received. Nothing leaves
127.0.0.1: the proxy variables are cleared so that requests cannot send the webhook elsewhere.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from apprise.plugins.custom_json import NotifyJSON

from services.notices import notify
from services.notices.notify import Channel, DeliveryResult, Notification, channel_problem, send
from services.notices.notify_digest import DigestItem, digest_for
from tests.services.conftest import LOCALHOST, WebhookReceiver  # noqa: F401  (used in type hints)

FAST = {"backoff_seconds": 0.01}  # retries without slowing the suite


# --- the digest --------------------------------------------------------------------------------

MEMO = DigestItem(
    register_number="อท ๕๓๗๐๑.๔/๓๐",
    subject="ขอความเห็นชอบประกาศมาตรการส่งเสริมการมีส่วนร่วม",
    step="ลงนาม",
    due=dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC),  # 16:30 in Bangkok
    overdue_working_days=1,
)
WAITING = [
    DigestItem("อท ๕๓๗๐๑.๔/๓๑", "รายงานผลการดำเนินงานปีงบประมาณ พ.ศ. ๒๕๖๙", "ตรวจ", dt.date(2026, 11, 25)),
    DigestItem("อท ๕๓๗๐๑.๔/๓๒", "ขออนุมัติเผยแพร่บนเว็บไซต์", "ทาน", dt.date(2026, 11, 26)),
    DigestItem("", "ร่างประกาศฉบับใหม่", "ร่าง"),
]


def test_digest_title_counts_in_thai_digits():
    message = digest_for("นางสาวสมหญิง ใจดี", WAITING, [MEMO])
    assert message.title == "รอพิจารณา ๓ เรื่อง, เกินกำหนด ๑ เรื่อง"


def test_digest_body_lists_overdue_first_with_dates_and_days():
    message = digest_for("นางสาวสมหญิง ใจดี", WAITING, [MEMO], link="https://saraban.example/queue")
    lines = message.body.splitlines()
    assert lines[0] == "เรียน นางสาวสมหญิง ใจดี"
    assert lines.index("เรื่องที่เกินกำหนด ๑ เรื่อง") < lines.index("เรื่องที่รอพิจารณา ๓ เรื่อง")
    assert (
        "๑. อท ๕๓๗๐๑.๔/๓๐ เรื่อง ขอความเห็นชอบประกาศมาตรการส่งเสริมการมีส่วนร่วม (ลงนาม) กำหนด ๒๐ พ.ย. ๖๙ เกินกำหนด ๑ วันทำการ"
    ) in lines
    assert "๒. อท ๕๓๗๐๑.๔/๓๒ เรื่อง ขออนุมัติเผยแพร่บนเว็บไซต์ (ทาน) กำหนด ๒๖ พ.ย. ๖๙" in lines
    assert "๓. เรื่อง ร่างประกาศฉบับใหม่ (ร่าง)" in lines
    assert "ดูรายการทั้งหมด: https://saraban.example/queue" in lines


@pytest.mark.parametrize(
    ("waiting", "overdue", "title"),
    [
        (WAITING[:1], [], "รอพิจารณา ๑ เรื่อง"),
        ([], [MEMO] * 12, "เกินกำหนด ๑๒ เรื่อง"),
        ([], [], "ไม่มีเรื่องรอพิจารณา"),
    ],
)
def test_digest_title_leaves_out_empty_parts(waiting, overdue, title):
    assert digest_for("นายปรีชา", waiting, overdue).title == title


# --- delivery ----------------------------------------------------------------------------------


def test_email_arrives_with_the_thai_subject_and_body(smtp_server):
    message = digest_for("นางสาวสมหญิง ใจดี", WAITING, [MEMO])
    channel = Channel("อีเมลของสมหญิง", smtp_server.channel_url(), recipient="somying")

    results = send(message, [channel], **FAST)

    assert results == [DeliveryResult("อีเมลของสมหญิง", "somying", ok=True, attempts=1)]
    [mail] = smtp_server.handler.received
    assert mail.rcpt_tos == ["somying@kokphutsa.go.th"]
    assert mail.mail_from == "saraban@kokphutsa.go.th"
    assert mail.message["Subject"] == "รอพิจารณา ๓ เรื่อง, เกินกำหนด ๑ เรื่อง"
    assert mail.message["From"].addresses[0].display_name == "ระบบสารบรรณ"
    plain = mail.message.get_body(preferencelist=("plain",)).get_content()
    assert plain.splitlines() == message.body.splitlines(), "the text arrives line for line"


def test_the_email_html_part_escapes_the_text_and_keeps_line_breaks(smtp_server):
    message = Notification("ทดสอบ <ร่าง> & แก้ไข", "บรรทัดแรก <b>ไม่ใช่ตัวหนา</b> & อื่น ๆ\nบรรทัดที่สอง")

    [result] = send(message, [Channel("mail", smtp_server.channel_url())], **FAST)

    assert result.ok
    [mail] = smtp_server.handler.received
    assert mail.message["Subject"] == "ทดสอบ <ร่าง> & แก้ไข"
    html = mail.message.get_body(preferencelist=("html",)).get_content()
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html
    assert "<br/>" in html


def test_webhook_receives_the_thai_message_as_json(webhook_factory):
    receiver = webhook_factory()
    message = Notification("รอพิจารณา ๑ เรื่อง", "เรียน นายปรีชา\nเรื่อง ทดสอบ")

    [result] = send(message, [Channel("webhook สำนักปลัด", receiver.channel_url())], **FAST)

    assert result.ok and result.attempts == 1
    [(path, payload)] = receiver.requests
    assert path == "/hooks/saraban"
    assert payload["title"] == "รอพิจารณา ๑ เรื่อง"
    assert payload["message"] == "เรียน นายปรีชา\nเรื่อง ทดสอบ"


def test_a_failing_channel_is_retried_logged_and_does_not_stop_the_others(
    smtp_server, webhook_factory, closed_port, caplog
):
    caplog.set_level(logging.INFO, logger="services.notices.notify")
    flaky = webhook_factory(statuses=[500])  # fails once, then accepts
    dead_smtp = (
        f"mailto://{LOCALHOST}:{closed_port}?smtp={LOCALHOST}&mode=insecure"
        "&from=saraban@kokphutsa.go.th&to=preecha@kokphutsa.go.th"
    )
    channels = [
        Channel("smtp ที่ปิดอยู่", dead_smtp, recipient="preecha"),
        Channel("webhook ที่สะดุด", flaky.channel_url()),
        Channel("อีเมลของสมหญิง", smtp_server.channel_url(), recipient="somying"),
    ]

    results = send(Notification("เกินกำหนด ๑ เรื่อง", "ทดสอบ"), channels, attempts=3, **FAST)

    dead, retried, fine = results
    assert (dead.channel, dead.ok, dead.attempts) == ("smtp ที่ปิดอยู่", False, 3)
    assert "Connection error" in dead.error
    assert (retried.ok, retried.attempts, retried.error) == (True, 2, None)
    assert (fine.ok, fine.attempts) == (True, 1)
    assert len(flaky.requests) == 2
    assert len(smtp_server.handler.received) == 1

    mine = [r for r in caplog.records if r.name == "services.notices.notify"]
    dead_retries = [r for r in mine if r.levelno == logging.WARNING and "smtp ที่ปิดอยู่" in r.getMessage()]
    assert len(dead_retries) == 2  # attempts 1 and 2 failed and were retried
    gave_up = [r for r in mine if r.levelno == logging.ERROR]
    assert len(gave_up) == 1 and "failed after 3 attempts" in gave_up[0].getMessage()
    assert any("webhook ที่สะดุด" in r.getMessage() and "error=500" in r.getMessage() for r in mine)


def test_backoff_doubles_between_attempts(closed_port, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(notify, "_sleep", waits.append)
    url = f"mailto://{LOCALHOST}:{closed_port}?smtp={LOCALHOST}&mode=insecure&from=a@b.go.th&to=c@b.go.th"

    [result] = send(Notification("t", "b"), [Channel("dead", url)], attempts=4, backoff_seconds=1.5)

    assert not result.ok and result.attempts == 4
    assert waits == [1.5, 3.0, 6.0]


def test_secrets_in_the_url_stay_out_of_logs_and_results(closed_port, caplog):
    caplog.set_level(logging.DEBUG, logger="services.notices.notify")
    url = (
        f"mailto://clerk:pa55word-xyz@{LOCALHOST}:{closed_port}?smtp={LOCALHOST}&mode=insecure"
        "&from=saraban@kokphutsa.go.th&to=preecha@kokphutsa.go.th"
    )
    [result] = send(Notification("t", "b"), [Channel("office mail", url)], attempts=2, **FAST)

    assert not result.ok
    assert "pa55word-xyz" not in caplog.text
    assert "pa55word-xyz" not in (result.error or "")
    assert "pa55word-xyz" not in repr(Channel("office mail", url))


def test_an_invalid_url_is_reported_once_not_retried_and_not_raised(caplog):
    caplog.set_level(logging.ERROR, logger="services.notices.notify")
    [result] = send(Notification("t", "b"), [Channel("typo", "mialto://nowhere")], **FAST)

    assert (result.ok, result.attempts) == (False, 1)
    assert "not a valid Apprise URL" in result.error
    assert "typo" in caplog.text


def test_a_plugin_that_raises_is_a_failed_result_not_an_exception(webhook_factory, monkeypatch):
    receiver = webhook_factory()

    def explode(self, *args, **kwargs):
        raise RuntimeError("plugin bug")

    monkeypatch.setattr(NotifyJSON, "send", explode)
    [result] = send(Notification("t", "b"), [Channel("buggy", receiver.channel_url())], attempts=2, **FAST)

    assert (result.ok, result.attempts) == (False, 2)
    assert "RuntimeError: plugin bug" in result.error
    assert receiver.requests == []


def test_no_channels_sends_nothing():
    assert send(Notification("t", "b"), []) == []


@pytest.mark.parametrize(("attempts", "backoff"), [(0, 1.0), (3, -1.0)])
def test_bad_arguments_are_refused_before_sending(attempts, backoff):
    channels = [Channel("x", "json://127.0.0.1:9/x")]
    with pytest.raises(ValueError):
        send(Notification("t", "b"), channels, attempts=attempts, backoff_seconds=backoff)


# --- configuration -----------------------------------------------------------------------------


def test_channels_from_an_organisation_configuration():
    channel = Channel.from_config({"name": "LINE กลุ่มสำนักปลัด", "url": "json://127.0.0.1:8080/line", "recipient": None})
    assert channel == Channel("LINE กลุ่มสำนักปลัด", "json://127.0.0.1:8080/line", None)
    assert channel_problem(channel) is None


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "x"}, "'name' and 'url' are required"),
        ({"name": "x", "url": "nosuchscheme://host"}, "not a valid Apprise URL"),
        ({"name": "x", "url": "json://h/p", "to": "y"}, "unknown key"),
    ],
)
def test_a_bad_channel_configuration_is_refused(entry, message):
    with pytest.raises(ValueError, match=message):
        Channel.from_config(entry)


def test_redacted_url_hides_the_password():
    url = "mailto://clerk:pa55word-xyz@127.0.0.1:2525?smtp=127.0.0.1&mode=insecure&from=a@b.go.th"
    channel = Channel("m", url)
    assert "pa55word-xyz" not in channel.redacted_url()
    assert channel.redacted_url().startswith("mailto://")


def test_a_token_in_the_url_never_reaches_the_log(closed_port, caplog):
    channel = Channel("ไลน์กลุ่ม", f"json://{LOCALHOST}:{closed_port}/hooks/secret-token-abc?key=hush")
    with caplog.at_level(logging.INFO):
        [result] = send(Notification("ทดสอบ", "ข้อความ"), [channel], attempts=2, **FAST)
    assert not result.ok
    assert "secret-token-abc" not in caplog.text and "hush" not in caplog.text
    assert f"json://{LOCALHOST}:{closed_port}" in caplog.text
