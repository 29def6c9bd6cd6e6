"""PAdES signatures on PDFs (pyHanko): signing a frozen PDF, and checking a signed one.

The signature is PAdES baseline B-B (ETSI.CAdES.detached, SHA-256, the signing certificate in
the signed attributes): no timestamp authority is reachable from an office's server, so the
signing time is the signer's own claim; the publication record keeps the time as well.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import EmbeddedPdfSignature, KeyUsageConstraints, async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from documents.pdf.signing_certificate import (
    CertificateFacts,
    SigningIdentity,
    certificate_facts,
    pem_from_der,
    private_key,
)

SIGNATURE_FIELD = "Saraban"
# A real certificate may carry either usage; the self-signed one carries both.
KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
T = TypeVar("T")


@dataclass(frozen=True)
class SignatureCheck:
    """What a PDF's signature says. `intact`: the signed bytes are the ones signed; `valid`: the
    signature itself verifies with the certificate in it; `trusted`: that certificate is the one
    given as trusted (the organisation's); `whole_file`: nothing was added after signing."""

    signed: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: CertificateFacts | None = None
    signed_at: dt.datetime | None = None
    problem: str = ""  # why it is not a good signature, in Thai and English; "" when it is

    @property
    def good(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted and self.whole_file


def sign_pdf(pdf: bytes, identity: SigningIdentity, *, reason: str, location: str) -> bytes:
    """The PDF with one invisible PAdES B-B signature appended as an incremental update."""
    certificate, *_ = load_certs_from_pemder_data(identity.certificate_pem)
    chain = list(load_certs_from_pemder_data(identity.chain_pem)) if identity.chain_pem else []
    signer = _LoadedKeySigner(
        private_key(identity.key_pem), signing_cert=certificate, cert_registry=SimpleCertificateStore.from_certs(chain)
    )  # the signer's own is added
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    output = io.BytesIO()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    _run(signers.PdfSigner(metadata, signer).async_sign_pdf(writer, output=output))
    return output.getvalue()


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner, signing with a key object read once (signing_certificate.private_key)
    instead of re-reading the key from DER, with OpenSSL's key check, at every raw signature."""

    def __init__(self, key: PrivateKeyTypes, **kwargs: Any) -> None:
        super().__init__(signing_key=translate_pyca_cryptography_key_to_asn1(key), **kwargs)
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        try:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        except ValueError:  # as pyHanko does: a mechanism asn1crypto cannot name
            return super().sign_raw(data, digest_algorithm)
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15":
            return self._key.sign(data, PKCS1v15(), digest)
        if mechanism == "ecdsa":
            return self._key.sign(data, ECDSA(digest))
        return super().sign_raw(data, digest_algorithm)  # rarer mechanisms (PSS, DSA): pyHanko's own way


def check_pdf_signature(
    pdf: bytes, *, trusted_certificate_pem: bytes | None = None, moment: dt.datetime | None = None
) -> SignatureCheck:
    """Check the last signature of `pdf` against one trusted certificate (none: integrity only),
    at `moment` (default now: a publication is checked at its own time, so that a certificate
    expired since does not make an old signature look bad)."""
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as error:
        return SignatureCheck(
            False,
            problem=f"อ่านไฟล์ PDF ไม่ได้ ไฟล์อาจเสียหายหรือถูกแก้ไข (the PDF cannot be read: damaged or altered: {error})",
        )
    if not signatures:
        return SignatureCheck(False, problem="ไฟล์นี้ไม่มีลายมือชื่ออิเล็กทรอนิกส์ (the file carries no signature)")
    return _check(signatures[-1], trusted_certificate_pem, moment)


def _check(signature: EmbeddedPdfSignature, trusted_pem: bytes | None, moment: dt.datetime | None) -> SignatureCheck:
    try:
        # Integrity only (no trusted certificate): the signer's own certificate stands as the
        # root so that the path check passes quietly; nothing vouches for it, so not `trusted`.
        roots = list(load_certs_from_pemder_data(trusted_pem)) if trusted_pem else [signature.signer_cert]
        context = ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment)
        status = _run(async_validate_pdf_signature(signature, context, key_usage_settings=KEY_USAGE))
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as error:
        return SignatureCheck(
            True,
            problem=f"ตรวจลายมือชื่อไม่ได้ ไฟล์อาจถูกแก้ไข (the signature cannot be checked: "
            f"the file may have been altered: {error})",
        )
    signer = certificate_facts(pem_from_der(status.signing_cert.dump()))
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    check = SignatureCheck(
        True,
        status.intact,
        status.valid,
        status.trusted and trusted_pem is not None,
        whole,
        signer,
        status.signer_reported_dt,
    )
    return _with_problem(check)


def _with_problem(check: SignatureCheck) -> SignatureCheck:
    if not (check.intact and check.valid):
        problem = "ลายมือชื่อไม่ถูกต้อง: เนื้อหาถูกแก้ไขหลังลงนาม (the signature is broken: the content was altered after signing)"
    elif not check.whole_file:
        problem = "มีการเพิ่มเนื้อหาต่อท้ายหลังลงนาม (content was added after the signature)"
    elif not check.trusted:
        problem = "ผู้ลงนามไม่ใช่ใบรับรองของหน่วยงาน (not signed with the organisation's certificate)"
    else:
        return check
    return SignatureCheck(
        check.signed, check.intact, check.valid, check.trusted, check.whole_file, check.signer, check.signed_at, problem
    )


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    # pyHanko is asynchronous; a caller already inside an event loop (an async route, a Prefect
    # task on the flow's loop) cannot asyncio.run in its own thread, so the work gets a thread.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
