"""An organisation's signing identity (private key and certificate, PEM) and what a certificate
says about itself: subject, SHA-256 fingerprint, whether it is self-signed.

A new organisation gets a self-signed certificate with its Thai name in the subject: nobody can
check it against a certificate authority, so its fingerprint is published on the public page
for people to compare. A certificate from a real authority replaces it (see services.publication.signing_keys).
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

# RSA: what every PDF reader checks (poppler, Adobe, the Thai e-government tools).
KEY_BITS = 3072
SELF_SIGNED_YEARS = 10
# The certificate starts a little before it is made, so that a clock a few minutes behind on
# another machine of the instance does not see it as not yet valid.
CLOCK_SKEW = dt.timedelta(minutes=10)


class SigningIdentityProblem(ValueError):
    """A key or certificate that cannot sign: unreadable, or a key that is not the certificate's."""


@dataclass(frozen=True)
class SigningIdentity:
    key_pem: bytes  # PKCS#8, unencrypted: it lives in a file of mode 0600, never in the database
    certificate_pem: bytes
    chain_pem: bytes = b""  # the issuing authorities' certificates, for a real certificate


@dataclass(frozen=True)
class CertificateFacts:
    subject: str  # RFC 4514, e.g. "C=TH,O=เทศบาลตำบลโคกพุทรา,CN=เทศบาลตำบลโคกพุทรา"
    sha256: str  # the fingerprint as `openssl x509 -fingerprint -sha256` prints it: "AB:CD:..."
    issuer: str
    self_signed: bool
    not_before: dt.datetime
    not_after: dt.datetime
    holder: str = ""  # whom it names, as a person reads it: the organisation (O), else the common name (CN)


def new_private_key() -> bytes:
    """A new RSA key as unencrypted PKCS#8 PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


# X.509 caps a common name at 64 (UTF-8 bytes, as the library counts): a Thai letter takes 3, so
# "องค์การบริหารส่วนตำบล" alone is 63 and every อบต., like most education service areas, overflowed.
# The name is shortened the way Thai offices write it (อบต.บางกระทุ่ม); the organisation name
# (O) keeps it whole, and the documents print the name from the organisation's own record.
COMMON_NAME_BYTES = 64
THAI_ABBREVIATIONS = (  # longest first: เทศบาลตำบล before เทศบาล
    ("องค์การบริหารส่วนจังหวัด", "อบจ."),
    ("องค์การบริหารส่วนตำบล", "อบต."),
    ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษา", "สพป."),
    ("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา", "สพม."),
    ("เทศบาลตำบล", "ทต."),
    ("เทศบาลเมือง", "ทม."),
    ("เทศบาลนคร", "ทน."),
)


def common_name(organisation_name: str) -> str:
    """The organisation's name as a certificate's common name: whole when it fits, else in its
    usual abbreviation, else cut at a letter (never inside one's vowel or tone marks) with "…"."""
    name = " ".join(organisation_name.split())
    if len(name.encode()) <= COMMON_NAME_BYTES:
        return name
    for whole, short in THAI_ABBREVIATIONS:
        if name.startswith(whole):
            name = short + name[len(whole) :].lstrip()
            break
    if len(name.encode()) <= COMMON_NAME_BYTES:
        return name
    ellipsis = "…"
    end = len(name)
    while len((name[:end] + ellipsis).encode()) > COMMON_NAME_BYTES or _mark(name, end):
        end -= 1  # a mark after the cut belongs to the letter before it: cut before that letter
    return name[:end].rstrip() + ellipsis


def _mark(text: str, index: int) -> bool:
    return index < len(text) and unicodedata.category(text[index]) in ("Mn", "Mc")


def self_signed_certificate(key_pem: bytes, organisation_name: str, *, now: dt.datetime | None = None) -> bytes:
    """A certificate the key signs itself, naming the organisation in Thai (subject C, O, CN)."""
    key = serialization.load_pem_private_key(key_pem, password=None)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation_name),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name(organisation_name)),
        ]
    )
    start = (now or dt.datetime.now(dt.UTC)) - CLOCK_SKEW
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365 * SELF_SIGNED_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_signing_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM)


def self_signed_identity(organisation_name: str) -> SigningIdentity:
    key_pem = new_private_key()
    return SigningIdentity(key_pem, self_signed_certificate(key_pem, organisation_name))


def _signing_key_usage() -> x509.KeyUsage:
    # digitalSignature and nonRepudiation (contentCommitment): what a document signature needs.
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def certificate_facts(certificate_pem: bytes) -> CertificateFacts:
    certificate = _certificate(certificate_pem)
    return CertificateFacts(
        certificate.subject.rfc4514_string(),
        fingerprint(certificate_pem),
        certificate.issuer.rfc4514_string(),
        _self_signed(certificate),
        certificate.not_valid_before_utc,
        certificate.not_valid_after_utc,
        _holder(certificate.subject),
    )


def _holder(subject: x509.Name) -> str:
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        if names := subject.get_attributes_for_oid(oid):
            return str(names[0].value)
    return subject.rfc4514_string()


def fingerprint(certificate_pem: bytes) -> str:
    digest = _certificate(certificate_pem).fingerprint(hashes.SHA256())
    return ":".join(f"{byte:02X}" for byte in digest)


def check_identity(identity: SigningIdentity) -> None:
    """Refuse a key that does not belong to the certificate (a real certificate installed with
    the wrong key would make every signature invalid)."""
    try:
        key = private_key(identity.key_pem)
    except (ValueError, TypeError) as error:
        raise SigningIdentityProblem(
            f"อ่านกุญแจส่วนตัวไม่ได้ (cannot read the private key: an unencrypted PEM key is needed): {error}"
        ) from error
    certificate = _certificate(identity.certificate_pem)
    if key.public_key().public_bytes(*_SPKI) != certificate.public_key().public_bytes(*_SPKI):
        raise SigningIdentityProblem("กุญแจส่วนตัวไม่ตรงกับใบรับรอง (the private key does not belong to the certificate)")


@functools.lru_cache(maxsize=16)
def private_key(key_pem: bytes) -> PrivateKeyTypes:
    """The key read from its PEM, once per process. Reading an RSA key runs OpenSSL's consistency
    check (about 0.09 s of CPU for 3072 bits), and pyHanko would read it again for every raw
    signature, twice a PDF: a publication did it seven times."""
    return serialization.load_pem_private_key(key_pem, password=None)


def pem_from_der(der: bytes) -> bytes:
    return x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)


_SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _certificate(pem: bytes) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as error:
        raise SigningIdentityProblem(f"อ่านใบรับรองไม่ได้ (cannot read the PEM certificate): {error}") from error


def _self_signed(certificate: x509.Certificate) -> bool:
    if certificate.issuer != certificate.subject:
        return False
    try:
        certificate.verify_directly_issued_by(certificate)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def identity_from_pkcs12(data: bytes, password: bytes | None) -> SigningIdentity:
    """The key, certificate and chain of a .p12/.pfx file (as certificate authorities deliver them)."""
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, password)
    except ValueError as error:
        raise SigningIdentityProblem(
            f"อ่านไฟล์ PKCS#12 ไม่ได้ รหัสผ่านผิดหรือไฟล์เสีย (cannot read the PKCS#12 file: "
            f"wrong password or damaged file: {error})"
        ) from error
    if key is None or certificate is None:
        raise SigningIdentityProblem(
            "ไฟล์ PKCS#12 ต้องมีทั้งกุญแจและใบรับรอง (the PKCS#12 file must hold a key and its certificate)"
        )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    chain_pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain)
    return SigningIdentity(key_pem, certificate.public_bytes(serialization.Encoding.PEM), chain_pem)
