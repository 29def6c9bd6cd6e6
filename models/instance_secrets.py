"""Secrets of one Saraban instance kept in files, never in the database.

Each secret is 32 random bytes in `<keys_dir>/<name>.key` (mode 0600), made the first time it
is asked for. Several processes may ask at once: the file is written aside and linked into
place, so all of them end up reading the same bytes.

A secret the database already depends on (the pepper of stored PIN hashes, the key of a started
audit chain) is never made anew: on a machine without the instance's keys folder a new one
would turn every PIN into a "wrong PIN" and every later audit entry into a forgery. Callers
that know the database depends on it ask with `must_exist=True` and get MissingInstanceKey,
which names the file and says what to do.
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


class MissingInstanceKey(RuntimeError):
    def __init__(self, path: Path, needed_by: tuple[str, str]) -> None:
        thai, english = needed_by
        super().__init__(
            f"ไม่พบไฟล์กุญแจ {path} ซึ่ง{thai}ในฐานข้อมูลนี้ต้องใช้: คัดลอกโฟลเดอร์กุญแจจากเครื่องเดิม "
            f"(หรือจากสำรอง) มาไว้ที่นี่ หรือตั้ง SARABAN_KEYS_DIR ให้ชี้ไปที่โฟลเดอร์นั้น "
            f"(the key file {path} is missing, and this database's {english} depend on it: copy the "
            f"instance's keys folder from the original machine or the backup, or point SARABAN_KEYS_DIR at it; "
            f"a new key would not match)"
        )
        self.path = path


def instance_secret(name: str, *, must_exist: tuple[str, str] | None = None) -> bytes:
    """The named secret, created on first use, unless `must_exist` names (in Thai and English) what
    in the database already depends on it (then a missing file raises MissingInstanceKey)."""
    path = secret_path(name)
    if not path.exists():
        if must_exist:
            raise MissingInstanceKey(path, must_exist)
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
