"""/admin/ita over real HTTP: an administrator sees the organisation's adopted ITA catalogue and
changes who answers for an item; a refused change comes back as typed; another organisation's
item can be neither changed nor seen."""

import re
from pathlib import Path

from sqlmodel import select

from models import AuditEntry, ItaItem, Position
from models.db import default_engine, read_scope, session_scope
from models.ita import FROM_ADMIN
from services.ita.catalogue_format import read_catalogue_file
from services.ita.catalogue_load import adopt_catalogue, organisation_named
from tests.builders import second_organisation
from tests.web.conftest import csrf_of, login

LAO = Path(__file__).resolve().parents[2] / "examples" / "ita" / "lao-2570.yaml"


def adopted(*codes: str) -> dict[str, dict[str, int]]:
    """The shipped catalogue adopted by each organisation: item ids by code, per organisation."""
    ids = {}
    for code in codes:
        with session_scope(default_engine()) as session:
            org = organisation_named(session, code)
            adopt_catalogue(session, org, read_catalogue_file(LAO), actor="test")
            rows = session.exec(select(ItaItem).where(ItaItem.organisation_id == org.id))
            ids[code] = {row.code: row.id for row in rows}
    return ids


def item(item_id: int) -> ItaItem:
    with read_scope() as session:
        return session.get(ItaItem, item_id)


def position_id(org_code: str, code: str) -> int:
    with read_scope() as session:
        org = organisation_named(session, org_code)
        return session.exec(select(Position.id).where(Position.organisation_id == org.id, Position.code == code)).one()


def test_an_administrator_changes_who_answers_for_an_item(client):
    ids = adopted("kokphutsa")["kokphutsa"]
    login(client, "kanokporn")
    page = client.get("/admin/ita")
    assert page.status_code == 200
    assert "รายการ ITA · ปีงบประมาณ พ.ศ. ๒๕๗๐" in page.text and page.text.count('action="/admin/ita/position"') == 30
    row = re.search(r'<tr id="ita-item-O25">.*?</tr>', page.text, re.S)[0]
    assert "มาตรการป้องกันการรับสินบน" in row and re.search(r'<option value="legal-officer" selected>', row)
    answer = client.post(
        "/admin/ita/position",
        data={
            "item": ids["O25"],
            "position": "clerk",
            "note": "ปลัดรับผิดชอบเอง",
            "fiscal_year": "2570",
            "csrf_token": csrf_of(client, "/admin/ita"),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"].startswith("/admin/ita?fiscal_year=2570&msg=")
    changed = item(ids["O25"])
    assert changed.position_id == position_id("kokphutsa", "clerk") and changed.position_source == FROM_ADMIN
    row = re.search(r'<tr id="ita-item-O25">.*?</tr>', client.get(answer.headers["location"]).text, re.S)[0]
    assert re.search(r'<option value="clerk" selected>', row) and "ผู้ดูแลระบบ" in row
    with read_scope() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "ita.position.set")).one()
    assert entry.actor == "kanokporn" and '"to":"clerk"' in entry.data_json and "ปลัดรับผิดชอบเอง" in entry.data_json


def test_a_refused_choice_comes_back_as_typed(client):
    ids = adopted("kokphutsa")["kokphutsa"]
    login(client, "kanokporn")
    answer = client.post(
        "/admin/ita/position",
        data={
            "item": ids["O3"],
            "position": "no-such-post",
            "note": "ย้ายงานตามคำสั่งที่ ๑๒/๒๕๗๐",
            "fiscal_year": "2570",
            "csrf_token": csrf_of(client, "/admin/ita"),
        },
    )
    assert answer.status_code == 400
    row = re.search(r'<tr id="ita-item-O3">.*?</tr>', answer.text, re.S)[0]
    assert 'id="ita-error-O3"' in row and "unknown position" in row
    assert 'value="ย้ายงานตามคำสั่งที่ ๑๒/๒๕๗๐" autofocus' not in row  # the cursor is on the position
    assert 'value="ย้ายงานตามคำสั่งที่ ๑๒/๒๕๗๐"' in row and re.search(r'name="position" autofocus aria-invalid="true"', row)
    assert item(ids["O3"]).position_id == position_id("kokphutsa", "legal-officer")  # nothing changed


def test_another_organisations_item_can_be_neither_changed_nor_seen(client):
    second_organisation(default_engine())
    ids = adopted("kokphutsa", "kokphutsa-2")
    theirs = ids["kokphutsa-2"]["O3"]
    login(client, "kanokporn")
    page = client.get("/admin/ita").text
    assert f'name="item" value="{theirs}"' not in page  # only its own 30 items
    answer = client.post(
        "/admin/ita/position",
        data={"item": theirs, "position": "clerk", "fiscal_year": "2570", "csrf_token": csrf_of(client, "/admin/ita")},
    )
    assert answer.status_code == 400 and "no such ITA item in your organisation" in answer.text
    assert item(theirs).position_id == position_id("kokphutsa-2", "legal-officer")
    # The other office's administrator sees only theirs, and only an administrator sees the page.
    client.cookies.clear()
    login(client, "kanokporn2")
    page = client.get("/admin/ita").text
    assert f'name="item" value="{theirs}"' in page and f'name="item" value="{ids["kokphutsa"]["O3"]}"' not in page
    client.cookies.clear()
    login(client, "somying")
    assert client.get("/admin/ita").status_code == 403
