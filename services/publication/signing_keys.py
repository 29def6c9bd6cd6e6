"""Each organisation's signing key and certificate, in files under the keys folder, never in
the database: a copy of the database must not be enough to sign a PDF in the office's name.

    <SARABAN_KEYS_DIR>/org-<code>-signing.key.pem     the private key (PEM, mode 0600)
    <SARABAN_KEYS_DIR>/org-<code>-signing.cert.pem    its certificate (PEM)
    <SARABAN_KEYS_DIR>/org-<code>-signing.chain.pem   the issuers' certificates (optional)

A self-signed certificate is made when the organisation is loaded, or on its first publication.
A real certificate replaces it with `saraban org certificate CODE --key K --cert C [--chain X]`
(or `--p12 FILE`), or by putting the PEM files at these paths. Past publications keep the
certificate they were signed with on their record, so they still verify after a change.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from documents.pdf.signing_certificate import (
    SigningIdentity,
    SigningIdentityProblem,
    certificate_facts,
    check_identity,
    new_private_key,
    self_signed_certificate,
)
from models import Organisation, audit
from models.settings import get_settings

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class SigningKeyFiles:
    key: Path
    certificate: Path
    chain: Path


def signing_key_files(org_code: str) -> SigningKeyFiles:
    if not _CODE.fullmatch(org_code):
        raise ValueError(f"organisation codes are lowercase letters, digits and '-': {org_code!r}")
    stem = get_settings().keys_dir / f"org-{org_code}-signing"
    return SigningKeyFiles(Path(f"{stem}.key.pem"), Path(f"{stem}.cert.pem"), Path(f"{stem}.chain.pem"))


def organisation_identity(org: Organisation, *, create: bool = True) -> SigningIdentity:
    """The organisation's key and certificate, a self-signed pair made on first use. With
    `create` False a missing key is an error: once PDFs were signed, a machine that lacks the
    keys folder must not sign the next ones with a new certificate of its own."""
    files = signing_key_files(org.code)
    if not files.key.exists():
        if not create:
            raise SigningIdentityProblem(
                f"ไม่พบกุญแจลงนามของหน่วยงานที่ {files.key} คัดลอกโฟลเดอร์ SARABAN_KEYS_DIR จากเครื่องที่มี (the "
                f"organisation's signing key is missing at {files.key}: copy SARABAN_KEYS_DIR from the machine that has it)"
            )
        if files.certificate.exists():
            raise SigningIdentityProblem(
                f"มีใบรับรองแต่ไม่มีกุญแจส่วนตัว วางไฟล์กุญแจที่ {files.key} (a certificate without its private key: "
                f"put the key at {files.key})"
            )
        _create_once(files.key, new_private_key(), mode=0o600)
    key_pem = files.key.read_bytes()
    if not files.certificate.exists():
        # Made from the key on disk: if another process made one first, theirs is kept, and
        # it certifies the same key.
        _create_once(files.certificate, self_signed_certificate(key_pem, org.name), mode=0o644)
    chain = files.chain.read_bytes() if files.chain.exists() else b""
    identity = SigningIdentity(key_pem, files.certificate.read_bytes(), chain)
    check_identity(identity)
    return identity


def install_identity(session: Session, org: Organisation, identity: SigningIdentity, *, actor: str) -> SigningKeyFiles:
    """Put a real key and certificate (and chain) in place of the current ones, audited."""
    check_identity(identity)
    facts = certificate_facts(identity.certificate_pem)
    audit.append(
        session,
        actor=actor,
        action="organisation.signing_certificate",
        subject=f"organisation:{org.code}",
        data={
            "sha256": facts.sha256,
            "subject": facts.subject,
            "issuer": facts.issuer,
            "not_after": facts.not_after.isoformat(),
        },
    )
    files = signing_key_files(org.code)
    _replace(files.key, identity.key_pem, mode=0o600)
    _replace(files.certificate, identity.certificate_pem, mode=0o644)
    if identity.chain_pem:
        _replace(files.chain, identity.chain_pem, mode=0o644)
    else:
        files.chain.unlink(missing_ok=True)
    return files


def _create_once(path: Path, content: bytes, *, mode: int) -> None:
    # Written aside, then linked into place: linking fails if another process got there first.
    aside = _aside(path, content, mode)
    try:
        os.link(aside, path)
    except FileExistsError:
        pass
    finally:
        aside.unlink()


def _replace(path: Path, content: bytes, *, mode: int) -> None:
    os.replace(_aside(path, content, mode), path)  # readers see the old file or the new, never half


def _aside(path: Path, content: bytes, mode: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    return aside
