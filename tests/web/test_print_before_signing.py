"""The memo page shows the documents as they will print before the sign form, what changed since
the revision the signer last saw, and warns when there is no Garuda emblem; publication without
one is refused and recovered once the emblem is uploaded."""

import subprocess
import time

import pytest
from sqlmodel import select

from cli.demo import draft_004
from models import Organisation
from models.db import default_engine, session_scope
from models.enums import DecisionKind, MemoStatus
from models.rules import Refused
from services.memo_life.memos import revise_memo
from services.publication.publication import publish
from tests.builders import PIN, memo, memo_in_review, operator_scope, prepare, sign
from tests.documents.tiny_png import tiny_png
from tests.web.conftest import csrf_of, login

PNG = tiny_png()

pytestmark = pytest.mark.prints  # the print is made for real here


def plain_paper() -> None:
    """The organisation prints on plain paper and has uploaded no emblem."""
    with operator_scope(default_engine()) as session:
        org = session.exec(select(Organisation)).one()
        org.printed_garuda_paper = False


def print_ready(client, memo_id: int, seconds: float = 120) -> str:
    """The print fragment once made (LibreOffice runs in the web app's background thread)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        fragment = client.get(f"/memos/{memo_id}/print").text
        if 'data-state="making"' not in fragment:
            return fragment
        time.sleep(0.5)
    raise AssertionError("the print was never made")


def test_the_documents_come_before_the_sign_form_and_the_page_does_not_wait_for_them(client):
    memo_id = memo_in_review(default_engine()).id
    login(client, "kanokporn")
    started = time.monotonic()
    page = client.get(f"/memos/{memo_id}").text
    assert time.monotonic() - started < 5  # LibreOffice runs in the background, not in the request
    assert "กำลังจัดทำภาพเอกสาร" in page and f'data-poll="/memos/{memo_id}/print"' in page
    assert page.index('id="print-documents"') < page.index('id="sign-card"')
    assert page.index('id="memo-paper"') < page.index('id="sign-card"')


def test_the_page_images_are_the_print_and_only_the_organisation_may_see_them(client):
    memo_id = memo_in_review(default_engine()).id
    login(client, "kanokporn")
    client.get(f"/memos/{memo_id}")
    fragment = print_ready(client, memo_id)
    assert 'data-state="ready"' in fragment, fragment
    page = client.get(f"/memos/{memo_id}").text
    images = [part.split('"')[0] for part in page.split('class="print-page" src="')[1:]]
    assert any("/memo-1.png" in src for src in images) and any("/announcement-1.png" in src for src in images)
    assert page.index('class="print-page"') < page.index('id="sign-card"')
    first = client.get(images[0])
    assert first.status_code == 200 and first.content.startswith(b"\x89PNG")
    for name in ("memo.pdf", "announcement.pdf"):
        pdf = client.get(images[0].rsplit("/", 1)[0] + "/" + name)
        assert pdf.content.startswith(b"%PDF")
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout
        # the 004 municipality prints on Garuda paper: the emblem's room is blank, never the placeholder
        assert "ตราครุฑ".encode() not in text and "โคกพุทรา".encode() in text
    assert client.get(images[0].rsplit("/", 1)[0] + "/..%2Fpages.json").status_code == 404
    other_memo = images[0].replace(f"/memos/{memo_id}/", f"/memos/{memo_id + 1}/")
    assert client.get(other_memo).status_code == 404  # a memo's print is served under that memo only
    ready_key = images[0].rsplit("/", 2)[-2]
    client.post(f"/memos/{memo_id}/print/retry", data={"csrf_token": csrf_of(client), "key": ready_key})
    assert client.get(images[0]).status_code == 200  # "try again" never throws away a print that was made
    client.cookies.clear()
    anonymous = client.get(images[0], follow_redirects=False)
    assert anonymous.status_code in (302, 303, 401) and not anonymous.content.startswith(b"\x89PNG")


def test_a_print_that_fails_says_why_and_can_be_tried_again(client, tmp_path, monkeypatch):
    (tmp_path / "empty-bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # no LibreOffice here
    memo_id = memo_in_review(default_engine()).id
    login(client, "kanokporn")
    client.get(f"/memos/{memo_id}")
    fragment = print_ready(client, memo_id, seconds=30)
    assert 'data-state="failed"' in fragment and "LibreOffice" in fragment and "ลองจัดทำใหม่" in fragment
    key = fragment.split('name="key" value="')[1].split('"')[0]
    retried = client.post(
        f"/memos/{memo_id}/print/retry", data={"csrf_token": csrf_of(client), "key": key}, follow_redirects=False
    )
    assert retried.status_code == 303
    assert "กำลังจัดทำภาพเอกสาร" in client.get(f"/memos/{memo_id}").text  # started again


def return_and_revise(engine, memo_id: int) -> None:
    """kanokporn approves revision 1, phakphum returns it, somying changes a word of ข้อเท็จจริง
    and adds words to ข้อกฎหมาย ข้อ ๒; the stages are recorded again."""
    sign(engine, memo_id, "kanokporn")
    sign(engine, memo_id, "phakphum", DecisionKind.RETURN, minute="แก้ข้อเท็จจริง")
    draft = draft_004()
    legal = list(draft.legal_basis)
    legal[1] = legal[1] + " และที่แก้ไขเพิ่มเติม"
    revised = draft.model_copy(update={"facts": draft.facts.replace("ต้องเข้าร่วม", "ควรเข้าร่วม", 1), "legal_basis": legal})
    with session_scope(engine) as session:
        revise_memo(session, memo_id=memo_id, username="somying", pin=PIN, draft=revised, note="แก้ไขตามที่สั่งการ")
    prepare(engine, memo_id)


def changes_card(page: str) -> str:
    return page.split('id="changes-since"')[1].split('id="print-documents"')[0]


def test_a_revised_memo_shows_what_changed_since_the_signer_last_saw_it(client):
    engine = default_engine()
    memo_id = memo_in_review(engine).id
    login(client, "kanokporn")
    assert 'id="changes-since"' not in client.get(f"/memos/{memo_id}").text  # revision 1: nothing before it
    return_and_revise(engine, memo_id)
    for _ in range(2):  # a reload still shows it
        page = client.get(f"/memos/{memo_id}").text
        changes = changes_card(page)
        assert "ฉบับที่ ๑ → ฉบับที่ ๒" in changes
        assert "บันทึกข้อความ · ข้อเท็จจริง" in changes and "<del>ต้อง</del><ins>ควร</ins>เข้าร่วม" in changes
        assert "ข้อกฎหมาย/ระเบียบ/ข้อสั่งการ ข้อ ๒" in changes and "<ins> และที่แก้ไขเพิ่มเติม</ins>" in changes
        assert "ต้นเรื่อง" not in changes  # unchanged parts are not listed
        assert page.index('id="changes-since"') < page.index('id="sign-card"')


def test_a_signer_who_first_opens_the_revision_is_compared_with_the_one_they_signed(client):
    engine = default_engine()
    memo_id = memo_in_review(engine).id
    return_and_revise(engine, memo_id)  # phakphum never opened the memo on the web
    login(client, "phakphum")
    changes = changes_card(client.get(f"/memos/{memo_id}").text)
    assert "ฉบับที่ ๑ → ฉบับที่ ๒" in changes and "<del>ต้อง</del><ins>ควร</ins>เข้าร่วม" in changes


def test_the_emblem_is_missing_warns_the_signer_and_the_administrator(client):
    plain_paper()
    memo_id = memo_in_review(default_engine()).id
    login(client, "kanokporn")
    page = client.get(f"/memos/{memo_id}").text
    assert 'id="emblem-missing"' in page and "ยังไม่มีภาพตราครุฑ" in page
    assert page.index('id="emblem-missing"') < page.index('id="sign-card"')
    assert 'id="emblem-missing"' in client.get("/admin").text  # the overview
    settings = client.get("/admin/settings").text
    assert 'id="emblem-missing"' in settings and 'name="printed_garuda_paper"' in settings

    client.post(
        "/admin/garuda",
        data={"csrf_token": csrf_of(client, "/admin")},
        files={"image": ("garuda.png", PNG, "image/png")},
    )
    assert 'id="emblem-missing"' not in client.get(f"/memos/{memo_id}").text


def test_printed_garuda_paper_is_chosen_on_the_admin_page(client):
    plain_paper()
    login(client, "kanokporn")
    client.post(
        "/admin/settings",
        data={"csrf_token": csrf_of(client, "/admin"), "register_prefix": "อท ๕๓๗๐๑.๔", "printed_garuda_paper": "true"},
    )
    with session_scope(default_engine()) as session:
        assert session.exec(select(Organisation)).one().printed_garuda_paper
    assert 'id="emblem-missing"' not in client.get("/admin").text


def test_publication_without_an_emblem_is_refused_and_published_once_it_is_uploaded(client):
    plain_paper()
    engine = default_engine()
    memo_id = memo_in_review(engine).id
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo_id, username)
    with pytest.raises(Refused) as refused, session_scope(engine) as session:
        publish(session, memo_id=memo_id)
    assert refused.value.code == "no-emblem" and f"saraban memo nudge {memo_id}" in refused.value.message
    assert memo(engine, memo_id).status == MemoStatus.APPROVED

    login(client, "kanokporn")
    client.post(
        "/admin/garuda",
        data={"csrf_token": csrf_of(client, "/admin")},
        files={"image": ("garuda.png", PNG, "image/png")},
    )
    with session_scope(engine) as session:  # what the nudged run does
        publish(session, memo_id=memo_id)
    assert memo(engine, memo_id).status == MemoStatus.PUBLISHED
