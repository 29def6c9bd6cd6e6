"""The publication request (แบบฟอร์มการขออนุญาตเผยแพร่ข้อมูลผ่านเว็บไซต์ของหน่วยงาน) made from the records of
a real publication: the .docx reopened, LibreOffice's PDF read back (one page, Thai digits, BE
dates) and its signature checked against the office's certificate; made once; kept as history."""

import shutil
from collections.abc import Iterator

import docx
import pytest
from sqlalchemy.exc import DatabaseError
from sqlmodel import select

from documents.pdf.signature import check_pdf_signature
from documents.pdf.soffice import soffice_available
from documents.pdf.text import pdf_page_texts
from models import AuditEntry, Publication, PublicationRequest
from models.db import session_scope
from models.settings import get_settings
from services.publication.publication import prepare_files, publish
from services.publication.publication_request import make_publication_request
from tests.builders import as_database_writer, load_kokphutsa, memo_in_review, sign

pytestmark = pytest.mark.skipif(
    not (soffice_available() and shutil.which("pdftotext")), reason="needs LibreOffice (soffice) and poppler"
)
ACTING = "ภาคภูมิ อนุศาสตร์"


@pytest.fixture
def published(engine, tmp_path, monkeypatch) -> Iterator[Publication]:
    monkeypatch.setenv("SARABAN_HOME", str(tmp_path / "home"))
    for name in ("SARABAN_DOCUMENTS_DIR", "SARABAN_KEYS_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SARABAN_PUBLIC_BASE_URL", "https://kokphutsa.go.th")
    get_settings.cache_clear()
    load_kokphutsa(engine)
    memo = memo_in_review(engine)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo.id, username)
    files = prepare_files(memo.id, engine=engine)
    with session_scope(engine) as session:
        publication = publish(session, memo_id=memo.id, prepared=files)
    yield publication
    get_settings.cache_clear()


def test_the_request_names_who_asked_approved_and_posted_and_is_signed_by_the_office(engine, published):
    request = make_publication_request(published.id, engine=engine)
    again = make_publication_request(published.id, engine=engine)
    assert again.id == request.id  # made once
    address = f"https://kokphutsa.go.th/public/kokphutsa/{published.id}"
    assert request.address == address

    form = docx.Document(request.docx_path)
    text = "\n".join(p.text for p in form.paragraphs)
    # Names and dates are bound with no-break spaces (documents.docx.nonbreaking): read as spaces.
    cells = "\n".join(c.text for t in form.tables for r in t.rows for c in r.cells).replace("\xa0", " ")
    assert "แบบฟอร์มการขออนุญาตเผยแพร่ข้อมูลผ่านเว็บไซต์ของหน่วยงาน" in text
    assert "เทศบาลตำบลโคกพุทรา" in cells and address in cells and published.announcement_sha256 in cells
    assert "นางสาวสมหญิง" in cells  # the drafter asked
    assert ACTING in cells and "ปฏิบัติหน้าที่" in cells  # the last signer approved, acting
    assert "ระบบสารบรรณอิเล็กทรอนิกส์" in cells  # the website posted it by itself
    assert "ได้รับการอนุมัติเมื่อวันที่" in cells and "พ.ศ. ๒๕" in cells  # BE dates in Thai digits

    (page,) = pdf_page_texts(request.pdf_path)  # one page
    assert "แบบฟอร์มการขออนุญาตเผยแพร่ข้อมูล" in page and "๒๕" in page  # BE years in Thai digits
    with open(request.pdf_path, "rb") as stream:
        signed = stream.read()
    check = check_pdf_signature(signed, trusted_certificate_pem=published.signing_certificate_pem.encode())
    assert check.intact and check.valid and check.trusted, check.problem
    with session_scope(engine) as session:
        actions = session.exec(select(AuditEntry.action).where(AuditEntry.action == "publication.request-made")).all()
    assert actions == ["publication.request-made"]

    with pytest.raises(DatabaseError):  # history: a database writer cannot change what it says
        as_database_writer(engine, "UPDATE publicationrequest SET address = 'https://elsewhere.example'")
    with session_scope(engine) as session:
        assert session.exec(select(PublicationRequest.address)).one() == address
