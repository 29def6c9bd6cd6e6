"""The evidence pack counts the year's memos by where they stand and never passes an ended memo
or a cancelled announcement for a published one in force: each publication's record says whether
it was cancelled since (when, by whom, why), the index says so beside it, and the memos that
ended unpublished are listed apart (ended.csv and the index), with who ended them and why."""

import csv
import json

import pytest

from models.db import session_scope
from models.enums import DecisionKind
from services.memo_life.endings import end_memo
from services.publication.cancellation import cancel_publication
from services.publication.publication import publish
from services.yearly.evidence import export_evidence
from tests.builders import PIN, load_kokphutsa, memo, memo_in_review, sign, submitted_memo


@pytest.fixture
def office(engine, home_without_office):
    load_kokphutsa(engine)
    return engine


def published(engine) -> int:
    memo_id = memo_in_review(engine).id
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo_id, username)
    with session_scope(engine) as session:
        return publish(session, memo_id=memo_id).id


def test_cancelled_announcements_and_ended_memos_are_counted_and_listed_apart(office, tmp_path):
    in_force, cancelled = published(office), published(office)
    with session_scope(office) as session:
        cancel_publication(session, publication_id=cancelled, username="kanokporn", pin=PIN, reason="ระบุวันที่ผิด")
    withdrawn = submitted_memo(office).id
    end_memo("withdraw", memo_id=withdrawn, username="somying", pin=PIN, reason="ส่งซ้ำ", via="test", engine=office)
    disapproved = memo_in_review(office).id
    sign(office, disapproved, "kanokporn", DecisionKind.DISAPPROVE, minute="ยังไม่ถึงเวลา")
    moving = memo_in_review(office).id

    pack = export_evidence(memo(office, moving).fiscal_year, out_dir=tmp_path / "pack", engine=office)
    assert pack.counts == {
        "in_flight": 1,
        "published": 1,
        "publication_cancelled": 1,
        "superseded": 0,
        "withdrawn": 1,
        "disapproved": 1,
        "cancelled": 0,
    }
    standings = {item.record["publication"]["id"]: item.record["publication"]["standing"] for item in pack.items}
    assert standings[in_force] == {"state": "in_force"}
    assert standings[cancelled]["state"] == "cancelled" and standings[cancelled]["reason"] == "ระบุวันที่ผิด"
    record = json.loads(next((tmp_path / "pack").glob("*/memo-*/publication.json")).read_text(encoding="utf-8"))
    assert "standing" in record["publication"]

    with (tmp_path / "pack" / "index.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = sorted(csv.DictReader(stream), key=lambda r: r["สถานะประกาศ"])
    assert [r["สถานะประกาศ"][:16] for r in rows] == ["มีผล", "ยกเลิกประกาศแล้ว"]
    assert "ระบุวันที่ผิด" in rows[1]["สถานะประกาศ"]

    with (tmp_path / "pack" / "ended.csv").open(encoding="utf-8-sig", newline="") as stream:
        ended = {r["ที่"]: r for r in csv.DictReader(stream)}
    assert {r["ผล"] for r in ended.values()} == {"ถอนเรื่อง", "ไม่อนุมัติ"}
    assert {r["เหตุผล"] for r in ended.values()} == {"ส่งซ้ำ", "ยังไม่ถึงเวลา"}
    assert memo(office, moving).register_number not in ended

    html = (tmp_path / "pack" / "index.html").read_text(encoding="utf-8")
    assert "บันทึกที่สิ้นสุดโดยไม่เผยแพร่ (๒ รายการ)" in html and "ยังไม่ถึงเวลา" in html
    assert "กำลังดำเนินการ ๑ · เผยแพร่แล้ว (มีผล) ๑ · ยกเลิกประกาศ ๑" in html
    assert html.count("ตรงกัน (match)") == 2  # the cancelled one's files are still checked
