"""Approving several memos with one PIN (issue 21), over HTTP on a real database: a wrong PIN signs
none and counts once toward the throttle; memos of another person or organisation slipped into
the form are left out; each approval binds the revision and announcement text its form carried,
and is audited on its own. And the memo page names the revision in words and whose duties an
acting signer performs, under which order."""

import re

from sqlmodel import select

from cli.demo import draft_004
from models import AuditEntry, Decision
from models.db import default_engine, session_scope
from models.enums import DecisionKind, Stage
from services.accounts.people import pin_failures
from services.memo_life.memos import record_stage, submit_memo
from tests.builders import PIN, memo_in_review, second_organisation, sign
from tests.web.conftest import csrf_of, login

SHOWN = re.compile(r'name="shown" value="([^"]+)"')


def shown_values(client, memo_ids: list[int]) -> list[str]:
    page = client.get("/sign-many", params={"memo": memo_ids})
    assert page.status_code == 200, page.text
    return SHOWN.findall(page.text)


def confirm(client, shown: list[str], pin: str = PIN, minute: str = ""):  # noqa: ANN201
    token = csrf_of(client, "/")
    return client.post("/sign-many", data={"csrf_token": token, "shown": shown, "pin": pin, "minute": minute})


def decisions(memo_ids: list[int]) -> list[Decision]:
    with session_scope() as session:
        return list(session.exec(select(Decision).where(Decision.memo_id.in_(memo_ids))).all())


def test_a_wrong_pin_signs_none_and_counts_once(client):
    memo_ids = [memo_in_review(default_engine()).id for _ in range(3)]
    login(client, "kanokporn")
    queue = client.get("/").text
    assert all(f'name="memo" value="{memo_id}"' in queue for memo_id in memo_ids)  # chosen on the queue
    shown = shown_values(client, memo_ids)
    assert len(shown) == 3
    refused = confirm(client, shown, pin="000000")
    assert refused.status_code == 403
    assert "ไม่ได้ลงนามเรื่องใด" in refused.text and "รหัส PIN ไม่ถูกต้อง" in refused.text
    assert len(SHOWN.findall(refused.text)) == 3  # the same memos offered again, PIN focused
    assert decisions(memo_ids) == []
    with session_scope() as session:
        assert pin_failures(session, "kanokporn") == 1


def test_memos_of_others_are_left_out_and_each_approval_binds_what_its_form_carried(client):
    engine = default_engine()
    mine = [memo_in_review(engine).id for _ in range(2)]
    at_clerk = memo_in_review(engine).id
    sign(engine, at_clerk, "kanokporn")  # now waits for the clerk, not for kanokporn
    second_organisation(engine)
    with session_scope() as session:
        theirs = submit_memo(session, username="somying2", pin=PIN, draft=draft_004(), again=True).id
    for username, stage in (("wanna2", Stage.TYPESET), ("preecha2", Stage.PROOFREAD), ("kanokporn2", Stage.CHECK)):
        with session_scope() as session:
            record_stage(session, memo_id=theirs, username=username, pin=PIN, stage=stage)
    login(client, "kanokporn")

    page = client.get("/sign-many", params={"memo": [*mine, at_clerk, theirs]}).text
    assert len(SHOWN.findall(page)) == 2
    assert "ไม่ได้รอท่านลงนามในขณะนี้" in page and "ไม่พบบันทึกนี้" in page
    assert "เทศบาลตำบลทดสอบ" not in page  # nothing of the other organisation shows
    shown = SHOWN.findall(page)
    revisions = {memo_id: shown_value.split(":")[2] for memo_id, shown_value in zip(mine, shown, strict=True)}
    # Forged values: another organisation's memo and the clerk's step with their real hashes, and
    # one of mine with an announcement hash it was never shown.
    their_values = shown_values_as(client, "kanokporn2", [theirs])
    clerk_value = shown_values_as(client, "phakphum", [at_clerk])
    login(client, "kanokporn")
    memo_id, step, revision, _ = shown[1].split(":")
    forged_announcement = f"{memo_id}:{step}:{revision}:{'0' * 64}"
    done = confirm(client, [shown[0], forged_announcement, *their_values, *clerk_value], minute="ชอบ")
    assert done.status_code == 200, done.text
    signed = done.text[done.text.index('id="bulk-signed"') : done.text.index('id="bulk-left-out"')]
    left_out = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", done.text[done.text.index('id="bulk-left-out"') :]))
    assert "บันทึกการลงนามแล้ว ๑ เรื่อง" in signed
    assert "ไม่ได้ลงนาม ๓ เรื่อง" in left_out
    assert "ประกาศเปลี่ยนไปหลังจากที่ท่านเปิดดู" in left_out  # the announcement it carried is not the text
    assert f"บันทึกเลขที่ {thai(theirs)}: ไม่พบบันทึกเลขที่" in left_out  # as if it did not exist
    assert "เทศบาลตำบลทดสอบ" not in left_out

    [decision] = decisions([*mine, theirs])
    assert (decision.memo_id, decision.kind, decision.minute) == (mine[0], DecisionKind.APPROVE, "ชอบ")
    assert decision.revision_sha256 == revisions[mine[0]]
    assert decision.announcement_sha256 == shown[0].split(":")[3]
    assert [d.step_index for d in decisions([at_clerk])] == [0]  # the clerk's step is untouched
    with session_scope() as session:
        audited = session.exec(select(AuditEntry).where(AuditEntry.action == "signoff.recorded")).all()
        assert [a.subject for a in audited if f"memo:{mine[0]}" == a.subject] == [f"memo:{mine[0]}"]
        assert '"via":"web-bulk"' in next(a.data_json for a in audited if a.subject == f"memo:{mine[0]}")


def test_a_stale_revision_is_left_out_and_the_api_signs_the_rest(client):
    engine = default_engine()
    memo_ids = [memo_in_review(engine).id for _ in range(2)]
    login(client, "kanokporn")
    shown = shown_values(client, memo_ids)
    token = client.get("/api/me").json()["csrf_token"]
    body = {
        "pin": PIN,
        "memos": [
            {"memo_id": int(v.split(":")[0]), "step": int(v.split(":")[1]), "revision_sha256": v.split(":")[2]}
            for v in shown
        ],
    }
    body["memos"][1]["revision_sha256"] = "f" * 64  # not the revision the memo has
    answer = client.post("/api/sign-many", json=body, headers={"X-CSRF-Token": token})
    assert answer.status_code == 200, answer.text
    first, second = answer.json()
    assert first["signed"] and first["decision_id"]
    assert (second["signed"], second["code"]) == (False, "stale-revision")
    assert "บันทึกถูกแก้ไขหลังจากที่ท่านเปิดดู" in second["reason"]
    wrong = client.post("/api/sign-many", json={**body, "pin": "000000"}, headers={"X-CSRF-Token": token})
    assert wrong.status_code == 403


def test_the_acting_signer_is_told_whose_duties_and_the_order_before_signing(client):
    engine = default_engine()
    memo_id = memo_in_review(engine).id
    sign(engine, memo_id, "kanokporn")
    sign(engine, memo_id, "phakphum")  # the clerk's own step; the mayor's is next, the post vacant
    login(client, "phakphum")
    page = client.get(f"/memos/{memo_id}").text
    top = page[: page.index('id="route"')]
    assert 'href="#sign-card"' in top and "รอท่านลงนาม ขั้นที่ ๓" in top  # the way to it, from the top
    acting = re.sub(r"\s+", " ", page[page.index('id="acting-for"') :].split("</p>", 1)[0])
    assert "นายกเทศมนตรีตำบลโคกพุทรา" in acting and "ตำแหน่งว่าง" in acting
    assert "คำสั่งเทศบาลตำบลโคกพุทรา ที่ ๑๒๐/๒๕๖๙" in acting
    words = re.sub(r"\s+", " ", page[page.index('id="signing-revision"') :].split("</p>", 1)[0])
    assert re.search(r"ฉบับที่ ๑ ส่งเมื่อ [๐-๙]+ [^ ]+ [๐-๙]+ [๐-๙]+:[๐-๙]+ น\.", words), words
    hashes = page[page.index('id="sign-hashes"') :].split("</details>", 1)[0]
    assert re.search(r"[0-9a-f]{64}", hashes)  # kept, folded, for those who look


def shown_values_as(client, username: str, memo_ids: list[int]) -> list[str]:
    login(client, username)
    return shown_values(client, memo_ids)


def thai(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
