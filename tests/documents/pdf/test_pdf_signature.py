"""PAdES signing and checking (documents.pdf.signature), on a one-page PDF, with the ways an
attacker would try to pass a changed file: one byte edited, content appended after signing, a
look-alike certificate. poppler's pdfsig is the outside judge."""

import asyncio
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, load_pem_private_key, pkcs12
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from documents.pdf.signature import check_pdf_signature, sign_pdf
from documents.pdf.signing_certificate import (
    SigningIdentity,
    SigningIdentityProblem,
    certificate_facts,
    check_identity,
    identity_from_pkcs12,
    self_signed_identity,
)
from tests.certificates import PAGE_TEXT, authority_issued_identity, one_page_pdf

ORG_NAME = "เทศบาลตำบลโคกพุทรา"
needs_pdfsig = pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler's pdfsig is not installed")


@pytest.fixture(scope="module")
def identity() -> SigningIdentity:
    return self_signed_identity(ORG_NAME)


@pytest.fixture(scope="module")
def signed(identity) -> bytes:
    return sign_pdf(one_page_pdf(), identity, reason="ประกาศที่เผยแพร่", location=ORG_NAME)


def pdfsig(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "file.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60).stdout


def test_a_signed_pdf_checks_good_against_the_organisations_certificate(identity, signed):
    check = check_pdf_signature(signed, trusted_certificate_pem=identity.certificate_pem)
    assert check.good and check.problem == ""
    assert check.signer.subject == f"CN={ORG_NAME},O={ORG_NAME},C=TH" and check.signer.self_signed
    assert check.signer.sha256 == certificate_facts(identity.certificate_pem).sha256
    assert abs(check.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert signed.startswith(one_page_pdf()[:9]) and len(signed) > len(one_page_pdf())


@needs_pdfsig
def test_pdfsig_reports_the_signature_valid(signed, tmp_path):
    report = pdfsig(signed, tmp_path)
    assert "Signature Validation: Signature is Valid" in report
    assert "Total document signed" in report and "ETSI.CAdES.detached" in report
    assert f"Signer Certificate Common Name: {ORG_NAME}" in report


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is not installed")
def test_the_fingerprint_is_the_one_openssl_prints(identity, tmp_path):
    (tmp_path / "cert.pem").write_bytes(identity.certificate_pem)
    printed = subprocess.run(
        ["openssl", "x509", "-in", str(tmp_path / "cert.pem"), "-noout", "-fingerprint", "-sha256"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed.strip().split("=", 1)[1] == certificate_facts(identity.certificate_pem).sha256


def test_one_byte_changed_in_the_page_breaks_the_signature(identity, signed, tmp_path):
    at = signed.index(PAGE_TEXT)
    altered = signed[:at] + b"T" + signed[at + 1 :]  # "Saraban" -> "Taraban"
    check = check_pdf_signature(altered, trusted_certificate_pem=identity.certificate_pem)
    assert not check.good and not check.intact
    assert "altered after signing" in check.problem
    if shutil.which("pdfsig"):
        assert "Signature Validation: Digest Mismatch" in pdfsig(altered, tmp_path)


def test_content_appended_after_signing_is_reported(identity, signed):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page[generic.NameObject("/Rotate")] = generic.NumberObject(90)  # a change in a later revision
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    check = check_pdf_signature(output.getvalue(), trusted_certificate_pem=identity.certificate_pem)
    assert check.intact and check.valid and not check.whole_file and not check.good
    assert "added after the signature" in check.problem


def test_a_look_alike_certificate_with_the_same_thai_name_is_not_trusted(identity):
    forger = self_signed_identity(ORG_NAME)
    forged = sign_pdf(one_page_pdf(), forger, reason="ประกาศ", location=ORG_NAME)
    check = check_pdf_signature(forged, trusted_certificate_pem=identity.certificate_pem)
    assert check.intact and check.valid and not check.trusted and not check.good
    assert check.signer.subject == certificate_facts(identity.certificate_pem).subject  # same name ...
    assert check.signer.sha256 != certificate_facts(identity.certificate_pem).sha256  # ... other fingerprint
    assert "not signed with the organisation's certificate" in check.problem


def test_without_a_trusted_certificate_only_integrity_is_checked(signed):
    check = check_pdf_signature(signed)
    assert check.intact and check.valid and check.whole_file and not check.trusted


def test_an_unsigned_or_unreadable_file_has_no_signature():
    assert check_pdf_signature(one_page_pdf()).signed is False
    assert "no signature" in check_pdf_signature(one_page_pdf()).problem
    assert check_pdf_signature(b"%PDF-1.7\nnot really").signed is False


def test_a_certificate_from_an_authority_signs_with_its_chain(tmp_path):
    real = authority_issued_identity(ORG_NAME)
    signed = sign_pdf(one_page_pdf(), real, reason="ประกาศ", location=ORG_NAME)
    check = check_pdf_signature(signed, trusted_certificate_pem=real.certificate_pem)
    assert check.good
    assert not check.signer.self_signed and check.signer.issuer == "CN=Test Thai CA"
    if shutil.which("pdfsig"):
        assert "Signature Validation: Signature is Valid" in pdfsig(signed, tmp_path)


def test_an_elliptic_curve_certificate_signs_as_well(tmp_path):
    """The key is read once and signs directly (documents.pdf.signature._LoadedKeySigner): its
    ECDSA branch, as its RSA one above, must give a signature outside readers accept."""
    real = authority_issued_identity(ORG_NAME, elliptic=True)
    signed = sign_pdf(one_page_pdf(), real, reason="ประกาศ", location=ORG_NAME)
    assert check_pdf_signature(signed, trusted_certificate_pem=real.certificate_pem).good
    if shutil.which("pdfsig"):
        assert "Signature Validation: Signature is Valid" in pdfsig(signed, tmp_path)


def test_a_key_that_is_not_the_certificates_is_refused(identity):
    other = self_signed_identity(ORG_NAME)
    with pytest.raises(SigningIdentityProblem, match="does not belong"):
        check_identity(SigningIdentity(other.key_pem, identity.certificate_pem))
    with pytest.raises(SigningIdentityProblem, match="private key"):
        check_identity(
            SigningIdentity(b"-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n", identity.certificate_pem)
        )


def test_a_pkcs12_file_gives_the_key_certificate_and_chain():
    real = authority_issued_identity(ORG_NAME)
    p12 = pkcs12.serialize_key_and_certificates(
        b"org",
        load_pem_private_key(real.key_pem, None),
        x509.load_pem_x509_certificate(real.certificate_pem),
        [x509.load_pem_x509_certificate(real.chain_pem)],
        BestAvailableEncryption(b"s3cret"),
    )
    loaded = identity_from_pkcs12(p12, b"s3cret")
    check_identity(loaded)
    assert certificate_facts(loaded.certificate_pem).sha256 == certificate_facts(real.certificate_pem).sha256
    assert certificate_facts(loaded.chain_pem).subject == "CN=Test Thai CA"
    with pytest.raises(SigningIdentityProblem, match="wrong password"):
        identity_from_pkcs12(p12, b"wrong")


def test_signing_and_checking_work_inside_a_running_event_loop(identity):
    """An async caller (a route, a task on a flow's loop) cannot asyncio.run in its own thread."""

    async def inside() -> bool:
        signed = sign_pdf(one_page_pdf(), identity, reason="ประกาศ", location=ORG_NAME)
        return check_pdf_signature(signed, trusted_certificate_pem=identity.certificate_pem).good

    assert asyncio.run(inside())
