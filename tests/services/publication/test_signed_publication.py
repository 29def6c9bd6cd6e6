"""The PDFs frozen at publication are signed with the organisation's key (PAdES): a memo is driven
to publication with the domain functions, as in test_publication_record, and the real files are
reopened and checked with pyHanko's validator and with poppler's `pdfsig`."""

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlmodel import SQLModel, select

from documents.pdf.signing_certificate import SigningIdentityProblem, certificate_facts
from documents.pdf.soffice import soffice_available
from models import AuditEntry, Publication
from models.db import default_engine, session_scope
from models.settings import get_settings
from services.publication.frozen_pdfs import sha256_of
from services.publication.publication import prepare_files, publish
from services.publication.signing_keys import signing_key_files
from tests.builders import load_kokphutsa, memo_in_review, sign

pytestmark = pytest.mark.skipif(
    not (soffice_available() and shutil.which("pdfsig")), reason="needs LibreOffice (soffice) and poppler's pdfsig"
)
ORG_NAME = "เทศบาลตำบลโคกพุทรา"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SARABAN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SARABAN_KEYS_DIR", raising=False)
    get_settings.cache_clear()
    default_engine.cache_clear()
    yield tmp_path / "home"
    get_settings.cache_clear()
    default_engine.cache_clear()


def approved_memo(engine) -> int:
    m = memo_in_review(engine)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, m.id, username)
    return m.id


def pdfsig(path: Path) -> str:
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=True).stdout


def test_the_published_pdfs_carry_a_valid_signature_by_the_organisation(engine, home):
    load_kokphutsa(engine)
    memo_id = approved_memo(engine)
    files = prepare_files(memo_id, engine=engine)  # LibreOffice and signing outside the transaction
    with session_scope(engine) as session:
        publication = publish(session, memo_id=memo_id, prepared=files)

    key_files = signing_key_files("kokphutsa")
    certificate = key_files.certificate.read_bytes()
    facts = certificate_facts(certificate)
    assert "CN=" + ORG_NAME in facts.subject and facts.self_signed
    assert (publication.signing_certificate_sha256, publication.signing_certificate_subject) == (
        facts.sha256,
        facts.subject,
    )
    assert publication.signing_certificate_pem.encode() == certificate
    for path, recorded in (
        (publication.memo_pdf_path, publication.memo_pdf_sha256),
        (publication.announcement_pdf_path, publication.announcement_pdf_sha256),
    ):
        pdf = Path(path)
        assert sha256_of(pdf) == recorded, "the recorded hash is the signed file's"
        with pdf.open("rb") as stream:  # pyHanko, trusting only the organisation's certificate
            [signature] = PdfFileReader(stream).embedded_signatures
            status = validate_pdf_signature(
                signature, ValidationContext(trust_roots=[load_cert_from_pemder(str(key_files.certificate))])
            )
        assert (status.intact, status.valid, status.trusted, status.bottom_line) == (True, True, True, True)
        assert status.coverage.name == "ENTIRE_FILE"
        assert status.signing_cert.subject.native["common_name"] == ORG_NAME
        report = pdfsig(pdf)
        assert "Signature Validation: Signature is Valid" in report
        assert "Total document signed" in report and "ETSI.CAdES.detached" in report
        assert f"Signer Certificate Common Name: {ORG_NAME}" in report


def test_the_signing_key_lives_in_a_private_file_and_never_in_the_database(engine, home):
    load_kokphutsa(engine)
    memo_id = approved_memo(engine)
    with session_scope(engine) as session:
        publication = publish(session, memo_id=memo_id)
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "memo.published")).one()
        assert publication.signing_certificate_sha256 in entry.data_json

    key_file = signing_key_files("kokphutsa").key
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    key_lines = key_file.read_bytes().decode().splitlines()[1:-1]  # the key's base64, line by line
    copied = "\n".join(database_values(engine))  # what a copy of the database holds
    assert publication.signing_certificate_pem.splitlines()[1] in copied  # the certificate is public
    assert not any(line in copied for line in key_lines)
    if engine.dialect.name == "sqlite":  # and the raw file, free pages included
        raw = Path(engine.url.database).read_bytes()
        assert not any(line.encode() in raw for line in key_lines)


def database_values(engine) -> list[str]:
    with engine.connect() as connection:
        return [
            str(value)
            for table in SQLModel.metadata.sorted_tables
            for row in connection.execute(table.select())
            for value in row
        ]


def test_a_machine_without_the_keys_folder_does_not_sign_with_a_new_certificate(engine, home):
    """A worker whose keys folder lacks the organisation's signing key after its first signed
    publication: the publication stops with the reason instead of publishing PDFs under a
    certificate nobody knows."""
    load_kokphutsa(engine)
    first = approved_memo(engine)
    with session_scope(engine) as session:
        publish(session, memo_id=first)
    files = signing_key_files("kokphutsa")  # the instance's other secrets (pepper, audit key) stay
    for path in (files.key, files.certificate, files.chain):
        path.unlink(missing_ok=True)
    second = approved_memo(engine)
    with pytest.raises(SigningIdentityProblem, match="copy SARABAN_KEYS_DIR"):
        prepare_files(second, engine=engine)
    assert not signing_key_files("kokphutsa").key.exists()
    with session_scope(engine) as session:
        assert session.exec(select(Publication).where(Publication.memo_id == second)).first() is None
