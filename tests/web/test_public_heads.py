"""The signed chain heads as the public sees them: a page per organisation listing its statements
over time, the JSON file to keep (statements, signatures, certificates), and each announcement's
own signed head on its page."""

import json

import pytest
from sqlmodel import select

from documents.pdf.statement_signing import signature_holds
from models import HeadStatement, Organisation
from models.db import default_engine, session_scope
from services.audit.head_check import GENUINE, check_file, check_on_instance, read_heads_file
from services.publication.chain_heads import anchor
from services.publication.publication import publish
from tests.builders import memo_in_review, sign

# Publication goes on with the .docx alone: nothing here is about the PDF (LibreOffice's seconds).
pytestmark = pytest.mark.usefixtures("no_libreoffice")


def published_and_anchored() -> int:
    engine = default_engine()
    memo = memo_in_review(engine)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo.id, username)
    with session_scope(engine) as session:
        publication_id = publish(session, memo_id=memo.id).id
    with session_scope(engine) as session:
        anchor(session, session.exec(select(Organisation)).one(), actor="system")
    return publication_id


def test_the_heads_page_lists_the_statements_newest_first(client):
    publication_id = published_and_anchored()
    with session_scope(default_engine()) as session:
        statements = session.exec(select(HeadStatement).order_by(HeadStatement.seq)).all()
    response = client.get("/public/kokphutsa/heads")
    assert response.status_code == 200
    page = response.text
    assert "<h1>หัวห่วงโซ่บันทึกการตรวจสอบที่ลงนามแล้ว</h1>" in page
    shown = [page.index(f'id="head-{s.id}"') for s in statements]
    assert shown == sorted(shown, reverse=True)  # the newest first
    for s in statements:
        assert f"{s.seq}:{s.head}" in page and s.sha256 in page
    assert f'href="/public/kokphutsa/{publication_id}"' in page
    assert statements[0].certificate_sha256 in page
    assert "<script>" not in page and "style=" not in page  # nothing inline (the CSP)
    assert client.get("/public/nowhere/heads").status_code == 404


def test_the_heads_file_is_a_download_that_verifies(client):
    published_and_anchored()
    response = client.get("/public/kokphutsa/heads.json")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="kokphutsa-heads.json"'
    document = response.json()
    assert len(document["statements"]) == 2
    for held in document["statements"]:
        certificate = document["certificates"][held["certificate_sha256"]]
        assert signature_holds(certificate, held["statement"], held["signature"])
    with session_scope(default_engine()) as session:
        report = check_on_instance(session, check_file(read_heads_file(json.dumps(document).encode())))
    assert report.verdict == GENUINE


def test_each_announcement_shows_the_head_the_office_signed_with_it(client):
    publication_id = published_and_anchored()
    with session_scope(default_engine()) as session:
        statement = session.exec(select(HeadStatement).where(HeadStatement.publication_id == publication_id)).one()
    page = client.get(f"/public/kokphutsa/{publication_id}").text
    assert "หน่วยงานลงนามรับรองหัวห่วงโซ่นี้" in page and statement.sha256 in page
    assert f'href="/public/kokphutsa/heads#head-{statement.id}"' in page
    listing = client.get("/public/kokphutsa").text
    assert f'href="/public/kokphutsa/heads#head-{statement.id}"' in listing and statement.sha256 in listing
    assert client.get("/api/public/kokphutsa").status_code == 200
