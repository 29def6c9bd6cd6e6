"""Offline guessing from a copy of the database: the PIN hashes are useless without the pepper file."""

import shutil

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import create_engine, text

from models import secrets
from models.db import make_engine
from models.instance_secrets import instance_secret
from models.migrate import upgrade
from models.secrets import (
    PEPPER_NAME,
    PEPPERED,
    hash_pin,
    made_without_pepper,
    needs_rehash,
    pin_matches,
    secret_matches,
)
from models.settings import get_settings
from tests.builders import PIN, load_kokphutsa


def stolen_pin_hash(database_file) -> str:
    """What an attacker reads from a copied database file, with nothing else of the instance."""
    thief = create_engine(f"sqlite:///{database_file}")
    with thief.connect() as connection:
        stored = connection.execute(text("SELECT pin_hash FROM person WHERE username = 'kanokporn'")).scalar_one()
    thief.dispose()
    return stored


def test_a_copied_pin_hash_cannot_be_checked_without_the_pepper(keys_dir, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'saraban.db'}"
    upgrade(url)
    engine = make_engine(url)
    load_kokphutsa(engine)
    engine.dispose()
    shutil.copy(tmp_path / "saraban.db", tmp_path / "stolen.db")
    stored = stolen_pin_hash(tmp_path / "stolen.db")

    # The attacker knows the format and even guesses the right PIN: Argon2 alone says no.
    argon2_part = stored.removeprefix(PEPPERED)
    assert stored.startswith(PEPPERED) and argon2_part.startswith("$argon2id$")
    assert not _argon2_accepts(argon2_part, PIN)
    # Another instance's pepper (the attacker's own install) does not help either.
    monkeypatch.setenv("SARABAN_KEYS_DIR", str(tmp_path / "attacker-keys"))
    get_settings.cache_clear()
    instance_secret(PEPPER_NAME)  # the attacker's install made its own
    assert not pin_matches(stored, PIN)
    # Only with this instance's pepper file does the right PIN check out.
    monkeypatch.setenv("SARABAN_KEYS_DIR", str(keys_dir))
    get_settings.cache_clear()
    assert pin_matches(stored, PIN) and not pin_matches(stored, "000000")


def test_thai_digits_match_a_pin_set_in_arabic_digits(keys_dir):
    stored = hash_pin(PIN)
    thai = PIN.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert pin_matches(stored, thai) and pin_matches(hash_pin(thai), PIN)


def test_a_hash_made_without_the_pepper_is_never_accepted(keys_dir):
    """Anyone who can write to the database could make one for a password of their choosing."""
    legacy = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash("1234")
    assert not secret_matches(legacy, "1234") and made_without_pepper(legacy)
    assert not made_without_pepper(hash_pin(PIN)) and not needs_rehash(hash_pin(PIN))


def test_hashes_are_made_with_owasp_s_argon2id_minimum(keys_dir, monkeypatch):
    monkeypatch.setattr(secrets, "_hasher", PasswordHasher(**secrets.ARGON2_PARAMETERS))  # the suite's is quicker
    assert "$argon2id$v=19$m=19456,t=2,p=1$" in hash_pin(PIN)
    assert not needs_rehash(hash_pin(PIN))
    weaker = PEPPERED + PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("x")
    assert needs_rehash(weaker), "a hash made with weaker parameters is replaced on the next check"


def _argon2_accepts(encoded: str, guess: str) -> bool:
    try:
        return PasswordHasher().verify(encoded, guess)
    except (VerificationError, InvalidHashError):
        return False
