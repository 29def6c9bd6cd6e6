"""The drafter hears when their memo ends without publication by someone else's hand (a signer's
ไม่อนุมัติ, an administrator's cancellation), with who and why; whoever already signed hears
when it is cancelled or withdrawn; and when a published announcement is cancelled or superseded.
The notices are written in the ending's own transaction and sent by the real notice sender to a
real SMTP server, on each person's own channel."""

import pytest
from sqlmodel import select

from models import Memo, NotificationChannel, Organisation, Person, SecurityNotice
from models.db import session_scope
from models.enums import DecisionKind, MemoStatus
from models.rules import Refused
from services.memo_life.endings import end_memo
from services.notices.security_sender import send_security_notices
from services.publication.cancellation import cancel_publication
from services.publication.publication import publish
from tests.builders import PIN, load_kokphutsa, memo, memo_in_review, operator_scope, sign
from tests.services.conftest import SMTPServer

DRAFTER, HEAD, CLERK, OTHER_ADMIN = "somying", "kanokporn", "phakphum", "wanna"


@pytest.fixture
def office(engine, home_without_office, smtp_server: SMTPServer):
    load_kokphutsa(engine)
    with session_scope(engine) as session:
        org = session.exec(select(Organisation)).one()
        for username in (DRAFTER, HEAD, CLERK, OTHER_ADMIN):
            url = smtp_server.channel_url(f"{username}@kokphutsa.go.th")
            session.add(
                NotificationChannel(
                    organisation_id=org.id, name=f"{username}-mail", url=url, recipient_username=username
                )
            )
    return engine


def notices(engine, username: str) -> list[SecurityNotice]:
    with session_scope(engine) as session:
        who = session.exec(select(Person).where(Person.username == username)).one()
        return list(session.exec(select(SecurityNotice).where(SecurityNotice.person_id == who.id)))


def mails_to(smtp_server: SMTPServer, username: str) -> list[str]:
    return [
        f"{m.message['subject']}\n{m.message.get_body().get_content()}".replace("&nbsp;", " ")  # HTML mail
        for m in smtp_server.handler.received
        if m.rcpt_tos == [f"{username}@kokphutsa.go.th"]
    ]


def test_a_disapproval_tells_the_drafter_who_and_why_on_their_own_channel(office, smtp_server):
    memo_id = memo_in_review(office).id
    sign(office, memo_id, HEAD)
    sign(office, memo_id, CLERK, DecisionKind.DISAPPROVE, minute="ไม่เห็นควรออกประกาศในขณะนี้")
    assert memo(office, memo_id).status == MemoStatus.DISAPPROVED
    assert len(notices(office, DRAFTER)) == 1
    assert notices(office, HEAD) == [] and notices(office, CLERK) == []  # not the signer who ended it

    assert send_security_notices(engine=office) == 1
    [mail] = mails_to(smtp_server, DRAFTER)
    assert "ไม่อนุมัติ" in mail and "ไม่เห็นควรออกประกาศในขณะนี้" in mail
    assert "ภาคภูมิ อนุศาสตร์" in mail  # who ended it, by name
    assert "ที่ขั้นที่ ๒" in mail and f"/memos/{memo_id}" in mail
    assert notices(office, DRAFTER)[0].state == "sent"


def test_a_cancellation_tells_the_drafter_and_whoever_signed_but_not_the_administrator(office, smtp_server):
    with operator_scope(office) as session:
        session.exec(select(Person).where(Person.username == OTHER_ADMIN)).one().is_admin = True
    memo_id = memo_in_review(office).id
    sign(office, memo_id, HEAD)
    end_memo("cancel", memo_id=memo_id, username=OTHER_ADMIN, pin=PIN, reason="ซ้ำกับเรื่องเดิม", via="test", engine=office)
    assert [len(notices(office, u)) for u in (DRAFTER, HEAD, CLERK, OTHER_ADMIN)] == [1, 1, 0, 0]

    assert send_security_notices(engine=office) == 2
    [to_drafter], [to_signer] = mails_to(smtp_server, DRAFTER), mails_to(smtp_server, HEAD)
    for mail in (to_drafter, to_signer):
        assert "ผู้ดูแลระบบยกเลิกเรื่อง" in mail and "ซ้ำกับเรื่องเดิม" in mail and "วรรณา" in mail
    assert "ท่านเป็นผู้ร่าง" in to_drafter and "ท่านได้ลงนามพิจารณา" in to_signer


def test_a_withdrawal_tells_whoever_signed_and_a_refused_ending_tells_nobody(office, smtp_server):
    memo_id = memo_in_review(office).id
    sign(office, memo_id, HEAD, DecisionKind.RETURN, minute="แก้ไขวันที่")  # signed (a return), nothing approved
    with pytest.raises(Refused):
        end_memo("withdraw", memo_id=memo_id, username=DRAFTER, pin=PIN, reason="  ", via="test", engine=office)
    assert notices(office, HEAD) == []  # refused: rolled back with its notices
    end_memo("withdraw", memo_id=memo_id, username=DRAFTER, pin=PIN, reason="ไม่จำเป็นแล้ว", via="test", engine=office)
    assert len(notices(office, HEAD)) == 1 and notices(office, DRAFTER) == []  # the drafter did it
    assert send_security_notices(engine=office) == 1
    [mail] = mails_to(smtp_server, HEAD)
    assert "ผู้ร่างถอนเรื่อง" in mail and "ไม่จำเป็นแล้ว" in mail


def test_a_published_announcement_cancelled_tells_the_drafter_and_the_signers(office, smtp_server):
    memo_id = memo_in_review(office).id
    for username in (HEAD, CLERK, CLERK):
        sign(office, memo_id, username)
    with session_scope(office) as session:
        publication_id = publish(session, memo_id=memo_id).id
    with session_scope(office) as session:
        cancel_publication(session, publication_id=publication_id, username=HEAD, pin=PIN, reason="ระบุวันที่ผิด")
        assert session.get(Memo, memo_id).status == MemoStatus.PUBLISHED
    assert [len(notices(office, u)) for u in (DRAFTER, HEAD, CLERK)] == [1, 0, 1]
    send_security_notices(engine=office)
    [mail] = mails_to(smtp_server, DRAFTER)
    assert "ยกเลิกประกาศที่เผยแพร่แล้ว" in mail and "ระบุวันที่ผิด" in mail
