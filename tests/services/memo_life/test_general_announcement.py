"""A general announcement through the domain functions: its words are the drafter's, bound to the
revision and to every approval, proofread with the memo, and printed in the published .docx."""

from pathlib import Path

import pytest
from sqlmodel import select

from cli.demo import draft_004
from models import Decision, Memo
from models.db import session_scope
from models.draft import AnnouncementDraft, GeneralAnnouncement
from services.memo_life.memos import submit_memo
from services.memo_life.proofreading import proofread_revision
from services.printing.document_context import current_revision
from services.printing.rendering import announcement_text_sha256, announcement_words
from services.publication.publication import publish
from tests.builders import PIN, load_kokphutsa, prepare, sign
from tests.documents.docx_inspect import all_paragraph_texts
from tests.services.publication.test_publication_record import home  # noqa: F401

WATER = "การงดจ่ายน้ำประปาชั่วคราวเพื่อซ่อมท่อเมน หมู่ที่ ๓"
GENERAL = GeneralAnnouncement(
    subject=WATER,
    preamble=["ด้วยท่อเมนประปาหมู่ที่ ๓ ชำรุด", "เพื่อให้ประชาชนเตรียมการล่วงหน้า จึงประกาศ ดังนี้"],
    items=[
        {"text": "งดจ่ายน้ำประปาวันที่ ๑๐ ธันวาคม พ.ศ. ๒๕๖๙", "explanation": "ตั้งแต่เวลา ๐๘.๓๐ น.\nถึงเวลา ๑๖.๓๐ น."},
        {"text": "ผู้ใช้น้ำโปรดบททวนการกักเก็บน้ำ"},
    ],
    closing="จึงประกาศมาให้ทราบโดยทั่วกัน",
)


def general_draft():  # noqa: ANN201
    return draft_004().model_copy(update={"announcement": AnnouncementDraft(template="general", general=GENERAL)})


@pytest.fixture
def memo_id(engine, home, no_libreoffice) -> int:  # noqa: F811
    load_kokphutsa(engine)
    with session_scope(engine) as session:
        memo = submit_memo(session, username="somying", pin=PIN, draft=general_draft(), proofread_confirmed=True)
    prepare(engine, memo.id, as_intended=True)  # the item's บททวน is the typo the proofreading test finds
    return memo.id


def test_the_published_docx_prints_the_drafters_subject_and_items(engine, memo_id):
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo_id, username)
    with session_scope(engine) as session:
        publication = publish(session, memo_id=memo_id)
        lines = all_paragraph_texts(Path(publication.announcement_path).read_bytes())
    assert "ประกาศเทศบาลตำบลโคกพุทรา" in lines and f"เรื่อง {WATER}" in lines
    start = lines.index("ด้วยท่อเมนประปาหมู่ที่ ๓ ชำรุด")
    assert lines[start : start + 7] == [
        "ด้วยท่อเมนประปาหมู่ที่ ๓ ชำรุด",
        "เพื่อให้ประชาชนเตรียมการล่วงหน้า จึงประกาศ ดังนี้",
        "๑. งดจ่ายน้ำประปาวันที่ ๑๐ ธันวาคม พ.ศ. ๒๕๖๙",
        "ตั้งแต่เวลา ๐๘.๓๐ น.",
        "ถึงเวลา ๑๖.๓๐ น.",
        "๒. ผู้ใช้น้ำโปรดบททวนการกักเก็บน้ำ",
        "จึงประกาศมาให้ทราบโดยทั่วกัน",
    ]
    assert not any("มาตรการ" in line for line in lines)


def test_every_approval_binds_the_drafters_words(engine, memo_id):
    sign(engine, memo_id, "kanokporn")
    with session_scope(engine) as session:
        memo = session.get(Memo, memo_id)
        revision = current_revision(session, memo)
        expected = announcement_text_sha256(announcement_words(session, memo, revision))
        decision = session.exec(select(Decision).where(Decision.memo_id == memo_id)).one()
        assert revision.sha256 == general_draft().sha256()
    assert decision.announcement_sha256 == expected
    other = general_draft().model_copy(
        update={
            "announcement": AnnouncementDraft(
                template="general", general=GENERAL.model_copy(update={"subject": "เรื่องอื่น"})
            )
        }
    )
    assert other.sha256() != general_draft().sha256()  # the revision hash covers the announcement's text


def test_proofreading_reads_the_drafters_items(engine, memo_id):
    with session_scope(engine) as session:
        memo = session.get(Memo, memo_id)
        warnings = proofread_revision(session, memo, current_revision(session, memo))
    found = [w for w in warnings if w["document"] == "announcement" and w["text"] == "บททวน"]
    assert found and found[0]["suggestion"] == "ทบทวน"
