"""The ITA year on the real stack, as an office lives it: the shipped catalogue adopted for a
municipality of its own; the year opened by the Prefect deployment (its batch a child run on the
pool's worker); one item of each shape taken from the draft the opening made, through its chain by
people over HTTP (the form, the stages, the sign-offs): an announcement, an order whose staff
acknowledge it, a plan with the plan attached, the six-month report and the first monthly report
(their last step acknowledges: ทราบ), and a disclosure item's address. Each memo's flow run
publishes it and makes what its item asks beside it (the publication request, the staff asked).
Then the item pages, the status and the export list every item as it stands, and the link checker
finds a file altered on disk."""

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient
from prefect.deployments import run_deployment
from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app as saraban_app
from deployments.local_server import free_port
from models import AcknowledgementRequest, ItaItem, ItaWork, Person, Publication, PublicationRequest
from models.db import default_engine, session_scope
from models.settings import get_settings
from models.web import SavedDraft
from services.ita.catalogue_format import read_catalogue_file
from services.ita.catalogue_load import adopt_catalogue, organisation_named
from services.ita.positions import set_item_position
from services.outbox.flow_signals import wait_until_done
from tests.builders import PIN, second_organisation
from tests.web.conftest import csrf_of, login
from tests.workflows.conftest import WAIT_SECONDS
from web.app import create_app
from web.server import web_in_background

pytestmark = pytest.mark.prefect
ORG, SUFFIX, YEAR = "ita-office", "-ita", 2570
LAO = Path(__file__).resolve().parents[2] / "examples" / "ita" / "lao-2570.yaml"
CYCLE = "annual-review-cycle/annual-review-cycle"
# One item of each shape, and the period the opening made for it (as of 1 April 2570).
SHAPES = {
    "announcement": ("O24", "2570"),
    "order": ("O25", "2570"),  # the item has a circular: the staff acknowledge it
    "plan": ("O27", "2570"),  # the plan attached to the memo and published with it
    "six-month report": ("O28", "2570-H1"),
    "monthly report": ("O14", "2570-M01"),
}
PLAN_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(scope="module")
def client(stack) -> TestClient:
    second_organisation(default_engine(), ORG, SUFFIX)
    with session_scope() as session:
        org = organisation_named(session, ORG)
        adopt_catalogue(session, org, read_catalogue_file(LAO), actor="test")
        # The file gives the monthly report to the clerical officer, who types every memo: the
        # administrator gives it to the legal officer, so that another person records พิมพ์.
        o14 = session.exec(select(ItaItem.id).where(ItaItem.organisation_id == org.id, ItaItem.code == "O14")).one()
        set_item_position(session, org, actor="kanokporn" + SUFFIX, item_id=o14, position="legal-officer")
    # The schedule's run on 1 April: the yearly items, the first half's report, October–March's reports.
    opened = run_deployment(
        CYCLE,
        parameters={"fiscal_year": YEAR, "organisation": ORG, "as_of": "2027-04-01"},
        timeout=WAIT_SECONDS,
        poll_interval=1,
    )
    assert opened.state.is_completed(), opened.state.message
    return TestClient(create_app(), base_url="http://127.0.0.1")


def saraban(*args: str):  # noqa: ANN201
    return CliRunner().invoke(saraban_app, list(args))


def as_person(client: TestClient, username: str) -> str:
    client.cookies.clear()
    assert login(client, username + SUFFIX).status_code == 303
    return csrf_of(client)


def the_draft(code: str, period: str) -> tuple[int, str]:
    """The draft the opening made for the item's period, and whose it is."""
    with session_scope() as session:
        draft, username = session.exec(
            select(SavedDraft.id, Person.username)
            .join(ItaWork, ItaWork.draft_id == SavedDraft.id)
            .join(ItaItem, ItaItem.id == ItaWork.item_id)
            .join(Person, Person.id == SavedDraft.person_id)
            .where(ItaItem.code == code, ItaWork.period == period, ItaItem.organisation_id == _org_id())
        ).one()
    return draft, username.removesuffix(SUFFIX)


def _org_id() -> int:
    with session_scope() as session:
        return organisation_named(session, ORG).id


def form_values(page: str, action: str) -> dict[str, str]:
    """What the browser would send of the form posting to `action` as it stands (text, choices,
    ticked boxes)."""
    forms = [f for f in lxml.html.fromstring(page).forms if (f.action or "").endswith(action)]
    form = next((f for f in forms if f.get("id") == "memo-form"), forms[0])
    return dict(form.form_values())


def send_draft(client: TestClient, code: str, period: str, files: dict | None = None) -> int:
    draft_id, drafter = the_draft(code, period)
    as_person(client, drafter)
    page = client.get(f"/memos/new?draft={draft_id}")
    assert page.status_code == 200, page.text
    data = {**form_values(page.text, "/memos/new"), "pin": PIN, "action": "submit", "proofread_confirmed": "yes"}
    if files:
        data["attachment_1_publish"] = "yes"  # published with the announcement
    sent = client.post("/memos/new", data=data, files=files or None, follow_redirects=False)
    assert sent.status_code == 303, sent.text[:3000]
    return int(re.search(r"/memos/(\d+)", sent.headers["location"])[1])


def record_stages(client: TestClient, memo_id: int) -> None:
    for username, stage in (("wanna", "พิมพ์"), ("preecha", "ทาน"), ("kanokporn", "ตรวจ")):
        token = as_person(client, username)
        page = client.get(f"/memos/{memo_id}").text
        intended = re.findall(r'name="intended" value="([^"]+)"', page)  # findings ticked as written
        data = {"stage": stage, "pin": PIN, "csrf_token": token, "intended": intended}
        done = client.post(f"/memos/{memo_id}/stage", data=data, follow_redirects=False)
        assert done.status_code == 303, done.text[:2000]


def sign_all(client: TestClient, memo_id: int) -> None:
    for username in ("kanokporn", "phakphum", "phakphum"):
        token = as_person(client, username)
        page = client.get(f"/memos/{memo_id}").text
        data = {
            **{k: v for k, v in form_values(page, f"/memos/{memo_id}/sign").items() if k != "decision"},
            "decision": "approve",  # เห็นชอบ, and at the last step อนุมัติ (a report's: ทราบ)
            "minute": "ทราบ" if username == "phakphum" else "เห็นควรอนุมัติ",
            "pin": PIN,
            "csrf_token": token,
        }
        signed = client.post(f"/memos/{memo_id}/sign", data=data, follow_redirects=False)
        assert signed.status_code == 303, signed.text[:2000]


@pytest.fixture(scope="module")
def site(client) -> Iterator[str]:
    """The web app served, for what is fetched as an assessor's browser would (the link checker)."""
    with web_in_background(create_app(), free_port()) as url:
        yield url


@pytest.fixture
def sites_inside(monkeypatch) -> Iterator[None]:
    """The office's "website" (its structure page, O1) is this test's own server, inside."""
    monkeypatch.setenv("SARABAN_PERSONAL_WEBHOOKS_INSIDE", "true")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_one_item_of_each_shape_through_its_chain_to_its_public_page(client, site, delivering, sites_inside, tmp_path):
    plan = {"attachment_1": ("แผนปฏิบัติการป้องกันการทุจริต.pdf", PLAN_PDF, "application/pdf")}
    memos = {
        shape: send_draft(client, code, period, plan if shape == "plan" else None)
        for shape, (code, period) in SHAPES.items()
    }
    assert all(wait_until_done(list(memos.values()), WAIT_SECONDS).values())  # typeset, proofread
    for memo_id in memos.values():
        record_stages(client, memo_id)
        sign_all(client, memo_id)
    assert all(wait_until_done(list(memos.values()), WAIT_SECONDS).values())  # published, evidence made

    with session_scope() as session:
        published = {
            s: session.exec(select(Publication).where(Publication.memo_id == m)).one() for s, m in memos.items()
        }
        requests = {r.publication_id for r in session.exec(select(PublicationRequest))}
        asked = {r.memo_id for r in session.exec(select(AcknowledgementRequest))}
    assert published["order"].document_kind == "order" and published["order"].document_number
    assert {p.document_kind for s, p in published.items() if "report" in s} == {"report"}
    assert {p.id for p in published.values()} <= requests  # every item here asks for the form
    assert memos["order"] in asked  # its circular: the staff are asked to acknowledge it

    token = as_person(client, "wanna")  # a member of the staff acknowledges the order
    assert (
        client.post(
            f"/acknowledgements/{memos['order']}", data={"csrf_token": token}, follow_redirects=False
        ).status_code
        == 303
    )

    token = as_person(client, "kanokporn")  # the head of office gives the structure's address (O1)
    with session_scope() as session:
        o1 = session.exec(select(ItaItem.id).where(ItaItem.organisation_id == _org_id(), ItaItem.code == "O1")).one()
    public_page = f"{site}/public/{ORG}"  # the office's page of public documents, as its structure page
    given = client.post(
        f"/ita/{YEAR}/disclosure", data={"item": o1, "url": public_page, "csrf_token": token}, follow_redirects=False
    )
    assert given.status_code == 303, given.text[:2000]

    client.cookies.clear()  # an assessor: the item's page, which is the link given to ITAS
    page = client.get(f"/public/{ORG}/ita/{YEAR}/O25")
    assert page.status_code == 200 and published["order"].announcement_sha256 in page.text
    assert f"ที่ {published['order'].document_number}" in page.text and "สั่ง ณ วันที่" in page.text  # the order's own
    assert "เจ้าหน้าที่ที่รับทราบแล้ว (๑ คน)" in page.text  # the acknowledgement, as evidence
    assert "ดาวน์โหลดแบบฟอร์มการขออนุญาตเผยแพร่ข้อมูล (PDF)" in page.text
    plan_page = client.get(f"/public/{ORG}/ita/{YEAR}/O27").text
    assert f"/attachments/{hashlib.sha256(PLAN_PDF).hexdigest()}" in plan_page  # the plan itself

    status = saraban("ita", "status", "--fiscal-year", str(YEAR), "--org", ORG, "--json")
    assert status.exit_code == 0, status.output
    out = tmp_path / "ita.csv"
    assert saraban("ita", "export", "--fiscal-year", str(YEAR), "--org", ORG, "--out", str(out)).exit_code in (0, 1)
    rows = {row[0]: row for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))}
    for code, _ in SHAPES.values():
        assert rows[code][6], rows[code]  # the date it was published
        if code != "O14":
            assert rows[code][4] == "เผยแพร่แล้ว", rows[code]
    assert rows["O14"][4] == "ยังไม่เริ่ม"  # where it stands now: March's report, opened on 1 April
    assert "เผยแพร่แล้ว" in rows["O1"] and "เผยแพร่แล้ว" not in rows["O2"]
    assert len([c for c in rows if re.fullmatch(r"O\d+", c)]) == 30  # every item listed

    checked = ("ita", "check-links", "--fiscal-year", str(YEAR), "--org", ORG, "--base-url", site)
    assert saraban(*checked).exit_code == 0, saraban(*checked).output
    pdf = Path(published["order"].announcement_pdf_path)
    kept = pdf.read_bytes()
    try:
        pdf.write_bytes(kept.replace(b"%%EOF", b"%%EOF\n% changed", 1))  # altered on the server's disk
        broken = saraban(*checked)
    finally:
        pdf.write_bytes(kept)
    assert broken.exit_code == 1 and "O25" in broken.output, broken.output
