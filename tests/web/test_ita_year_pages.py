"""The ITA year's pages, status and export: the shipped catalogue adopted by the demo municipality,
with the work of a few items opened as the year opening leaves it (an ItaWork per period and its
saved draft) and driven by the domain functions: O16 published (with its publication request and
the staff's acknowledgements), O24 published and later superseded, O20 being drafted, O23 overdue,
O26 in approval, O3 a disclosure address given, O1 and O2 disclosures waiting for theirs.

Checked as a citizen (the public year and item pages, in plain Thai, with the files' hashes and
who asked, approved and posted), as the office (/ita/<year>: statuses, holders, due dates in
working days, coverage, the disclosure form, the link checker against a real server with a file
altered on disk), as another organisation (404), and through `saraban ita status|export|check-links`.
No LibreOffice: publication keeps the .docx alone, in seconds."""

import csv
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.exc import DatabaseError
from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app as cli_app
from deployments.local_server import free_port
from models import AuditEntry, ItaCatalogue, ItaItem, ItaWork, ItaWorkMemo, Organisation, Person, Publication, audit
from models.clock import utcnow
from models.db import default_engine, session_scope
from models.deadlines import calendar_of
from models.settings import get_settings
from models.web import SavedDraft
from models.workdays import working_days_between
from services.acknowledgements.acknowledging import acknowledge
from services.acknowledgements.asking import ask_staff_to_acknowledge
from services.audit.audit_verify import verify_audit
from services.ita.catalogue_format import read_catalogue_file
from services.ita.catalogue_load import adopt_catalogue, organisation_named
from services.ita.disclosure import give_address
from services.publication.cancellation import cancel_publication
from services.publication.link_check import Link, check_links
from services.publication.publication import publish
from services.publication.publication_request import make_publication_request
from tests.builders import PIN, as_database_writer, load_kokphutsa, memo_in_review, second_organisation, sign
from tests.conftest import copy_of_migrated
from tests.web.conftest import csrf_of, login
from tests.web.test_public_for_citizens import english_in
from web.app import create_app
from web.server import web_in_background

LAO_2570 = Path(__file__).resolve().parents[2] / "examples" / "ita" / "lao-2570.yaml"
YEAR = 2570
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ACTING_LINE = "ว่าที่ร้อยตรี ภาคภูมิ อนุศาสตร์ ปลัดเทศบาล ปฏิบัติหน้าที่ นายกเทศมนตรีตำบลโคกพุทรา"
# Beyond the public site's own (Saraban, PDF, Word, SHA-256): the scheme's own words, as the
# catalogue writes them (ITA, OIT, "No Gift Policy", "E-Service"), and the items' codes.
CATALOGUE = read_catalogue_file(LAO_2570)
SCHEME_WORDS = set(
    re.findall(
        r"[A-Za-z][A-Za-z0-9.\-]*", " ".join([CATALOGUE.scheme, *(f"{i.title} {i.indicator}" for i in CATALOGUE.items)])
    )
)


def thai(number: int) -> str:
    return str(number).translate(THAI)


def _work(  # noqa: ANN001
    session, org, code: str, *, draft_id: int | None, opened: dt.datetime, due: dt.datetime, memo_id: int | None = None
) -> ItaWork:
    item = session.exec(select(ItaItem).where(ItaItem.organisation_id == org.id, ItaItem.code == code)).one()
    work = ItaWork(
        item_id=item.id,
        organisation_id=org.id,
        fiscal_year=YEAR,
        period=str(YEAR),
        period_title=f"ปีงบประมาณ พ.ศ. {thai(YEAR)}",
        opened_at=opened,
        due_at=due,
        position_id=item.position_id,
        draft_id=draft_id,
    )
    session.add(work)
    item.opened_at = opened
    session.add(item)
    session.flush()
    if memo_id is not None:  # sent from its draft: as the submission records it, in the memo's entry
        session.add(ItaWorkMemo(work_id=work.id, memo_id=memo_id))
        audit.append(session, actor="test", action="memo.submitted", subject=f"memo:{memo_id}")
    return work


def _draft(session, *, memo_id: int | None = None, updated: dt.datetime) -> int:  # noqa: ANN001
    person = session.exec(select(Person).where(Person.username == "somying")).one()
    draft = SavedDraft(person_id=person.id, content_json="{}", updated_at=updated, sent_memo_id=memo_id)
    session.add(draft)
    session.flush()
    return draft.id


def _last_year_address(session, org, code: str, address: str) -> None:  # noqa: ANN001
    """Last year's catalogue with the disclosure item's address given then (rows as a load and the opening leave them)."""
    this_year = session.exec(select(ItaItem).where(ItaItem.organisation_id == org.id, ItaItem.code == code)).one()
    fields = {"scheme": "ITA 2569", "opens_on": dt.date(2025, 10, 1), "content_sha256": "0" * 64, "content_json": "{}"}
    catalogue = ItaCatalogue(organisation_id=org.id, fiscal_year=YEAR - 1, adopted_by="test", **fields)
    session.add(catalogue)
    session.flush()
    kept = this_year.model_dump(exclude={"id", "catalogue_id", "fiscal_year"})
    item = ItaItem(**kept, catalogue_id=catalogue.id, fiscal_year=YEAR - 1)
    session.add(item)
    session.flush()
    session.add(
        ItaWork(
            item_id=item.id,
            organisation_id=org.id,
            fiscal_year=YEAR - 1,
            period=str(YEAR - 1),
            period_title="ปีงบประมาณ พ.ศ. ๒๕๖๙",
            opened_at=utcnow() - dt.timedelta(days=400),
            position_id=item.position_id,
            url=address,
        )
    )


def _published_memo(engine) -> tuple[int, int]:  # noqa: ANN001
    memo = memo_in_review(engine)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo.id, username)
    with session_scope(engine) as session:
        return memo.id, publish(session, memo_id=memo.id).id


@pytest.fixture(scope="module")
def year(tmp_path_factory, migrated_templates) -> Iterator[dict]:
    with pytest.MonkeyPatch.context() as patch, ExitStack() as stack:
        patch.setenv("SARABAN_HOME", str(tmp_path_factory.mktemp("ita-year")))
        # The office's "website" here is the test's own server, inside (services.public_hosts).
        patch.setenv("SARABAN_PERSONAL_WEBHOOKS_INSIDE", "true")
        for name in ("SARABAN_DATABASE_URL", "SARABAN_DOCUMENTS_DIR", "SARABAN_KEYS_DIR", "SARABAN_PUBLIC_BASE_URL"):
            patch.delenv(name, raising=False)
        empty = tmp_path_factory.mktemp("empty-bin")  # no LibreOffice: the .docx alone, in seconds
        patch.setenv("PATH", str(empty))
        get_settings.cache_clear()
        default_engine.cache_clear()
        engine = default_engine()
        copy_of_migrated(get_settings().resolved_database_url, migrated_templates)
        load_kokphutsa(engine)
        second_organisation(engine)
        stack.callback(default_engine().dispose)
        # The disclosure addresses given below are on it: the link checker fetches them.
        url = stack.enter_context(web_in_background(create_app(), free_port()))
        now = utcnow()
        o16_memo, o16 = _published_memo(engine)
        o24_memo, o24 = _published_memo(engine)
        spare_memo, _spare = _published_memo(engine)  # published, answering no item
        in_approval = memo_in_review(engine).id
        with session_scope(engine) as session:
            org = organisation_named(session, "kokphutsa")
            adopt_catalogue(session, org, CATALOGUE, actor="test")
            soon, opened = now + dt.timedelta(days=20), now - dt.timedelta(days=40)
            for code, memo_id in (("O16", o16_memo), ("O24", o24_memo), ("O26", in_approval)):
                _work(
                    session,
                    org,
                    code,
                    draft_id=_draft(session, memo_id=memo_id, updated=opened),
                    opened=opened,
                    due=soon,
                    memo_id=memo_id,
                )
            # Being written: saved since it was opened. Overdue: opened, untouched, due ten days ago.
            _work(session, org, "O20", draft_id=_draft(session, updated=now), opened=opened, due=soon)
            _work(
                session,
                org,
                "O23",
                draft_id=_draft(session, updated=opened),
                opened=opened,
                due=now - dt.timedelta(days=10),
            )
            for code in ("O1", "O2", "O3"):
                _work(session, org, code, draft_id=None, opened=opened, due=soon)
            _last_year_address(session, org, "O2", f"{url}/public")
            somying = session.exec(select(Person).where(Person.username == "somying")).one()
            o3 = session.exec(select(ItaItem).where(ItaItem.organisation_id == org.id, ItaItem.code == "O3")).one()
            give_address(session, org, somying, item_id=o3.id, url=f"{url}/public/kokphutsa")
        request = make_publication_request(o16, engine=engine)
        with session_scope(engine) as session:
            ask_staff_to_acknowledge(session, memo_id=o16_memo, username="somying")
        with session_scope(engine) as session:
            acknowledge(session, memo_id=o16_memo, username="wanna")
        with session_scope(engine) as session:
            items = {
                i.code: i.id
                for i in session.exec(
                    select(ItaItem).where(ItaItem.organisation_id == org.id, ItaItem.fiscal_year == YEAR)
                ).all()
            }
            rows = {pid: session.get(Publication, pid) for pid in (o16, o24)}
            org_row = session.get(Organisation, org.id)
        yield {
            "spare_memo": spare_memo,
            "o16": o16,
            "o24": o24,
            "rows": rows,
            "request": request,
            "items": items,
            "url": url,
            "now": now,
            "org": org_row,
        }
    get_settings.cache_clear()
    default_engine.cache_clear()


@pytest.fixture
def client(year) -> TestClient:
    return TestClient(create_app(), base_url="http://127.0.0.1")


def _row(page: str, code: str) -> str:
    [row] = lxml.html.fromstring(page).xpath(f"//tr[@class='ita-row-{code}']")
    return " ".join(row.text_content().split())


def _plain_english(page: str) -> list[str]:
    return [word for word in english_in(page) if word not in SCHEME_WORDS and not re.fullmatch(r"O\d+", word)]


# --- the public pages --------------------------------------------------------------------------


def test_the_public_year_lists_every_item_in_order_in_plain_thai(client, year):
    page = client.get(f"/public/kokphutsa/ita/{YEAR}")
    assert page.status_code == 200
    assert client.get(f"/public/kokphutsa/ita/{thai(YEAR)}").text == page.text  # Thai digits: the same page
    rows = lxml.html.fromstring(page.text).xpath("//table[@id='ita-public-items']/tbody/tr")
    assert [r.get("id") for r in rows] == [f"ita-O{n}" for n in range(1, 31)]  # the catalogue's order
    published = {r.get("id")[4:] for r in rows if "เผยแพร่แล้ว" in r.text_content()}
    assert {"O3", "O16", "O24"} <= published and not published & {"O20", "O23", "O26"}  # drafts are not public
    assert f'href="/public/kokphutsa/ita/{YEAR}/O16"' in page.text and "การเปิดเผยข้อมูล" in page.text
    assert _plain_english(page.text) == [], _plain_english(page.text)
    for missing in (f"/public/kokphutsa/ita/{YEAR + 1}", "/public/nowhere/ita/2570", "/public/kokphutsa/ita/25x0"):
        response = client.get(missing)
        assert response.status_code == 404 and 'class="card error-page"' in response.text, missing
        assert 'href="/verify">ตรวจสอบเอกสาร</a>' in response.text  # the public menu on the error page
    assert client.get(f"/public/kokphutsa-2/ita/{YEAR}").status_code == 404  # no catalogue adopted
    assert client.get(f"/public/kokphutsa/ita/{YEAR}/O99").status_code == 404


def test_the_public_item_page_shows_the_files_their_hashes_and_who_asked_approved_and_posted(client, year):
    row = year["rows"][year["o16"]]
    page = client.get(f"/public/kokphutsa/ita/{YEAR}/O16")
    assert page.status_code == 200
    assert _plain_english(page.text) == [], _plain_english(page.text)
    tree = lxml.html.fromstring(page.text)
    [document] = tree.xpath("//article[contains(@class, 'ita-document')]")
    text = " ".join(document.text_content().split())
    assert "ฉบับที่ใช้อยู่" in text and "นางสาวสมหญิง แดงโสภา" in text  # who asked
    assert f"อนุมัติโดย {ACTING_LINE} เมื่อ" in text  # who approved, acting, as printed
    assert "ระบบสารบรรณอิเล็กทรอนิกส์" in text  # posted by the website itself
    assert re.search(r"[๐-๙]{1,2} [ก-๙.]+ [๐-๙]{2,4}", text), text  # dates in Thai digits, BE
    assert row.announcement_sha256 in page.text
    word_file = client.get(f"/public/kokphutsa/{year['o16']}/{Path(row.announcement_path).name}")
    assert hashlib.sha256(word_file.content).hexdigest() == row.announcement_sha256  # the linked file is that one
    request = year["request"]
    assert request.docx_sha256 in page.text
    [form_link] = tree.xpath("//li[@class='publication-request']/a/@href")
    form = client.get(form_link)
    assert form.status_code == 200 and hashlib.sha256(form.content).hexdigest() == request.docx_sha256
    assert "filename*=UTF-8''" in form.headers["content-disposition"]
    assert client.get(f"/public/kokphutsa/{year['o16']}/request/..%2Fsaraban.db").status_code == 404
    assert client.get(f"/public/kokphutsa-2/{year['o16']}/request/publication-request.docx").status_code == 404
    [acknowledged] = tree.xpath("//table[contains(@class, 'ita-acknowledgements')]/tbody/tr")
    assert "นางวรรณา ศรีสุข" in acknowledged.text_content()  # the staff who acknowledged
    assert " น." not in acknowledged.text_content()  # on which day, not at what minute (personal data)
    disclosure = client.get(f"/public/kokphutsa/ita/{YEAR}/O3").text
    assert f'href="{year["url"]}/public/kokphutsa"' in disclosure
    assert "ยังไม่เผยแพร่" in client.get(f"/public/kokphutsa/ita/{YEAR}/O20").text  # a draft is not public


def test_the_item_s_address_stays_the_same_when_its_announcement_is_superseded(client, year):
    address = f"/public/kokphutsa/ita/{YEAR}/O24"
    before = client.get(address).text
    assert f'id="publication-{year["o24"]}"' in before and "ไม่ใช้แล้ว" not in before
    _, newer = _published_memo(default_engine())
    with session_scope() as session:
        cancel_publication(
            session,
            publication_id=year["o24"],
            username="kanokporn",
            pin=PIN,
            reason="ปรับปรุงมาตรการ",
            superseded_by_id=newer,
        )
    after = client.get(address)
    assert after.status_code == 200
    tree = lxml.html.fromstring(after.text)
    [current] = tree.xpath("//article[contains(@class, 'in-force')]")
    assert current.get("id") == f"publication-{newer}"
    [old] = tree.xpath("//div[@class='ita-history']//article[contains(@class, 'superseded')]")
    assert old.get("id") == f"publication-{year['o24']}" and "แทนที่ด้วยประกาศ" in old.text_content()
    listing = client.get(f"/public/kokphutsa/ita/{YEAR}").text
    assert "เผยแพร่แล้ว" in lxml.html.fromstring(listing).xpath("//tr[@id='ita-O24']")[0].text_content()


# --- the office's page -------------------------------------------------------------------------


def test_the_office_sees_its_items_by_status_with_holders_due_dates_and_coverage(client, year):
    login(client, "somying")
    assert client.get("/ita", follow_redirects=False).headers["location"] == f"/ita/{YEAR}"  # the clock's year
    page = client.get(f"/ita/{YEAR}")
    assert page.status_code == 200 and 'id="menu-ita"' in page.text
    tree = lxml.html.fromstring(page.text)
    groups = {s.get("id")[6:]: s for s in tree.xpath("//section[starts-with(@id, 'group-')]")}
    assert list(groups) == ["late", "in-approval", "drafting", "opened", "not-opened", "published"]

    def codes(group: str) -> set[str]:
        return {r.xpath("td")[0].text_content() for r in groups[group].xpath(".//tbody/tr")}

    assert codes("late") == {"O23"} and codes("in-approval") == {"O26"} and codes("drafting") == {"O20"}
    assert {"O3", "O16", "O24"} <= codes("published") and "O2" in codes("opened")
    assert len(codes("not-opened")) == 30 - 8
    assert "นางสาวกนกพร มุสพร้อม" in _row(page.text, "O26")  # the memo waits for her sign-off
    assert "นิติกรปฏิบัติการ (นางสาวสมหญิง แดงโสภา)" in _row(page.text, "O20")  # the responsible position
    overdue = working_days_between(year["now"] - dt.timedelta(days=10), utcnow(), calendar_of(year["org"]))
    assert f"เลยกำหนด {thai(overdue)} วันทำการ" in _row(page.text, "O23") and overdue > 0
    left = working_days_between(utcnow(), year["now"] + dt.timedelta(days=20), calendar_of(year["org"]))
    assert f"เหลือ {thai(left)} วันทำการ" in _row(page.text, "O20")
    assert f"http://127.0.0.1/public/kokphutsa/ita/{YEAR}/O16" in _row(page.text, "O16")  # the link for ITAS
    coverage, live = tree.xpath("//p[@id='ita-coverage']")[0].text_content(), len(codes("published"))
    assert f"{thai(live)} จาก {thai(30)} รายการ" in coverage and f"ร้อยละ {thai(round(100 * live / 30))}" in coverage


def test_a_disclosure_address_is_given_by_its_holder_and_a_bad_one_comes_back_as_typed(client, year):
    o1 = year["items"]["O1"]  # หัวหน้าสำนักปลัดเทศบาล's item: kanokporn holds the position (and is an administrator)
    login(client, "somying")
    page = client.get(f"/ita/{YEAR}").text
    assert f'name="item" value="{year["items"]["O3"]}"' in page and f'name="item" value="{o1}"' not in page
    login(client, "kanokporn")  # O2 is hers too: last year's address is offered to confirm
    [offered] = lxml.html.fromstring(client.get(f"/ita/{YEAR}").text).xpath(
        f"//input[@id='ita-url-{year['items']['O2']}']"
    )
    assert offered.get("value") == f"{year['url']}/public"
    login(client, "somying")
    token = csrf_of(client, f"/ita/{YEAR}")
    refused = client.post(f"/ita/{YEAR}/disclosure", data={"csrf_token": token, "item": o1, "url": "https://x.go.th"})
    assert refused.status_code == 403 and "เฉพาะผู้รับผิดชอบรายการนี้" in refused.text

    login(client, "kanokporn")
    token = csrf_of(client, f"/ita/{YEAR}")
    typed = "www.kokphutsa.go.th/โครงสร้าง"
    bad = client.post(f"/ita/{YEAR}/disclosure", data={"csrf_token": token, "item": o1, "url": typed})
    assert bad.status_code == 400 and "(give the whole web address" in bad.text
    [field] = lxml.html.fromstring(bad.text).xpath(f"//input[@id='ita-url-{o1}']")
    assert field.get("value") == typed and field.get("autofocus") is not None  # as typed, the cursor there
    with pytest.MonkeyPatch.context() as patch:  # an office whose websites are public: its own network is refused
        patch.setenv("SARABAN_PERSONAL_WEBHOOKS_INSIDE", "false")
        get_settings.cache_clear()
        inside = client.post(
            f"/ita/{YEAR}/disclosure", data={"csrf_token": token, "item": o1, "url": "http://127.0.0.1:4200/api"}
        )
        assert inside.status_code == 400 and "(the address is not a public website" in inside.text
        assert [r.status for r in check_links([Link("typed", f"{year['url']}/public", typed=True)])] == ["unreachable"]
        assert [r.status for r in check_links([Link("the site's own", f"{year['url']}/public")])] == ["ok"]
    get_settings.cache_clear()
    good = client.post(
        f"/ita/{YEAR}/disclosure",
        data={"csrf_token": token, "item": o1, "url": f" {year['url']}/verify "},
        follow_redirects=False,
    )
    assert good.status_code == 303
    with session_scope() as session:
        work = session.exec(select(ItaWork).where(ItaWork.item_id == o1)).one()
        assert (work.url, work.url_given_by) == (f"{year['url']}/verify", "kanokporn")
        [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == "ita.disclosure.given")).all()[-1:]
        assert json.loads(entry.data_json)["item"] == "O1"
    assert "เผยแพร่แล้ว" in _row(client.get(f"/ita/{YEAR}").text, "O1")
    refused = client.post(f"/ita/{YEAR}/disclosure", data={"item": o1, "url": "https://x.go.th"})
    assert refused.status_code == 403  # no form token


def test_an_address_written_into_the_database_is_not_shown_and_audit_verify_names_it(client, year):
    """Whoever can write the database (not the keys) points the O3 disclosure at a site of their own."""
    given = f"{year['url']}/public/kokphutsa"
    item_page = f"/public/kokphutsa/ita/{YEAR}/O3"
    assert given in client.get(item_page).text
    engine = default_engine()
    as_database_writer(
        engine,
        "UPDATE itawork SET url = 'https://kokphutsa-go-th.example/o3' WHERE item_id = :item",
        item=year["items"]["O3"],
    )
    try:
        page = client.get(item_page).text
        assert "kokphutsa-go-th.example" not in page and given not in page
        row = lxml.html.fromstring(client.get(f"/public/kokphutsa/ita/{YEAR}").text).xpath("//tr[@id='ita-O3']")[0]
        assert "เผยแพร่แล้ว" not in row.text_content()
        with session_scope() as session:
            work_id = session.exec(select(ItaWork.id).where(ItaWork.item_id == year["items"]["O3"])).one()
        assert f"itawork {work_id}: changed since audit entry" in " ".join(map(str, verify_audit(engine).problems))
    finally:
        as_database_writer(
            engine, "UPDATE itawork SET url = :url WHERE item_id = :item", url=given, item=year["items"]["O3"]
        )
    assert given in client.get(item_page).text  # as the chain records it: shown again


def test_which_memo_answers_an_item_is_history_the_database_writer_cannot_change(year):
    engine = default_engine()
    with session_scope() as session:
        link = session.exec(select(ItaWorkMemo).where(ItaWorkMemo.memo_id == year["rows"][year["o16"]].memo_id)).one()
    with pytest.raises(DatabaseError):
        as_database_writer(engine, "UPDATE itaworkmemo SET memo_id = memo_id + 1 WHERE id = :id", id=link.id)
    with pytest.raises(DatabaseError):
        as_database_writer(engine, "DELETE FROM itaworkmemo WHERE id = :id", id=link.id)


def test_another_organisation_sees_none_of_it(client, year):
    login(client, "kanokporn2")  # kokphutsa-2's administrator
    page = client.get(f"/ita/{YEAR}")
    assert page.status_code == 200 and 'id="ita-none"' in page.text and "O16" not in page.text
    token = csrf_of(client, f"/ita/{YEAR}")
    foreign = client.post(
        f"/ita/{YEAR}/disclosure", data={"csrf_token": token, "item": year["items"]["O2"], "url": "https://x.go.th"}
    )
    assert foreign.status_code == 404
    assert TestClient(create_app()).get(f"/ita/{YEAR}", follow_redirects=False).status_code == 303  # to the login


def test_the_link_checker_button_finds_a_file_altered_on_disk(year):
    # The office's page asked at the real server's address: the checker fetches that server over HTTP.
    client = TestClient(create_app(), base_url=year["url"])
    login(client, "kanokporn")
    token = csrf_of(client, f"/ita/{YEAR}")
    fine = client.post(f"/ita/{YEAR}/check-links", data={"csrf_token": token})
    assert fine.status_code == 200 and 'id="ita-link-check"' in fine.text
    assert not lxml.html.fromstring(fine.text).xpath("//div[@class='ita-link-problem']"), fine.text
    path = Path(year["rows"][year["o16"]].announcement_path)
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"altered")
        found = client.post(f"/ita/{YEAR}/check-links", data={"csrf_token": token}).text
        [problem] = lxml.html.fromstring(found).xpath("//div[@class='ita-link-problem']")
        assert problem.get("id") == "check-O16" and path.name in problem.text_content()
        assert "นำไฟล์เดิมกลับจากสำรองข้อมูล" in problem.text_content()  # what to do
    finally:
        path.write_bytes(original)
    assert client.post(f"/ita/{YEAR}/check-links", data={}).status_code == 403  # no form token


# --- the command line --------------------------------------------------------------------------


def _states_of(year) -> dict[str, str]:  # noqa: ANN001
    result = CliRunner().invoke(cli_app, ["ita", "status", "--fiscal-year", str(YEAR), "--org", "kokphutsa", "--json"])
    assert result.exit_code == 0, result.output
    return {line["code"]: line for line in json.loads(result.output)}


def test_ita_status_and_export_list_every_item_with_its_state(year, tmp_path):
    lines = _states_of(year)
    assert list(lines) == [f"O{n}" for n in range(1, 31)]
    assert {code: lines[code]["status"] for code in ("O3", "O16", "O20", "O23", "O26", "O5")} == {
        "O3": "published",
        "O16": "published",
        "O20": "drafting",
        "O23": "opened",
        "O26": "in-approval",
        "O5": "not-opened",
    }
    assert lines["O23"]["late"] and not lines["O20"]["late"]
    assert "นางสาวกนกพร มุสพร้อม" in lines["O26"]["holder"]
    assert lines["O16"]["url"] == f"/public/kokphutsa/ita/{YEAR}/O16"  # no public base configured: the site's path

    runner = CliRunner()
    csv_file, xlsx_file = tmp_path / "ita.csv", tmp_path / "ita.xlsx"
    for out in (csv_file, xlsx_file):
        result = runner.invoke(
            cli_app, ["ita", "export", "--fiscal-year", thai(YEAR), "--org", "kokphutsa", "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
    raw = csv_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    table = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    sheet = load_workbook(xlsx_file).active
    cells = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == table  # the same lines in both
    header, *rows = table
    assert header[0] == "รหัส (code)" and len(rows) == 30
    by_code = {r[0]: r for r in rows}
    assert by_code["O16"][4] == "เผยแพร่แล้ว" and by_code["O16"][6]  # published, with its date
    assert by_code["O20"][4] == "กำลังร่าง" and by_code["O26"][4] == "อยู่ระหว่างเสนอ"
    assert by_code["O23"][4] == "ยังไม่เริ่ม (เลยกำหนด)" and by_code["O5"][4] == "ยังไม่เปิดงาน"
    assert by_code["O16"][3].endswith(f"/public/kokphutsa/ita/{YEAR}/O16")
    refused = runner.invoke(
        cli_app, ["ita", "export", "--fiscal-year", str(YEAR), "--org", "kokphutsa", "--out", "x.ods"]
    )
    assert refused.exit_code != 0 and ".csv หรือ .xlsx" in refused.output


def test_ita_check_links_exits_1_naming_a_broken_link(year):
    runner = CliRunner()
    command = ["ita", "check-links", "--fiscal-year", str(YEAR), "--org", "kokphutsa", "--base-url", year["url"]]
    fine = runner.invoke(cli_app, command)
    assert fine.exit_code == 0, fine.output
    path = Path(year["rows"][year["o16"]].announcement_path)
    original = path.read_bytes()
    try:
        path.write_bytes(b"not the published file")
        broken = runner.invoke(cli_app, command)
    finally:
        path.write_bytes(original)
    assert broken.exit_code == 1
    assert f"O16\tประกาศ (Word)\t{year['url']}/public/kokphutsa/{year['o16']}/{path.name}" in broken.output
    assert runner.invoke(cli_app, command[:-2]).exit_code != 0  # no public address known: told to give one


# Last in the module: the row it inserts cannot be taken back (insert-only).
def test_a_memo_linked_to_an_item_in_the_database_is_not_shown_on_its_page(client, year):
    """Whoever can write the database (not the keys) files another published memo under O20."""
    page = f"/public/kokphutsa/ita/{YEAR}/O20"
    assert "ยังไม่เผยแพร่" in client.get(page).text
    with session_scope() as session:
        o20 = session.exec(select(ItaWork.id).where(ItaWork.item_id == year["items"]["O20"])).one()
        spare = session.exec(select(Publication).where(Publication.memo_id == year["spare_memo"])).one()
    engine = default_engine()
    as_database_writer(
        engine,
        "INSERT INTO itaworkmemo (work_id, memo_id, recorded_at) VALUES (:work, :memo, :at)",
        work=o20,
        memo=year["spare_memo"],
        at=dt.datetime(2026, 12, 7, 7, 0),
    )
    text = client.get(page).text
    assert "ยังไม่เผยแพร่" in text and spare.announcement_sha256 not in text
    row = lxml.html.fromstring(client.get(f"/public/kokphutsa/ita/{YEAR}").text).xpath("//tr[@id='ita-O20']")[0]
    assert "เผยแพร่แล้ว" not in row.text_content()
    assert any(p.table == "itaworkmemo" and "has no audit entry" in p.what for p in verify_audit(engine).problems), (
        verify_audit(engine).problems
    )
