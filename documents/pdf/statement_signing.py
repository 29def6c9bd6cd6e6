"""Signing a short text with an organisation's key, and checking it against a certificate.

For the signed chain heads (models.head_statement): plain signatures over the statement's bytes,
so that anyone can check one with the certificate alone, e.g.
`openssl dgst -sha256 -verify key.pub -signature statement.sig statement.json` for an RSA key.
RSA keys sign with PKCS#1 v1.5 and SHA-256 (deterministic, what openssl checks by default),
EC keys with ECDSA and SHA-256, Ed25519 keys as themselves.
"""

from __future__ import annotations

import base64
import binascii

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15

from documents.pdf.signing_certificate import SigningIdentity, SigningIdentityProblem, private_key


def sign_text(identity: SigningIdentity, text: str) -> str:
    """The signature over `text`'s UTF-8 bytes, base64."""
    key = private_key(identity.key_pem)
    data = text.encode()
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(data, PKCS1v15(), hashes.SHA256())
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(data, ec.ECDSA(hashes.SHA256()))
    elif isinstance(key, ed25519.Ed25519PrivateKey):
        signature = key.sign(data)
    else:
        raise SigningIdentityProblem(
            f"กุญแจชนิดนี้ลงนามข้อความไม่ได้ (this kind of key cannot sign a statement: {type(key).__name__})"
        )
    return base64.b64encode(signature).decode("ascii")


def signature_holds(certificate_pem: str, text: str, signature_b64: str) -> bool:
    """Whether `signature_b64` is the certificate's key's signature over `text`. Never raises on
    bad input (an unreadable certificate or signature is simply not a valid signature)."""
    try:
        public_key = x509.load_pem_x509_certificate(certificate_pem.encode("ascii")).public_key()
        signature = base64.b64decode(signature_b64, validate=True)
    except (ValueError, UnicodeEncodeError, binascii.Error):
        return False
    data = text.encode()
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, PKCS1v15(), hashes.SHA256())
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public_key, ed25519.Ed25519PublicKey):
            public_key.verify(signature, data)
        else:
            return False
    except InvalidSignature:
        return False
    return True
