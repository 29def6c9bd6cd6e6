"""Ending a memo from its page (issue 20, finding 2): the drafter withdraws, a signer disapproves,
an administrator cancels; each asks for a reason and the PIN, keeps what was typed when
refused, and leaves the memo page saying what became of it and who may no longer act."""

import re

from models.db import default_engine
from models.enums import MemoStatus
from tests.builders import PIN, memo, memo_in_review
from tests.web.test_pages import as_user, sign


def end(client, memo_id: int, how: str, username: str, reason: str, pin: str = PIN):  # noqa: ANN001, ANN201
    token = as_user(client, username)
    return client.post(f"/memos/{memo_id}/{how}", data={"reason": reason, "pin": pin, "csrf_token": token})


def test_the_drafter_withdraws_from_the_memo_page(client):
    memo_id = memo_in_review(default_engine()).id
    as_user(client, "somying")
    assert 'id="withdraw-card"' in client.get(f"/memos/{memo_id}").text
    refused = end(client, memo_id, "withdraw", "somying", "ส่งซ้ำ", pin="000000")
    assert refused.status_code == 403 and "ส่งซ้ำ</textarea>" in refused.text  # what she typed is kept
    done = end(client, memo_id, "withdraw", "somying", "ส่งซ้ำ")
    assert done.status_code == 200 and "ถอนเรื่องแล้ว" in done.text
    assert "ถอนเรื่องโดย" in done.text and "ส่งซ้ำ" in done.text
    assert memo(default_engine(), memo_id).status == MemoStatus.WITHDRAWN
    as_user(client, "kanokporn")
    page = client.get(f"/memos/{memo_id}").text
    assert 'id="sign-card"' not in page and 'id="cancel-card"' not in page  # nothing left to do


def test_a_signer_disapproves_and_an_administrator_cancels(client):
    first = memo_in_review(default_engine()).id
    refused = sign(client, first, "kanokporn", decision="disapprove", minute="")
    assert refused.status_code == 403 and "ต้องระบุเหตุผล" in refused.text
    assert re.search(r'value="disapprove" checked', refused.text)  # her choice comes back, never approve
    sign(client, first, "kanokporn", decision="disapprove", minute="ไม่เห็นควร")
    assert memo(default_engine(), first).status == MemoStatus.DISAPPROVED

    second = memo_in_review(default_engine()).id
    assert end(client, second, "cancel", "somying", "ไม่ใช้แล้ว").status_code == 403  # not an administrator
    assert end(client, second, "cancel", "kanokporn", "ไม่ใช้แล้ว").status_code == 200
    assert memo(default_engine(), second).status == MemoStatus.CANCELLED
