"""The public site as a citizen reads it: plain Thai, files saved under their names as on paper,
who signed in one line and the technical record behind "รายละเอียดการตรวจสอบ", the last sign-off
called อนุมัติ with the capacity printed once, no English beyond the deliberate glosses, the site's
menu on error pages; and ตรวจสอบเอกสาร (/verify), where anyone checks a file or a number and is
told in plain Thai whether it is the published one, in Debian's Chromium as well.

One office of its own (no Prefect): announcements A (cancelled), B (superseded by C) and C
(in force), published by the domain functions (LibreOffice makes, the office's key signs the
PDFs), and a memo D never published. And the link checker an office runs on what it published."""

import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from deployments.local_server import free_port
from documents.pdf.soffice import soffice_available
from models import Memo, Organisation, Publication
from models.db import default_engine, session_scope
from models.settings import get_settings
from services.publication.cancellation import cancel_publication
from services.publication.link_check import ALTERED as ALTERED_LINK
from services.publication.link_check import UNREACHABLE, Link, check_links, publication_links
from services.publication.publication import publish
from tests.builders import PIN, load_kokphutsa, memo_in_review, sign, submitted_memo
from tests.conftest import copy_of_migrated
from tests.web.conftest import login
from tests.web.test_browser import ARTIFACTS, browser  # noqa: F401  (the same browser)
from web.app import create_app
from web.body_limit import VERIFY_FORM_BYTES
from web.server import web_in_background

pytestmark = pytest.mark.skipif(
    not (soffice_available() and shutil.which("pdfsig")), reason="needs LibreOffice (soffice) and poppler's pdfsig"
)
TITLE = "ประกาศเทศบาลตำบลโคกพุทรา เรื่อง มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน"
ACTING_LINE = "ว่าที่ร้อยตรี ภาคภูมิ อนุศาสตร์ ปลัดเทศบาล ปฏิบัติหน้าที่ นายกเทศมนตรีตำบลโคกพุทรา"
PUBLIC_MENU = ('href="/public', 'href="/verify">ตรวจสอบเอกสาร</a>', 'href="/login">')
GENUINE = "เป็นเอกสารฉบับที่เผยแพร่จริง และไม่ถูกแก้ไข"
ALTERED = "เอกสารนี้ถูกแก้ไข ไม่ตรงกับฉบับที่เผยแพร่"
CANCELLED = "เป็นเอกสารที่เผยแพร่จริง แต่ประกาศนี้ถูกยกเลิกแล้ว"
SUPERSEDED = "เป็นเอกสารที่เผยแพร่จริง แต่มีประกาศฉบับใหม่แทนที่แล้ว"

# Latin words a citizen may meet on a public page, on purpose: the product's name, file kinds a
# person knows, the hash named in the technical record. Everything else is Thai.
ALLOWED_WORDS = {"Saraban", "PDF", "Word", "SHA-256"}
# Whole glosses kept on purpose: a refused form says what to fix in Thai and English (the house rule).
ALLOWED_GLOSSES = (
    "(only a PDF or .docx file can be checked)",
    "(type the whole number as printed, e.g. อท 53701.4/30)",
)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9.\-]*")


@pytest.fixture(scope="module")
def office(tmp_path_factory, migrated_templates) -> Iterator[dict]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SARABAN_HOME", str(tmp_path_factory.mktemp("citizens")))
        for name in ("SARABAN_DATABASE_URL", "SARABAN_DOCUMENTS_DIR", "SARABAN_KEYS_DIR"):
            patch.delenv(name, raising=False)
        get_settings.cache_clear()
        default_engine.cache_clear()
        engine = default_engine()
        copy_of_migrated(get_settings().resolved_database_url, migrated_templates)
        load_kokphutsa(engine)
        ids = []
        for _ in range(3):
            memo = memo_in_review(engine)
            for username in ("kanokporn", "phakphum", "phakphum"):
                sign(engine, memo.id, username)
            with session_scope(engine) as session:
                ids.append(publish(session, memo_id=memo.id).id)
        a, b, c = ids
        with session_scope(engine) as session:
            cancel_publication(session, publication_id=a, username="kanokporn", pin=PIN, reason="ระบุวันที่ผิด")
            cancel_publication(
                session, publication_id=b, username="kanokporn", pin=PIN, reason="ปรับปรุงมาตรการ", superseded_by_id=c
            )
        unpublished = submitted_memo(engine).id
        with session_scope(engine) as session:
            rows = {i: session.get(Publication, i) for i in ids}
            numbers = {i: session.get(Memo, rows[i].memo_id).register_number for i in ids}
            numbers["unpublished"] = session.get(Memo, unpublished).register_number
        with web_in_background(create_app(), free_port()) as url:
            yield {"a": a, "b": b, "c": c, "rows": rows, "numbers": numbers, "url": url}
        default_engine().dispose()
    get_settings.cache_clear()
    default_engine.cache_clear()


@pytest.fixture
def client(office) -> TestClient:
    return TestClient(create_app(), base_url="http://127.0.0.1")


def visible_text(page: str) -> str:
    """What a reader sees (a disclosure opened): text and placeholders, without machine text
    (<code>, <samp>: hashes, certificate subjects, commands) and the head."""
    root = lxml.html.fromstring(page)
    for element in root.xpath("//head | //script | //style | //code | //samp | //kbd"):
        element.drop_tree()
    attributes = " ".join(root.xpath("//@placeholder | //@title | //@aria-label | //@alt"))
    return f"{root.text_content()} {attributes}"


def english_in(page: str) -> list[str]:
    text = visible_text(page)
    for gloss in ALLOWED_GLOSSES:
        text = text.replace(gloss, " ")
    return [word for word in LATIN_WORD.findall(text) if word.rstrip(".") not in ALLOWED_WORDS]


def technical(page: str) -> str:
    """The text behind "รายละเอียดการตรวจสอบ", machine text included."""
    return " ".join(d.text_content() for d in lxml.html.fromstring(page).xpath("//details[@class='technical']"))


def outside_technical(page: str) -> str:
    root = lxml.html.fromstring(page)
    for element in root.xpath("//details[@class='technical']"):
        element.drop_tree()
    return root.text_content()


def saved_name(response) -> str:  # noqa: ANN001
    disposition = response.headers["content-disposition"]
    return unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition)[1])


def test_files_are_saved_under_their_names_as_on_paper_each_its_own(client, office):
    page = client.get("/public/kokphutsa").text
    links = lxml.html.fromstring(page).xpath("//ul[@class='public-files']//a")
    assert len(links) == 6  # .docx and PDF of three announcements
    names = []
    for link in links:
        response = client.get(link.get("href"))
        assert response.status_code == 200
        name = saved_name(response)
        assert name == link.get("download")  # the link says the same name
        assert name.startswith("ประกาศเทศบาลตำบลโคกพุทรา-เรื่อง-มาตรการให้ผู้มีส่วนได้ส่วนเสีย"), name
        assert "announcement" not in name and len(name.encode()) <= 255, name
        assert 'filename="kokphutsa-announcement-' in response.headers["content-disposition"]  # ASCII, unique too
        names.append(name)
        publication = office["rows"][int(link.get("href").split("/")[3])]
        recorded = publication.announcement_pdf_sha256 if name.endswith(".pdf") else publication.announcement_sha256
        assert hashlib.sha256(response.content).hexdigest() == recorded
    assert len(set(names)) == 6, names  # three announcements of one subject: no two saved alike
    running = office["numbers"][office["c"]].rsplit("/", 1)[1]
    assert any(n.endswith(f"-ที่{running}-ปีงบประมาณ{thai_year(office)}.pdf") for n in names)
    assert client.get(f"/public/kokphutsa/{office['c']}/..%2F..%2Fsaraban.db").status_code == 404


def thai_year(office) -> str:  # noqa: ANN001
    with session_scope() as session:
        year = session.get(Memo, office["rows"][office["c"]].memo_id).fiscal_year
    return str(year).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


def test_who_signed_in_one_line_and_the_technical_record_behind_the_disclosure(client, office):
    row = office["rows"][office["c"]]
    for path in ("/public/kokphutsa", f"/public/kokphutsa/{office['c']}"):
        page = client.get(path).text
        assert "ไฟล์ประกาศ (PDF) ลงนามอิเล็กทรอนิกส์โดยเทศบาลตำบลโคกพุทรา" in outside_technical(page)
        behind = technical(page)
        for detail in (
            row.signing_certificate_sha256,
            "CN=",
            row.announcement_pdf_sha256,
            "sha256sum",
            "saraban verify",
        ):
            assert detail in behind, (path, detail)
            assert detail not in outside_technical(page), (path, detail)
        assert "<summary>รายละเอียดการตรวจสอบ</summary>" in page
        assert '<details class="technical" open' not in page  # closed until the reader opens it
        assert 'href="/verify"' in page  # and the page a citizen checks a file on


def test_the_last_sign_off_approves_and_each_capacity_is_printed_once(client, office):
    page = client.get(f"/public/kokphutsa/{office['c']}").text
    steps = [li.text_content() for li in lxml.html.fromstring(page).xpath("//ul[@class='approvals']/li")]
    assert len(steps) == 3
    assert all("เห็นชอบโดย" in s and "อนุมัติ" not in s for s in steps[:-1]), steps
    assert f"อนุมัติโดย {ACTING_LINE} เมื่อ" in steps[-1] and "เห็นชอบ" not in steps[-1]
    assert all(s.count("ปฏิบัติหน้าที่") <= 1 for s in steps), steps
    listing = client.get("/public/kokphutsa").text
    [approved] = {p.text_content().strip() for p in lxml.html.fromstring(listing).xpath("//p[@class='approved-by']")}
    assert approved.startswith(f"อนุมัติโดย {ACTING_LINE} เมื่อ") and approved.count("ปฏิบัติหน้าที่") == 1


def test_no_english_on_the_public_pages_beyond_the_deliberate_glosses(client, office):
    pdf = Path(office["rows"][office["c"]].announcement_pdf_path).read_bytes()
    pages = {
        "offices": client.get("/public"),
        "list": client.get("/public/kokphutsa"),
        "searched": client.get("/public/kokphutsa", params={"q": "ไม่มีคำนี้"}),
        "announcement": client.get(f"/public/kokphutsa/{office['c']}"),
        "cancelled": client.get(f"/public/kokphutsa/{office['a']}"),
        "heads": client.get("/public/kokphutsa/heads"),
        "verify": client.get("/verify"),
        "verify-number": client.get("/verify", params={"number": office["numbers"][office["b"]]}),
        "verify-none": client.get("/verify", params={"number": "อท 1/1"}),
        "verify-digits": client.get("/verify", params={"number": "30"}),
        "verify-file": client.post("/verify", files={"file": ("a.pdf", pdf, "application/pdf")}),
        "verify-not-a-document": client.post("/verify", files={"file": ("a.txt", b"hello", "text/plain")}),
    }
    found = {name: english_in(response.text) for name, response in pages.items()}
    assert found == {name: [] for name in pages}, {name: words for name, words in found.items() if words}
    assert english_in("<p>ตรวจ verify (only a PDF or .docx file can be checked) PDF</p>") == ["verify"]  # it can fail


def test_error_pages_carry_the_site_s_menu(client, office, monkeypatch):
    for path in ("/nowhere", f"/public/kokphutsa/{office['c'] + 100}", "/verify/nowhere"):
        response = client.get(path)
        assert response.status_code == 404 and 'class="card error-page"' in response.text, path
        assert all(link in response.text for link in PUBLIC_MENU), path
    assert 'href="/public/kokphutsa">ประกาศ</a>' not in client.get("/nowhere").text  # no office: all of them
    login(client, "kanokporn")
    for path, status in (("/memos/99999", 404), ("/memos/abc", 422)):
        page = client.get(path)
        assert page.status_code == status and 'class="card error-page"' in page.text, path
        assert 'href="/memos/new">เขียนบันทึก</a>' in page.text and 'action="/logout"' in page.text, path
    refused = client.post("/memos/new", data={"subject": "x"})  # no form token
    assert refused.status_code == 403 and 'action="/logout"' in refused.text
    public = client.get(f"/public/kokphutsa/{office['c'] + 100}")  # the public site stays the same for all
    assert public.status_code == 404 and 'action="/logout"' not in public.text and "csrf_token" not in public.text

    def broken(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("web.routes.front_page._lists", broken)
    failing = TestClient(create_app(), base_url="http://127.0.0.1", raise_server_exceptions=False)
    login(failing, "kanokporn")
    page = failing.get("/")
    assert page.status_code == 500 and "ระบบขัดข้อง" in page.text and "disk on fire" not in page.text
    assert 'href="/memos/new">เขียนบันทึก</a>' in page.text
    monkeypatch.setattr("web.routes.public.published", broken)
    public_failure = failing.get("/public/kokphutsa")
    assert public_failure.status_code == 500 and all(link in public_failure.text for link in PUBLIC_MENU)
    assert 'action="/logout"' not in public_failure.text


def test_a_too_large_upload_is_refused_on_a_page_of_the_site(client, office, monkeypatch):
    over = b"%PDF-" + b"0" * VERIFY_FORM_BYTES  # over the limit before any route reads it
    refused = client.post("/verify", files={"file": ("big.pdf", over, "application/pdf")})
    assert refused.status_code == 413 and 'class="card error-page"' in refused.text
    assert all(link in refused.text for link in PUBLIC_MENU)
    monkeypatch.setattr("web.routes.verify_page.VERIFY_MAX_BYTES", 4096)  # by the route: the form again
    again = client.post("/verify", files={"file": ("big.pdf", b"%PDF-" + b"0" * 8000, "application/pdf")})
    assert again.status_code == 413 and "ไฟล์ใหญ่เกิน" in again.text and 'id="verify-file"' in again.text
    for nothing in (
        client.post("/verify", files={"file": ("", b"", "application/octet-stream")}),  # no file chosen
        client.post("/verify", files={"file": ("empty.pdf", b"", "application/pdf")}),
        client.post("/verify", data={"other": "x"}),
    ):
        assert nothing.status_code == 400 and "กรุณาเลือกไฟล์" in nothing.text


def test_a_number_tells_whether_the_announcement_holds_and_never_finds_unpublished_work(client, office):
    def answer(typed: str) -> str:
        response = client.get("/verify", params={"number": typed})
        assert response.status_code == 200, response.text[:500]
        return lxml.html.fromstring(response.text).xpath("//section[@id='verdict']")[0].text_content()

    numbers = office["numbers"]
    arabic = numbers[office["c"]].translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
    held = answer(f"  {arabic.replace(' ', '')} ")  # Arabic digits, no space: the same number
    assert "ประกาศนี้เผยแพร่แล้ว และยังมีผล" in held and f"อนุมัติโดย {ACTING_LINE}" in held
    assert "ถูกยกเลิกแล้ว" in answer(numbers[office["a"]]) and "ระบุวันที่ผิด" in answer(numbers[office["a"]])
    superseded = answer(numbers[office["b"]])
    assert "มีประกาศฉบับใหม่แทนที่ประกาศนี้แล้ว" in superseded and numbers[office["c"]] in superseded
    assert "ยังมีผล" in answer(f"http://example.test/public/kokphutsa/{office['c']}")  # the page's address
    assert "ยังมีผล" in answer(office["rows"][office["c"]].announcement_pdf_sha256)  # a hash on the page
    assert "ไม่พบประกาศที่เผยแพร่" in answer(numbers["unpublished"])  # a memo never published: nothing
    assert "ไม่พบประกาศที่เผยแพร่" in answer(office["rows"][office["c"]].memo_pdf_sha256)  # an internal file's hash
    assert client.get("/verify", params={"number": "30"}).status_code == 400


def test_uploaded_files_get_plain_answers(client, office):
    rows = office["rows"]

    def answer(data: bytes) -> str:
        response = client.post("/verify", files={"file": ("../../etc/passwd", data, "application/pdf")})
        assert response.status_code == 200, response.text[:500]
        return lxml.html.fromstring(response.text).xpath("//section[@id='verdict']")[0].text_content()

    genuine = answer(Path(rows[office["c"]].announcement_pdf_path).read_bytes())
    assert GENUINE in genuine and TITLE in genuine and f"อนุมัติโดย {ACTING_LINE}" in genuine
    # A .docx carries no time: the three announcements' are one file, the first published's (cancelled).
    assert CANCELLED in answer(Path(rows[office["a"]].announcement_path).read_bytes())
    superseded = answer(Path(rows[office["b"]].announcement_pdf_path).read_bytes())
    assert SUPERSEDED in superseded and "ปรับปรุงมาตรการ" in superseded
    assert (
        f'href="/public/kokphutsa/{office["c"]}"'
        in client.post(
            "/verify", files={"file": ("b.pdf", Path(rows[office["b"]].announcement_pdf_path).read_bytes())}
        ).text
    )
    assert "ไม่พบเอกสารนี้ในประกาศที่เผยแพร่" in answer(b"%PDF-1.7\n%nothing signed here\n")
    refused = client.post("/verify", files={"file": ("x.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert refused.status_code == 400 and "ตรวจได้เฉพาะไฟล์ PDF หรือ Word" in refused.text


@pytest.mark.browser
def test_a_citizen_checks_a_published_an_altered_and_a_cancelled_file_in_chromium(browser, office, tmp_path):  # noqa: F811
    rows = office["rows"]
    genuine = Path(rows[office["c"]].announcement_pdf_path)
    altered = tmp_path / "ประกาศที่ได้รับ.pdf"
    data = bytearray(genuine.read_bytes())
    data[data.index(b"stream\n", len(data) // 4) + 20] ^= 0x01  # one byte of a page, under the signature
    altered.write_bytes(bytes(data))
    cancelled = Path(rows[office["a"]].announcement_pdf_path)
    answers = {"genuine": (genuine, GENUINE), "altered": (altered, ALTERED), "cancelled": (cancelled, CANCELLED)}
    for viewport in ({"width": 390, "height": 844}, {"width": 1366, "height": 900}):
        context = browser.new_context(viewport=viewport, locale="th-TH")
        page = context.new_page()
        page.goto(f"{office['url']}/public/kokphutsa")
        page.click("header .public-menu >> text=ตรวจสอบเอกสาร")  # from the public page's menu
        expect(page).to_have_title("ตรวจสอบเอกสาร · Saraban")
        for name, (path, words) in answers.items():
            page.set_input_files("#file", str(path))
            page.click("#verify-file button[type=submit]")
            expect(page.locator("#verdict h2")).to_contain_text(words)
            assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
            page.screenshot(path=str(ARTIFACTS / f"verify-{name}-{viewport['width']}.png"), full_page=True)
        expect(page.locator("#verdict")).to_contain_text("ระบุวันที่ผิด")  # the cancelled one: why
        context.close()


def test_the_link_checker_finds_a_file_altered_on_disk_and_a_page_gone(office):
    """What an office runs before giving its links to ITAS: every address of a publication
    answers over HTTP, and each file served is the one recorded when it was published."""
    with session_scope() as session:
        publication = session.get(Publication, office["c"])
        org = session.get(Organisation, session.get(Memo, publication.memo_id).organisation_id)
        links = publication_links(session, org, publication, office["url"])
    assert {link.label for link in links} >= {"หน้าประกาศ (announcement page)", "ประกาศ (Word)", "ประกาศ (PDF)"}
    assert all(result.ok for result in check_links(links)), check_links(links)

    docx_file = Path(publication.announcement_path)
    kept = docx_file.read_bytes()
    gone = Link("หน้าประกาศ", f"{office['url']}/public/{org.code}/999999")
    try:
        docx_file.write_bytes(kept + b"\0")  # altered on disk, as by someone with access to the server
        results = {result.link.label: result for result in check_links([*links, gone])}
    finally:
        docx_file.write_bytes(kept)
    assert (
        results["ประกาศ (Word)"].status == ALTERED_LINK
        and "restore it from a backup" in results["ประกาศ (Word)"].detail
    )
    assert results["ประกาศ (PDF)"].ok and results["หน้าประกาศ (announcement page)"].ok
    assert results["หน้าประกาศ"].status == UNREACHABLE and "404" in results["หน้าประกาศ"].detail
