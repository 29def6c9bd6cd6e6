"""`saraban verify FILE` as anyone holding a downloaded file would use it: one memo of the 004
case is published with the domain functions (LibreOffice makes and the organisation's key signs
the PDFs), then the command is run on the genuine files, on a copy altered by one byte, on files
that were never published, and on a database whose recorded hash a forger rewrote; and the public page that shows the signer."""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import select

from documents.pdf.signature import sign_pdf
from documents.pdf.signing_certificate import certificate_facts, self_signed_identity
from documents.pdf.soffice import soffice_available
from models import Person
from models.db import default_engine, make_engine, session_scope
from models.migrate import upgrade
from models.settings import get_settings
from services.publication.publication import prepare_files, publish
from services.publication.signing_keys import signing_key_files
from tests.builders import PIN, load_kokphutsa, memo_in_review, sign
from tests.cli.runner import instance_env, run_saraban
from web.app import create_app

pytestmark = pytest.mark.skipif(
    not (soffice_available() and shutil.which("pdfsig")), reason="needs LibreOffice (soffice) and poppler's pdfsig"
)
ORG_NAME = "เทศบาลตำบลโคกพุทรา"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One published memo in its own SARABAN_HOME; the Publication row as recorded."""
    home = tmp_path_factory.mktemp("verify") / "home"
    home.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SARABAN_HOME", str(home))
        patch.delenv("SARABAN_DATABASE_URL", raising=False)
        patch.delenv("SARABAN_KEYS_DIR", raising=False)
        patch.delenv("SARABAN_DOCUMENTS_DIR", raising=False)
        get_settings.cache_clear()
        default_engine.cache_clear()
        url = get_settings().resolved_database_url
        upgrade(url)
        engine = make_engine(url)
        load_kokphutsa(engine)
        memo = memo_in_review(engine)
        for username in ("kanokporn", "phakphum", "phakphum"):
            sign(engine, memo.id, username)
        files = prepare_files(memo.id, engine=engine)
        with session_scope(engine) as session:
            publication = publish(session, memo_id=memo.id, prepared=files)
            signers = [
                session.exec(select(Person.full_name).where(Person.username == u)).one()
                for u in ("kanokporn", "phakphum")
            ]
        certificate = signing_key_files("kokphutsa").certificate.read_bytes()
        engine.dispose()
    get_settings.cache_clear()
    default_engine.cache_clear()
    return {"home": home, "publication": publication, "signers": signers, "certificate": certificate}


def verify(published, path: Path, *extra: str, database_url: str = "") -> subprocess.CompletedProcess:
    env = instance_env(published["home"], database_url)
    return run_saraban("verify", str(path), *extra, env=env, cwd=Path.cwd())


def one_byte_altered(source: Path, target: Path) -> Path:
    data = bytearray(source.read_bytes())
    position = data.index(b"stream\n", len(data) // 4) + 20  # inside a page's content, under the signature
    data[position] ^= 0x01
    target.write_bytes(bytes(data))
    return target


def test_a_genuine_pdf_is_the_published_one_unaltered_with_who_approved_it(published):
    publication = published["publication"]
    fingerprint = certificate_facts(published["certificate"]).sha256
    for path in (publication.announcement_pdf_path, publication.memo_pdf_path):
        result = verify(published, Path(path))
        assert result.returncode == 0, result.stdout + result.stderr
        assert "GENUINE" in result.stdout and "unaltered" in result.stdout
        assert fingerprint in result.stdout and "self-signed" in result.stdout and f"CN={ORG_NAME}" in result.stdout
        assert "ขั้นที่ ๓" in result.stdout and "ปฏิบัติหน้าที่" in result.stdout
        assert all(name in result.stdout for name in published["signers"])
        # The clerk as his signature prints him: rank, name, and the acting line of the last step.
        assert "ว่าที่ร้อยตรี ภาคภูมิ อนุศาสตร์ ปลัดเทศบาล ปฏิบัติหน้าที่ นายกเทศมนตรีตำบลโคกพุทรา" in result.stdout

    report = json.loads(verify(published, Path(publication.announcement_pdf_path), "--json").stdout)
    assert (report["verdict"], report["published"]["kind"]) == ("genuine", "announcement_pdf")
    assert report["sha256"] == publication.announcement_pdf_sha256
    assert report["signature"]["signer"]["sha256"] == publication.signing_certificate_sha256 == fingerprint
    assert [(a["step"], a["signer"], a["capacity"]) for a in report["approvals"]] == [
        (0, published["signers"][0], "self"),
        (1, published["signers"][1], "self"),
        (2, published["signers"][1], "ปฏิบัติหน้าที่"),
    ]
    assert [a["rank"] for a in report["approvals"]] == ["", "ว่าที่ร้อยตรี", "ว่าที่ร้อยตรี"]
    assert report["published"]["public_page"].endswith(f"/public/kokphutsa/{publication.id}")  # its own page
    assert report["published"]["subject"] == f"ประกาศ{ORG_NAME} เรื่อง มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน"


def test_the_published_docx_is_recognised_by_its_hash(published):
    result = verify(published, Path(published["publication"].announcement_path))
    assert result.returncode == 0 and "GENUINE" in result.stdout and ".docx" in result.stdout


def test_a_pdf_altered_by_one_byte_is_reported_altered(published, tmp_path):
    genuine = Path(published["publication"].announcement_pdf_path)
    altered = one_byte_altered(genuine, tmp_path / genuine.name)
    assert (
        "Signature Validation: Digest Mismatch"
        in subprocess.run(["pdfsig", str(altered)], capture_output=True, text=True, timeout=60).stdout
    )
    result = verify(published, altered)
    assert result.returncode == 1
    assert "ALTERED" in result.stdout and "GENUINE" not in result.stdout
    assert "altered after signing" in result.stdout


def test_files_never_published_are_unknown(published, tmp_path):
    signed = Path(published["publication"].announcement_pdf_path).read_bytes()
    unsigned = signed[: signed.index(b"%%EOF") + len(b"%%EOF\n")]  # LibreOffice's PDF, before it was signed
    (tmp_path / "unsigned.pdf").write_bytes(unsigned)
    forger = self_signed_identity(ORG_NAME)  # a certificate with the very same Thai name
    (tmp_path / "forged.pdf").write_bytes(sign_pdf(unsigned, forger, reason="ประกาศ", location=ORG_NAME))
    (tmp_path / "draft.docx").write_bytes(b"PK\x03\x04 not a published docx")

    for name in ("unsigned.pdf", "forged.pdf", "draft.docx"):
        result = verify(published, tmp_path / name)
        assert result.returncode == 1, name
        assert "UNKNOWN" in result.stdout and "GENUINE" not in result.stdout, name
    forged = verify(published, tmp_path / "forged.pdf").stdout
    assert certificate_facts(forger.certificate_pem).sha256 in forged  # not the fingerprint on the public page
    assert published["publication"].signing_certificate_sha256 not in forged


def test_a_forger_with_the_database_but_not_the_key_cannot_pass_an_altered_pdf(published, tmp_path):
    """Edit the PDF, then record its new SHA-256 in a copy of the database: the hash matches, the
    signature does not."""
    genuine = Path(published["publication"].announcement_pdf_path)
    altered = one_byte_altered(genuine, tmp_path / genuine.name)
    copy = tmp_path / "copy.db"
    shutil.copy(published["home"] / "saraban.db", copy)
    engine = make_engine(f"sqlite:///{copy}")
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER IF EXISTS publication_no_update"))  # as an owner of the copy may
        connection.execute(
            text("UPDATE publication SET announcement_pdf_sha256 = :sha"),
            {"sha": hashlib.sha256(altered.read_bytes()).hexdigest()},
        )
    engine.dispose()
    result = verify(published, altered, database_url=f"sqlite:///{copy}")
    assert result.returncode == 1 and "ALTERED" in result.stdout
    assert "the record and the signature disagree" in result.stdout


def test_an_unreadable_file_exits_2(published, tmp_path):
    result = verify(published, tmp_path / "missing.pdf")
    assert result.returncode == 2 and "cannot read" in result.stderr


def test_the_public_page_shows_who_signed_the_pdf(published, monkeypatch):
    monkeypatch.setenv("SARABAN_HOME", str(published["home"]))
    monkeypatch.delenv("SARABAN_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    default_engine.cache_clear()
    try:
        client = TestClient(create_app(), base_url="http://127.0.0.1")
        page = client.get("/public/kokphutsa").text
        feed = client.get("/public/kokphutsa/feed.atom").text
    finally:
        default_engine().dispose()
        get_settings.cache_clear()
        default_engine.cache_clear()
    fingerprint = published["publication"].signing_certificate_sha256
    assert f"ไฟล์ประกาศ (PDF) ลงนามอิเล็กทรอนิกส์โดย{ORG_NAME}" in page  # the certificate's O, in words
    assert fingerprint in page and "ใบรับรองนี้หน่วยงานออกเอง" in page  # behind รายละเอียดการตรวจสอบ
    assert "saraban verify ประกาศเทศบาลตำบลโคกพุทรา-เรื่อง-" in page
    assert fingerprint in feed
    assert "ว่าที่ร้อยตรี ภาคภูมิ อนุศาสตร์" in page  # the rank, as the signature prints it


def test_a_cancelled_announcement_s_files_verify_as_cancelled_never_genuine(published):
    """Last in this module: it cancels the module's publication. `saraban publication cancel`
    as its own process; only an administrator, with a reason."""
    env = instance_env(published["home"])
    number = str(published["publication"].id)
    cancel = ("publication", "cancel", number, "--reason", "ระบุวันที่ผิด", "--pin-stdin")
    refused = run_saraban(*cancel, "--as", "somying", env=env, cwd=Path.cwd(), stdin=f"{PIN}\n")
    assert refused.returncode == 1 and "only an administrator" in refused.stderr
    done = run_saraban(*cancel, "--as", "kanokporn", env=env, cwd=Path.cwd(), stdin=f"{PIN}\n")
    assert done.returncode == 0 and "ระบุวันที่ผิด" in done.stdout, done.stderr
    result = verify(published, Path(published["publication"].announcement_path))
    assert result.returncode == 1 and "CANCELLED" in result.stdout and "GENUINE" not in result.stdout
    assert "ระบุวันที่ผิด" in result.stdout
