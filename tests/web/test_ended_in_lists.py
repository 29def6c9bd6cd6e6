"""Memos that ended unpublished, and announcements cancelled or superseded after publication, are
counted and listed apart (issue 20): never among the memos still moving, never as published.
The drafter's front page over HTTP, the status filter with its Thai labels, and the lists'
counts; the queue of the signer; "signed by me" saying ไม่อนุมัติ."""

import pytest
from sqlmodel import select

from models import Person
from models.db import default_engine, read_scope, session_scope
from models.enums import DecisionKind
from services.memo_life.endings import end_memo
from services.memo_life.memo_search import counts, drafted_rows, in_progress
from services.memo_life.queue import queue_for, sent_by
from services.publication.cancellation import cancel_publication
from services.publication.publication import publish
from tests.builders import PIN, memo_in_review, sign, submitted_memo
from tests.web.test_front_page import as_user, listed

# Publication goes on with the .docx alone: nothing here is about the PDF (LibreOffice's seconds).
pytestmark = pytest.mark.usefixtures("no_libreoffice")


def memos_in_every_standing() -> dict[str, int]:
    """somying's memos: one moving, one of each ending, one published and in force, one published
    then cancelled, one published then superseded by the one in force."""
    engine = default_engine()
    ids = {"moving": memo_in_review(engine).id, "withdrawn": submitted_memo(engine).id}
    end_memo("withdraw", memo_id=ids["withdrawn"], username="somying", pin=PIN, reason="ส่งซ้ำ", via="test")
    ids["disapproved"] = memo_in_review(engine).id
    sign(engine, ids["disapproved"], "kanokporn", DecisionKind.DISAPPROVE, minute="ยังไม่ถึงเวลา")
    ids["cancelled"] = memo_in_review(engine).id
    end_memo("cancel", memo_id=ids["cancelled"], username="kanokporn", pin=PIN, reason="ผิดเรื่อง", via="test")
    publications = {}
    for name in ("publication_cancelled", "superseded", "published"):  # the replacement, published last
        ids[name] = memo_in_review(engine).id
        for username in ("kanokporn", "phakphum", "phakphum"):
            sign(engine, ids[name], username)
        with session_scope(engine) as session:
            publications[name] = publish(session, memo_id=ids[name]).id
    with session_scope(engine) as session:
        cancel_publication(
            session, publication_id=publications["publication_cancelled"], username="kanokporn", pin=PIN, reason="ผิด"
        )
        cancel_publication(
            session,
            publication_id=publications["superseded"],
            username="kanokporn",
            pin=PIN,
            reason="มีฉบับใหม่",
            superseded_by_id=publications["published"],
        )
    return ids


def somying_id() -> int:
    with read_scope() as session:
        return session.exec(select(Person.id).where(Person.username == "somying")).one()


def test_ended_and_cancelled_memos_are_counted_and_listed_apart(client):
    ids = memos_in_every_standing()
    drafter = somying_id()
    with read_scope() as session:
        rows = drafted_rows(session, drafter)
        by_id = {row.memo_id: row.status for row in rows}
        assert {name: by_id[memo_id] for name, memo_id in ids.items() if name != "moving"} == {
            name: name for name in ids if name != "moving"
        }
        assert [row.memo_id for row in in_progress(rows)] == [ids["moving"]]
        assert [item.memo_id for item in sent_by(session, drafter)] == [ids["moving"]]
        assert counts(rows) == {
            "in_flight": 1,
            "published": 1,
            "publication_cancelled": 1,
            "superseded": 1,
            "withdrawn": 1,
            "disapproved": 1,
            "cancelled": 1,
        }
        assert [item.memo_id for item in queue_for(session, "kanokporn")] == [ids["moving"]]  # nothing ended waits

    as_user(client, "somying")
    front = client.get("/").text
    assert listed(front, "sent") == [ids["moving"]]
    assert sorted(listed(front, "ended")) == sorted(ids[n] for n in ("withdrawn", "disapproved", "cancelled"))
    assert "เรื่องที่สิ้นสุดโดยไม่เผยแพร่" in front
    for label in ("ถอนเรื่องแล้ว", "ไม่อนุมัติ", "ยกเลิกเรื่องแล้ว", "เผยแพร่แล้ว ต่อมายกเลิกประกาศ", "สิ้นสุดโดยไม่เผยแพร่"):
        assert f">{label}" in front.split('id="f-status"')[1].split("</select>")[0]  # offered by the filter

    ended = client.get("/?view=mine&status=ended").text
    assert sorted(listed(ended, "mine")) == sorted(ids[n] for n in ("withdrawn", "disapproved", "cancelled"))
    published = client.get("/?view=mine&status=published").text
    assert listed(published, "mine") == [ids["published"]]  # the cancelled and superseded ones are not "published"
    superseded = client.get("/?view=mine&status=superseded").text
    assert listed(superseded, "mine") == [ids["superseded"]] and "ถูกแทนที่ด้วยประกาศใหม่" in superseded
    mine = client.get("/?view=mine").text
    assert "กำลังดำเนินการ ๑ · เผยแพร่แล้ว (มีผล) ๑ · ยกเลิกประกาศ ๑ · ถูกแทนที่ ๑" in mine
    assert "ถอนเรื่อง ๑ · ไม่อนุมัติ ๑ · ยกเลิกเรื่อง ๑" in mine

    as_user(client, "kanokporn")
    signed = client.get("/?view=signed&status=disapproved").text
    assert listed(signed, "signed") == [ids["disapproved"]] and "ไม่อนุมัติ ขั้นที่ ๑" in signed
