"""Orders (คำสั่ง), circulars (หนังสือเวียน) and report memos through the one chain: one memo of
each kind is sent, prepared, signed by the demo's people (the last step by the deputy acting for
the mayor: the acting line) and published, once for the module (LibreOffice takes seconds); its
.docx is reopened with python-docx, its PDF's text and pages read with poppler, and the PAdES
signature checked with pyHanko, as test_signed_publication does for the announcement."""

import json
import shutil
from pathlib import Path

import docx
import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy.exc import DatabaseError
from sqlmodel import select

from documents.pdf.signature import check_pdf_signature
from documents.pdf.soffice import soffice_available
from documents.pdf.text import pdf_page_texts
from documents.thai_format import thai_date_full, to_thai_digits
from models import AcknowledgementRequest, AuditEntry, Memo, Publication, PublicationRequest
from models.clock import office_date
from models.db import default_engine, make_engine, session_scope
from models.document_kinds import DocumentKind
from models.document_register import take_document_number
from models.draft import MemoDraft
from models.settings import get_settings
from services.memo_life.memos import submit_memo
from services.printing.document_context import current_revision, memo_context
from services.publication.frozen_pdfs import sha256_of
from services.publication.publication import prepare_files, publish
from services.publication.publication_request import make_publication_request
from services.publication.signing_keys import signing_key_files
from tests.builders import PIN, as_database_writer, load_kokphutsa, prepare, sign
from tests.conftest import copy_of_migrated
from tests.documents.docx_inspect import all_paragraph_texts

pytestmark = pytest.mark.skipif(
    not (soffice_available() and shutil.which("pdftotext")), reason="needs LibreOffice and poppler"
)
ORG = "เทศบาลตำบลโคกพุทรา"
ACTING = "ปฏิบัติหน้าที่"  # the deputy signs the last step for the mayor (examples/kokphutsa)
MEMO = {
    "unit": "office",
    "addressee": "นายกเทศมนตรีตำบลโคกพุทรา",
    "origin": "ตามที่เทศบาลต้องดำเนินการตามมาตรการป้องกันการทุจริต",
    "facts": "สำนักปลัดได้จัดทำร่างเอกสารเสร็จแล้ว",
    "legal_basis": ["ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ พ.ศ. ๒๕๒๖"],
    "considerations": "เห็นควรดำเนินการตามเสนอ",
}


def written(subject: str, **extra: object) -> dict:
    return {
        "template": "general",
        "general": {
            "subject": subject,
            "preamble": ["เพื่อให้การปฏิบัติงานเป็นไปด้วยความเรียบร้อย"],
            "items": [{"text": "ให้หัวหน้าส่วนราชการกำกับดูแล"}, {"text": "ให้รายงานผลทุกหกเดือน"}],
            **extra,
        },
    }


DRAFTS = {
    "order-1": {**MEMO, "subject": "ขอออกคำสั่งแต่งตั้งคณะทำงาน", "kind": "คำสั่ง",
                "announcement": written("แต่งตั้งคณะทำงานเผยแพร่ข้อมูล")},
    "order-2": {**MEMO, "subject": "ขอออกคำสั่งมอบหมายงาน", "kind": "order",
                "announcement": written("มอบหมายผู้รับผิดชอบเว็บไซต์")},
    "circular": {**MEMO, "subject": "ขอแจ้งเวียนมาตรการ", "kind": "หนังสือเวียน",
                 "announcement": written("มาตรการป้องกันการรับสินบน", addressee="พนักงานเทศบาลทุกคน")},
    "report": {**MEMO, "subject": "รายงานผลการดำเนินการตามมาตรการเผยแพร่ข้อมูล", "kind": "report"},
    "announcement": {**MEMO, "subject": "ขอออกประกาศ", "announcement": written("มาตรการเผยแพร่ข้อมูล")},
}  # fmt: skip


@pytest.fixture(scope="module")
def published(tmp_path_factory, migrated_templates):
    """Each draft sent, prepared, signed at its three steps and published, in DRAFTS' order."""
    root = tmp_path_factory.mktemp("kinds")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SARABAN_HOME", str(root / "home"))
        patch.delenv("SARABAN_KEYS_DIR", raising=False)
        get_settings.cache_clear()
        default_engine.cache_clear()
        url = f"sqlite:///{root / 'saraban.db'}"
        copy_of_migrated(url, migrated_templates)
        engine = make_engine(url)
        load_kokphutsa(engine)
        results = {}
        for name, fields in DRAFTS.items():
            with session_scope(engine) as session:
                memo = submit_memo(
                    session,
                    username="somying",
                    pin=PIN,
                    draft=MemoDraft.model_validate(fields),
                    proofread_confirmed=True,
                )
            prepare(engine, memo.id, as_intended=True)
            for username in ("kanokporn", "phakphum", "phakphum"):
                sign(engine, memo.id, username)
            files = prepare_files(memo.id, engine=engine)
            with session_scope(engine) as session:
                publication = publish(session, memo_id=memo.id, prepared=files)
                session.expunge(publication)
            results[name] = publication
        yield engine, results
        engine.dispose()
        get_settings.cache_clear()
        default_engine.cache_clear()


def docx_text(publication: Publication) -> list[str]:
    return all_paragraph_texts(Path(publication.announcement_path).read_bytes())


def year_be() -> str:
    return to_thai_digits(office_date().year + 543)


def test_orders_are_numbered_per_calendar_year_in_their_own_register(published):
    engine, results = published
    assert (results["order-1"].document_number, results["order-2"].document_number) == (
        f"๑/{year_be()}",
        f"๒/{year_be()}",
    )
    assert results["announcement"].document_number == ""  # an announcement has none, as before
    assert results["circular"].document_number.endswith("/ว ๑")  # its own register, not the orders'
    with session_scope(engine) as session:
        memos = session.exec(select(Memo).order_by(Memo.id)).all()
        # The memos' own register (per fiscal year) went on as before: one number each, in turn.
        assert [m.register_number.split("/")[-1] for m in memos] == ["๑", "๒", "๓", "๔", "๕"]
        this_year = office_date()
        # Later in the same calendar year (past 1 October, where a fiscal register restarts) the
        # count goes on; January of the next starts again at ๑. Rolled back: nothing kept.
        taken = [
            take_document_number(
                session, organisation_id=memos[0].organisation_id, kind="order", year=year, memo_id=m.id, subject="x"
            )
            for year, m in ((this_year.year + 543, memos[3]), (this_year.year + 544, memos[4]))
        ]
        assert taken == [3, 1]
        session.rollback()


def test_the_order_prints_the_regulations_layout(published):
    _, results = published
    order = results["order-1"]
    assert order.document_kind == "order" and order.announcement_title == f"คำสั่ง{ORG} เรื่อง แต่งตั้งคณะทำงานเผยแพร่ข้อมูล"
    text = docx_text(order)
    heading = text[text.index(f"คำสั่ง{ORG}") :]
    assert heading[:3] == [f"คำสั่ง{ORG}", f"ที่ ๑/{year_be()}", "เรื่อง แต่งตั้งคณะทำงานเผยแพร่ข้อมูล"]
    assert "๑. ให้หัวหน้าส่วนราชการกำกับดูแล" in text and "๒. ให้รายงานผลทุกหกเดือน" in text
    assert "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป" in text
    assert f"สั่ง ณ วันที่ {thai_date_full(order.announcement_date)}" in text
    assert any(line.endswith(ACTING) for line in text) and "นายกเทศมนตรีตำบลโคกพุทรา" in text


def test_the_circular_is_a_letter_numbered_with_wo(published):
    engine, results = published
    circular = results["circular"]
    assert circular.is_circular and not results["order-1"].is_circular
    with session_scope(engine) as session:  # published, every member of the staff is asked to acknowledge it
        asked = {r.memo_id: r.scope for r in session.exec(select(AcknowledgementRequest))}
    assert asked == {circular.memo_id: "everyone"}
    text = docx_text(circular)
    assert f"ที่ {circular.document_number}\t{ORG}" in text
    assert circular.document_number.startswith("อท ") and "0" not in circular.document_number
    assert "เรื่อง มาตรการป้องกันการรับสินบน" in text and "เรียน พนักงานเทศบาลทุกคน" in text
    assert "จึงเรียนมาเพื่อโปรดทราบและถือปฏิบัติ" in text and "ขอแสดงความนับถือ" in text
    assert any(line.endswith(ACTING) for line in text)


def test_the_report_memos_last_step_acknowledges_and_the_report_is_published(published):
    engine, results = published
    report = results["report"]
    assert report.document_kind == "report" and report.announcement_title.startswith("รายงาน เรื่อง ")
    with session_scope(engine) as session:
        memo = session.get(Memo, report.memo_id)
        entries = session.exec(
            select(AuditEntry.data_json)
            .where(AuditEntry.subject == f"memo:{memo.id}", AuditEntry.action == "signoff.recorded")
            .order_by(AuditEntry.seq)
        ).all()
        words = [json.loads(e).get("word") for e in entries]
        assert memo.document_kind == "report" and words == [None, None, "ทราบ"], "the audit says the last step noted it"
        context = memo_context(session, memo, current_revision(session, memo))
        assert [m.approval for m in context.minutes] == ["เห็นชอบ", "เห็นชอบ", "ทราบ"]
    text = docx_text(report)
    assert "บันทึกข้อความ" in " ".join(text) and "จึงเรียนมาเพื่อโปรดทราบ" in text
    assert "ทราบ" in text, "the executive's minute reads ทราบ"
    assert "อนุมัติ" not in text and "เห็นชอบ" not in text, "only the acknowledgement is on the published report"
    assert any(line.endswith(ACTING) for line in text)


@pytest.mark.parametrize("name", ["order-1", "circular", "report"])
def test_the_pdf_prints_the_same_words_and_is_signed_by_the_office(published, name):
    _, results = published
    publication = results[name]
    pdf = Path(publication.announcement_pdf_path)
    assert pdf.name.startswith(f"{DocumentKind(publication.document_kind).value}-r1")
    assert sha256_of(pdf) == publication.announcement_pdf_sha256
    pages = pdf_page_texts(pdf)
    assert 1 <= len(pages) <= 2
    whole = " ".join(" ".join(page.split()) for page in pages)
    assert not any(ch.isascii() and ch.isdigit() for ch in whole), "Thai digits throughout"
    assert ACTING in whole
    expected = {
        "order-1": f"ที่ ๑/{year_be()}",
        "circular": publication.document_number,
        "report": "ทราบ",
    }[name]
    assert expected in whole
    certificate = signing_key_files("kokphutsa").certificate
    with pdf.open("rb") as stream:
        [signature] = PdfFileReader(stream).embedded_signatures
        status = validate_pdf_signature(
            signature, ValidationContext(trust_roots=[load_cert_from_pemder(str(certificate))])
        )
    assert (status.intact, status.valid, status.trusted, status.coverage.name) == (True, True, True, "ENTIRE_FILE")


def test_the_publication_request_names_who_asked_approved_and_posted_signed_by_the_office(published):
    """The form the ITA asks beside a published document (แบบฟอร์มการขออนุญาตเผยแพร่ข้อมูล), made
    from the records of the order: its .docx reopened, its PDF read back and its signature checked;
    made once; history a database writer cannot change."""
    engine, results = published
    order = results["order-1"]
    address = "https://kokphutsa.go.th/public/kokphutsa/ita/2570/O25"  # the item's page
    request = make_publication_request(order.id, address=address, engine=engine)
    assert make_publication_request(order.id, engine=engine).id == request.id  # made once

    form = docx.Document(request.docx_path)
    assert form.paragraphs[0].text == "แบบฟอร์มการขออนุญาตเผยแพร่ข้อมูลผ่านเว็บไซต์ของหน่วยงาน"
    # Names and dates are bound with no-break spaces (documents.docx.nonbreaking): read as spaces.
    cells = "\n".join(c.text for t in form.tables for r in t.rows for c in r.cells).replace("\xa0", " ")
    assert ORG in cells and address in cells and order.announcement_sha256 in cells
    assert "นางสาวสมหญิง แดงโสภา" in cells  # the drafter asked
    assert "ภาคภูมิ อนุศาสตร์" in cells and ACTING in cells  # the last signer approved, acting
    assert "ระบบสารบรรณอิเล็กทรอนิกส์" in cells  # the website posted it by itself
    assert "ได้รับการอนุมัติเมื่อวันที่" in cells and "พ.ศ. ๒๕" in cells  # BE dates in Thai digits

    (page,) = pdf_page_texts(Path(request.pdf_path))  # one page
    assert "แบบฟอร์มการขออนุญาตเผยแพร่ข้อมูล" in page and "๒๕" in page
    check = check_pdf_signature(
        Path(request.pdf_path).read_bytes(), trusted_certificate_pem=order.signing_certificate_pem.encode()
    )
    assert check.intact and check.valid and check.trusted, check.problem
    with session_scope(engine) as session:
        made = session.exec(select(AuditEntry.action).where(AuditEntry.action == "publication.request-made")).all()
    assert made == ["publication.request-made"]
    with pytest.raises(DatabaseError):
        as_database_writer(engine, "UPDATE publicationrequest SET address = 'https://elsewhere.example'")
    with session_scope(engine) as session:
        assert session.exec(select(PublicationRequest.address)).one() == address
