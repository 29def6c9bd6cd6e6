"""Refuse to start on a machine that lacks the keys the database already depends on.

Without this check the first person to sign would meet "wrong PIN" (a missing pepper) and the
first audited action would fail deep in a request; at start-up the operator reads at once which
file to copy (see models.instance_secrets).
"""

from sqlalchemy import Engine, text

from models.audit import AUDIT_ENTRIES, KEY_NAME
from models.instance_secrets import MissingInstanceKey, secret_path
from models.secrets import PEPPER_NAME, PEPPERED, STORED_HASHES


def check_instance_keys(engine: Engine) -> None:
    with engine.connect() as connection:
        chain_started = connection.execute(text("SELECT seq FROM audithead WHERE id = 1")).scalar_one() > 0
        peppered = (
            connection.execute(
                text("SELECT 1 FROM person WHERE pin_hash LIKE :p OR password_hash LIKE :p LIMIT 1"),
                {"p": PEPPERED + "%"},
            ).first()
            is not None
        )
    if chain_started and not secret_path(KEY_NAME).exists():
        raise MissingInstanceKey(secret_path(KEY_NAME), AUDIT_ENTRIES)
    if peppered and not secret_path(PEPPER_NAME).exists():
        raise MissingInstanceKey(secret_path(PEPPER_NAME), STORED_HASHES)
