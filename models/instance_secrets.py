"""Secrets of one Saraban instance kept in files, never in the database.

Each secret is 32 random bytes in `<keys_dir>/<name>.key` (mode 0600), made the first time it
is asked for. Several processes may ask at once: the file is written aside and linked into
place, so all of them end up reading the same bytes.
"""

import os
import re
import secrets
from pathlib import Path

from models.settings import get_settings

SECRET_BYTES = 32
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def secret_path(name: str) -> Path:
    if not _NAME.fullmatch(name):
        raise ValueError(f"secret names are lowercase letters, digits and '-': {name!r}")
    return get_settings().keys_dir / f"{name}.key"


def instance_secret(name: str) -> bytes:
    """The named secret, created on first use."""
    path = secret_path(name)
    if not path.exists():
        _create(path)
    value = path.read_bytes()
    if len(value) != SECRET_BYTES:
        raise RuntimeError(f"{path} holds {len(value)} bytes, not {SECRET_BYTES}: restore it from the backup")
    return value


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(secrets.token_bytes(SECRET_BYTES))
    try:
        os.link(aside, path)  # fails if another process got there first: theirs is kept
    except FileExistsError:
        pass
    finally:
        aside.unlink()
