"""Secrets an organisation's administrator gives Saraban (the LINE channel secret and access
token), kept in the database only sealed: AES-256-GCM under an instance key in the keys folder
(models.instance_secrets), never in the database. A copy of the database alone cannot read them,
as it cannot test a PIN or rewrite the audit chain.

Each value is sealed for one purpose (`context`, e.g. "line-access-token:12"), bound in as GCM's
associated data: a sealed value copied onto another organisation's row, or into another field,
does not open.
"""

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from models.instance_secrets import instance_secret

KEY_NAME = "sealed-settings"
SEALED = ("ความลับของหน่วยงานที่เก็บไว้ (เช่น LINE)", "sealed organisation secrets (LINE's channel secret and token)")
PREFIX = "aesgcm1$"
NONCE_BYTES = 12


class CannotOpen(RuntimeError):
    """A sealed value that does not open under this instance's key (another instance's, or altered)."""


def seal(value: str, *, context: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(instance_secret(KEY_NAME)).encrypt(nonce, value.encode(), context.encode())
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def open_sealed(stored: str, *, context: str) -> str:
    if not stored.startswith(PREFIX):
        raise CannotOpen("not a sealed value")
    raw = base64.urlsafe_b64decode(stored.removeprefix(PREFIX).encode())
    key = instance_secret(KEY_NAME, must_exist=SEALED)
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
    except InvalidTag as error:
        raise CannotOpen(
            "ถอดรหัสค่าที่เก็บไว้ไม่ได้ กรุณาให้ผู้ดูแลระบบตั้งค่าใหม่ "
            "(the stored secret does not open with this instance's key: ask the administrator to set it again)"
        ) from error
