"""Staff acknowledge a published announcement (รับทราบ), over HTTP as the app's forms do: the
drafter asks three staff; two acknowledge (a second press records nothing and says when); the
drafter's list and its CSV say who has and has not, with Thai times; a person of another
organisation can neither acknowledge nor see it; the one who has not is reminded on their own
channel (a real SMTP server), once a day; and the CLI reports the same list."""

import csv
import datetime as dt
import io
import json
import re

import pytest
from sqlmodel import select

from models import Acknowledgement, AcknowledgementRequest, AuditEntry, NotificationChannel, Organisation
from models.db import default_engine, session_scope
from models.deadlines import calendar_of
from models.workdays import add_working_days, next_working_day
from services.acknowledgements.acknowledging import acknowledgement_rows
from services.acknowledgements.reminders import remind_unacknowledged
from services.audit.audit_verify import verify_audit
from services.memo_life.memos import submit_memo
from services.publication.publication import publish
from tests.builders import PIN, draft_004, prepare, second_organisation, sign
from tests.cli.runner import instance_env, run_saraban
from tests.services.conftest import SMTPServer, only_localhost, smtp_server  # noqa: F401 - fixtures
from tests.web.conftest import csrf_of, login

RECIPIENTS = ("clerical-officer", "admin-officer", "clerk")  # wanna, preecha, phakphum
THAI_TIME = re.compile(r"[๐-๙]{1,2} [ก-๙.]+ [๐-๙]{2} [๐-๙]{2}:[๐-๙]{2} น\.")


@pytest.fixture
def asked(client, no_libreoffice) -> int:
    """The 004 memo published, and its drafter asking three staff (by position) over HTTP."""
    engine = default_engine()
    with session_scope(engine) as session:
        memo_id = submit_memo(session, username="somying", pin=PIN, draft=draft_004()).id
    prepare(engine, memo_id)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo_id, username)
    with session_scope(engine) as session:
        publish(session, memo_id=memo_id)
    assert login(client, "somying").status_code == 303
    form = client.get(f"/acknowledgements/{memo_id}/who").text
    assert "ขอให้เจ้าหน้าที่รับทราบประกาศนี้" in form
    token = csrf_of(client, f"/acknowledgements/{memo_id}/who")
    answer = client.post(
        f"/acknowledgements/{memo_id}/ask",
        data={"csrf_token": token, "scope": "positions", "positions": list(RECIPIENTS)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return memo_id


def acknowledge(client, memo_id: int):  # noqa: ANN001, ANN201
    token = csrf_of(client, f"/acknowledgements/{memo_id}")
    return client.post(f"/acknowledgements/{memo_id}", data={"csrf_token": token}, follow_redirects=False)


def test_two_of_three_acknowledge_once_each_and_the_list_says_so_with_times(client, asked, tmp_path):
    memo_id = asked
    for username in ("wanna", "preecha"):
        assert login(client, username).status_code == 303
        mine = client.get("/acknowledgements").text
        assert 'aria-label="๑ เรื่องที่ท่านต้องรับทราบ"' in mine and f'href="/acknowledgements/{memo_id}"' in mine
        assert 'id="acknowledge-form"' in client.get(f"/memos/{memo_id}").text  # the button on the memo page too
        assert acknowledge(client, memo_id).status_code == 303
        page = client.get(f"/acknowledgements/{memo_id}").text
        assert "ท่านรับทราบแล้วเมื่อ" in page and 'id="acknowledge-form"' not in page
        again = acknowledge(client, memo_id)
        assert again.status_code == 200 and "ไม่มีการบันทึกซ้ำ" in again.text and THAI_TIME.search(again.text)
    with session_scope(default_engine()) as session:
        rows = session.exec(select(Acknowledgement)).all()
        request = session.exec(select(AcknowledgementRequest)).one()
    assert len(rows) == 2 and {r.announcement_sha256 for r in rows} == {request.announcement_sha256}

    assert login(client, "phakphum").status_code == 303  # a recipient, not the drafter: no list for him
    assert client.get(f"/acknowledgements/{memo_id}/who").status_code == 403
    assert login(client, "somying").status_code == 303
    listing = client.get(f"/acknowledgements/{memo_id}/who").text
    assert "รับทราบแล้ว ๒ คน · ยังไม่รับทราบ ๑ คน" in listing
    done = re.findall(r'<tr class="acknowledged">\s*<td>([^<]+)</td>.*?<td>(.*?)</td>\s*</tr>', listing, re.S)
    assert [name for name, _ in done] == ["นางวรรณา ศรีสุข", "นายปรีชา ทองดี"]  # in the order they acknowledged
    assert all(THAI_TIME.search(when) for _, when in done)
    assert re.search(r'<tr class="not-yet">\s*<td>ภาคภูมิ อนุศาสตร์</td>', listing)
    exported = client.get(f"/acknowledgements/{memo_id}/who.csv")
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert exported.headers["content-type"].startswith("text/csv") and len(table) == 4
    assert [row[3] for row in table[1:]] == ["รับทราบแล้ว", "รับทราบแล้ว", "ยังไม่รับทราบ"]
    assert THAI_TIME.fullmatch(table[1][4]) and table[3][4] == ""
    with session_scope(default_engine()) as session:  # what the public ITA item page will show
        assert [name for name, _, _ in acknowledgement_rows(session, memo_id)] == ["นางวรรณา ศรีสุข", "นายปรีชา ทองดี"]

    result = run_saraban("circular", "acknowledgements", memo_id, "--json", env=instance_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["acknowledged"], report["not_yet"]) == (2, 1)
    assert [r["username"] for r in report["recipients"] if not r["acknowledged_at"]] == ["phakphum"]

    assert verify_audit(default_engine()).intact
    with session_scope(default_engine()) as session:
        actions = [
            e.action for e in session.exec(select(AuditEntry).where(AuditEntry.action.startswith("acknowledgement.")))
        ]
    assert actions == ["acknowledgement.asked", "acknowledgement.made", "acknowledgement.made"]
    assert login(client, "kanokporn").status_code == 303  # the administrator reads them in Thai
    audit_page = client.get("/admin/audit").text
    assert "ขอให้เจ้าหน้าที่รับทราบประกาศ" in audit_page and "รับทราบหนังสือเวียน/ประกาศ" in audit_page


def test_another_organisation_cannot_acknowledge_or_see_it_and_nor_can_one_not_asked(client, asked, tmp_path):
    memo_id = asked
    second_organisation(default_engine())
    env = instance_env(tmp_path)
    unproved = run_saraban(
        "circular", "ask", memo_id, "--as", "somying", "--pin-stdin", stdin="000000\n", env=env, cwd=tmp_path
    )
    assert unproved.returncode == 1 and "PIN" in unproved.stderr  # in someone's name: their PIN first
    for username, code in (("wanna2", 2), ("wanna", 1)):  # another office's: no such memo; a clerk: not hers to ask
        args = ("circular", "ask", memo_id, "--as", username, "--pin-stdin")
        result = run_saraban(*args, stdin=PIN + "\n", env=env, cwd=tmp_path)
        assert result.returncode == code, result.stderr
    assert login(client, "wanna2").status_code == 303
    token = csrf_of(client, "/acknowledgements")
    for path in (
        f"/acknowledgements/{memo_id}",
        f"/acknowledgements/{memo_id}/who",
        f"/acknowledgements/{memo_id}/who.csv",
    ):
        assert client.get(path).status_code == 404
    assert client.post(f"/acknowledgements/{memo_id}", data={"csrf_token": token}).status_code == 404
    assert "ไม่มีเรื่องที่ท่านยังไม่ได้รับทราบ" in client.get("/acknowledgements").text
    assert login(client, "kanokporn").status_code == 303  # of the organisation, but not asked
    refused = acknowledge(client, memo_id)
    assert refused.status_code == 403 and "ท่านไม่อยู่ในรายชื่อผู้ต้องรับทราบ" in refused.text
    assert login(client, "wanna").status_code == 303
    assert client.post(f"/acknowledgements/{memo_id}", data={"csrf_token": "forged"}).status_code == 403  # CSRF
    with session_scope(default_engine()) as session:
        assert session.exec(select(Acknowledgement)).all() == []


def test_the_one_who_has_not_is_reminded_on_their_own_channel_once_a_day(
    client,
    asked,
    smtp_server: SMTPServer,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    memo_id = asked
    assert login(client, "wanna").status_code == 303 and acknowledge(client, memo_id).status_code == 303
    with session_scope(default_engine()) as session:
        org = session.exec(select(Organisation)).one()
        for username in ("wanna", "phakphum"):  # both reachable; only one has not acknowledged
            session.add(
                NotificationChannel(
                    organisation_id=org.id,
                    name=f"{username}-mail",
                    url=smtp_server.channel_url(f"{username}@kokphutsa.go.th"),
                    recipient_username=username,
                )
            )
        asked_at = session.exec(select(AcknowledgementRequest.at)).one()
        calendar = calendar_of(org)
    due = add_working_days(asked_at, org.step_working_days, calendar)
    assert remind_unacknowledged("kokphutsa", now=due - dt.timedelta(minutes=1)).reminded == 0  # not due yet
    report = remind_unacknowledged("kokphutsa", now=due + dt.timedelta(minutes=1))
    assert (report.reminded, report.failed, report.without_channel) == (1, 0, 1)  # preecha has no channel
    [mail] = smtp_server.handler.received
    assert mail.rcpt_tos == ["phakphum@kokphutsa.go.th"]
    body = mail.message.get_body(("plain",)).get_content()
    assert "ท่านยังไม่ได้รับทราบหนังสือเวียน/ประกาศ ๑ เรื่อง" in body and "/acknowledgements" in body
    assert remind_unacknowledged("kokphutsa", now=due + dt.timedelta(hours=1)).reminded == 0  # the same day
    assert len(smtp_server.handler.received) == 1
    tomorrow = dt.datetime.combine(next_working_day(due.date(), calendar), dt.time(2, 0), tzinfo=dt.UTC)  # 09:00 ICT
    assert remind_unacknowledged("kokphutsa", now=tomorrow).reminded == 1
    assert [m.rcpt_tos for m in smtp_server.handler.received] == [["phakphum@kokphutsa.go.th"]] * 2
    result = run_saraban("circular", "remind", "--org", "kokphutsa", "--json", env=instance_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr  # asked just now: nobody is due yet, or today is a day off
    assert json.loads(result.stdout)[0]["reminded"] == 0
