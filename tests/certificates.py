"""Test certificates: a small certificate authority and what it issues, as a real signing
certificate would come (leaf, key, chain); and a one-page PDF made without LibreOffice."""

import datetime as dt
import io

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PdfFileWriter

from documents.pdf.signing_certificate import SigningIdentity

PAGE_TEXT = b"Saraban test page"


def authority_issued_identity(
    subject_name: str, *, authority_name: str = "Test Thai CA", elliptic: bool = False
) -> SigningIdentity:
    """A key and certificate issued by a new authority, with the authority's certificate as chain;
    `elliptic`: the leaf's key is ECDSA P-256 (some Thai authorities issue those) instead of RSA."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key = (
        ec.generate_private_key(ec.SECP256R1())
        if elliptic
        else rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, authority_name)])
    ca = (
        _builder(ca_name, ca_name, ca_key, now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), True)
        .sign(ca_key, hashes.SHA256())
    )
    subject = x509.Name(
        [x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"), x509.NameAttribute(NameOID.COMMON_NAME, subject_name)]
    )
    leaf = (
        _builder(subject, ca_name, key, now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return SigningIdentity(
        key_pem, leaf.public_bytes(serialization.Encoding.PEM), ca.public_bytes(serialization.Encoding.PEM)
    )


def _builder(
    subject: x509.Name, issuer: x509.Name, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, now: dt.datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )


def one_page_pdf() -> bytes:
    """A one-page PDF with a line of text in an uncompressed content stream."""
    writer = PdfFileWriter()
    name = generic.NameObject
    font = writer.add_object(
        generic.DictionaryObject(
            {name("/Type"): name("/Font"), name("/Subtype"): name("/Type1"), name("/BaseFont"): name("/Helvetica")}
        )
    )
    content = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 720 Td (" + PAGE_TEXT + b") Tj ET"))
    writer.insert_page(
        generic.DictionaryObject(
            {
                name("/Type"): name("/Page"),
                name("/MediaBox"): generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
                name("/Contents"): content,
                name("/Resources"): generic.DictionaryObject(
                    {name("/Font"): generic.DictionaryObject({name("/F1"): font})}
                ),
            }
        )
    )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
