"""Attachments through the web app (TestClient, a real migrated database): files uploaded with the
memo form (multipart), a refused file named with the rest of the form kept as typed and the good
files kept, the list and downloads on the memo page for the organisation only, and the public page
offering only the files published with the announcement."""

import hashlib
import re

from fastapi.testclient import TestClient
from sqlmodel import select

from cli.demo import draft_004
from models import Memo, MemoAttachment
from models.db import default_engine, session_scope
from models.draft import MemoDraft
from models.settings import get_settings
from services.publication.publication import publish
from tests.attachment_files import program_named_pdf, small_png, tiny_pdf
from tests.builders import PIN, second_organisation
from tests.web.test_pages import as_user, memo_form, sign, stage_all
from web.app import create_app

PLAN = tiny_pdf("plan to publish")
PHOTO = small_png()


def sent_with_files(client, files: dict, **fields) -> int:  # noqa: ANN001
    token = as_user(client, "somying")
    response = client.post(
        "/memos/new", data={**memo_form(**fields), "csrf_token": token}, files=files, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return int(re.search(r"/memos/(\d+)", response.headers["location"])[1])


def plan_and_photo(client) -> int:  # noqa: ANN001
    return sent_with_files(
        client,
        {"attachment_1": ("แผนปฏิบัติการ.pdf", PLAN, "application/pdf"), "attachment_2": ("ภาพ.png", PHOTO, "image/png")},
        attachment_1_publish="yes",
    )


def test_files_uploaded_with_the_form_are_listed_and_downloaded_by_the_office_only(client):
    memo_id = plan_and_photo(client)
    with session_scope() as session:
        kept = session.exec(select(MemoAttachment).where(MemoAttachment.memo_id == memo_id)).all()
    assert [(a.name, a.published) for a in kept] == [("แผนปฏิบัติการ.pdf", True), ("ภาพ.png", False)]
    plan_sha = hashlib.sha256(PLAN).hexdigest()

    page = client.get(f"/memos/{memo_id}").text
    assert 'id="attachments-card"' in page and plan_sha in page and "เผยแพร่พร้อมประกาศ" in page
    assert "สิ่งที่ส่งมาด้วย" in page.split('id="memo-paper"')[1]  # printed on the memo too
    download = client.get(f"/memos/{memo_id}/attachments/{plan_sha}")
    assert download.status_code == 200 and download.content == PLAN
    assert download.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''" in download.headers["content-disposition"]
    assert download.headers["cache-control"] == "no-store"

    second_organisation(default_engine())
    as_user(client, "somying2")  # the same municipality's officer, in another organisation
    assert client.get(f"/memos/{memo_id}/attachments/{plan_sha}").status_code == 404
    client.cookies.clear()
    assert client.get(f"/memos/{memo_id}/attachments/{plan_sha}", follow_redirects=False).status_code == 303


def test_a_refused_file_is_named_and_the_form_and_good_files_are_kept(client):
    token = as_user(client, "somying")
    subject = "ขออนุมัติประกาศพร้อมแผนที่แนบ"
    response = client.post(
        "/memos/new",
        data={**memo_form(subject=subject), "csrf_token": token, "attachment_2_publish": "yes"},
        files={
            "attachment_1": ("setup.pdf", program_named_pdf(), "application/pdf"),
            "attachment_2": ("ภาพ.png", PHOTO, "image/png"),
        },
    )
    assert response.status_code == 422
    page = response.text
    assert "setup.pdf" in page and "ไม่ใช่ PDF" in page and "not a complete PDF" in page
    assert f'value="{subject}"' in page  # the rest of the form as typed
    photo_sha = hashlib.sha256(PHOTO).hexdigest()
    assert f'name="kept_1" value="{photo_sha}"' in page  # the good file, kept without uploading it again
    with session_scope() as session:
        assert session.exec(select(Memo)).all() == []

    again = client.post(
        "/memos/new",
        data={
            **memo_form(subject=subject),
            "csrf_token": token,
            "kept_1": photo_sha,
            "kept_1_keep": "yes",
            "kept_1_name": "ภาพ.png",
            "kept_1_publish": "yes",
        },
        follow_redirects=False,
    )
    assert again.status_code == 303, again.text
    with session_scope() as session:
        kept = session.exec(select(MemoAttachment)).one()
    assert (kept.sha256, kept.published) == (photo_sha, True)


def test_the_public_page_offers_only_the_published_file_with_its_hash(client, no_libreoffice):
    memo_id = plan_and_photo(client)
    stage_all(client, memo_id)
    for username in ("kanokporn", "phakphum", "phakphum"):
        assert sign(client, memo_id, username).status_code == 303
    with session_scope() as session:
        publication = publish(session, memo_id=memo_id)
    client.cookies.clear()  # a citizen
    plan_sha, photo_sha = hashlib.sha256(PLAN).hexdigest(), hashlib.sha256(PHOTO).hexdigest()
    for path in ("/public/kokphutsa", f"/public/kokphutsa/{publication.id}"):
        page = client.get(path).text
        assert plan_sha in page and "แผนปฏิบัติการ.pdf" in page
        assert photo_sha not in page and "ภาพ.png" not in page
    public = f"/public/kokphutsa/{publication.id}/attachments"
    assert client.get(f"{public}/{plan_sha}").content == PLAN
    assert client.get(f"{public}/{photo_sha}").status_code == 404


def test_the_api_uploads_a_file_and_sends_a_memo_naming_it(client):
    as_user(client, "somying")
    headers = {"X-CSRF-Token": client.get("/api/me").json()["csrf_token"]}
    refused = client.post(
        "/api/attachments", files={"file": ("setup.pdf", program_named_pdf())}, data={}, headers=headers
    )
    assert refused.status_code == 422 and "not a complete PDF" in refused.json()["detail"]
    uploaded = client.post(
        "/api/attachments",
        files={"file": ("plan.pdf", PLAN, "application/pdf")},
        data={"name": "แผนปฏิบัติการ", "published": "true"},
        headers=headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    ref = uploaded.json()
    assert ref == {
        "name": "แผนปฏิบัติการ",
        "size": len(PLAN),
        "sha256": hashlib.sha256(PLAN).hexdigest(),
        "published": True,
    }
    body = {"draft": {**draft_004().model_dump(mode="json", exclude_none=True), "attachments": [ref]}, "pin": PIN}
    sent = client.post("/api/memos", json=body, headers=headers)
    assert sent.status_code == 201, sent.text
    shown = client.get(f"/api/memos/{sent.json()['memo_id']}").json()
    assert shown["revision_sha256"] == MemoDraft.model_validate(body["draft"]).sha256()


def test_the_memo_form_may_carry_files_past_the_plain_body_limit_and_nothing_else_may(web_home, monkeypatch):
    monkeypatch.setenv("SARABAN_MAX_REQUEST_BYTES", "65536")
    get_settings.cache_clear()
    client = TestClient(create_app(), base_url="http://127.0.0.1")
    big_plan = tiny_pdf("x" * 100_000)  # over the plain limit, well within an attachment's
    token = as_user(client, "somying")
    sent = client.post(
        "/memos/new",
        data={**memo_form(), "csrf_token": token},
        files={"attachment_1": ("แผน.pdf", big_plan, "application/pdf")},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    urlencoded = client.post("/memos/new", data={**memo_form(facts="ข" * 70_000), "csrf_token": token})
    assert urlencoded.status_code == 413
