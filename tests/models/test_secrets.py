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
    BOUND,
    PEPPER_NAME,
    PEPPERED,
    bind,
    bound_to,
    hash_pin,
    made_without_pepper,
    needs_rehash,
    pin_matches,
    secret_matches,
)
from models.settings import get_settings
from tests.builders import PIN, load_kokphutsa

SIGNER = "kanokporn"


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
    argon2_part = stored.partition(PEPPERED)[2]
    assert stored.startswith(BOUND) and argon2_part.startswith("$argon2id$")
    assert not _argon2_accepts(argon2_part, PIN)
    # Another instance's pepper (the attacker's own install) does not help either.
    monkeypatch.setenv("SARABAN_KEYS_DIR", str(tmp_path / "attacker-keys"))
    get_settings.cache_clear()
    instance_secret(PEPPER_NAME)  # the attacker's install made its own
    assert not pin_matches(stored, PIN, username=SIGNER)
    # Only with this instance's pepper file does the right PIN check out.
    monkeypatch.setenv("SARABAN_KEYS_DIR", str(keys_dir))
    get_settings.cache_clear()
    assert pin_matches(stored, PIN, username=SIGNER) and not pin_matches(stored, "000000", username=SIGNER)


def test_thai_digits_match_a_pin_set_in_arabic_digits(keys_dir):
    stored = hash_pin(PIN, username=SIGNER)
    thai = PIN.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert pin_matches(stored, thai, username=SIGNER) and pin_matches(
        hash_pin(thai, username=SIGNER), PIN, username=SIGNER
    )


def test_a_hash_made_without_the_pepper_is_never_accepted(keys_dir):
    """Anyone who can write to the database could make one for a password of their choosing."""
    legacy = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash("1234")
    assert not secret_matches(legacy, "1234", username=SIGNER) and made_without_pepper(legacy)
    stored = hash_pin(PIN, username=SIGNER)
    assert not made_without_pepper(stored) and not needs_rehash(stored, username=SIGNER)


def test_a_hash_is_bound_to_its_owner_and_a_copy_on_another_row_matches_nothing(keys_dir):
    """A database writer copied their own hashes onto another person's row, signed, and copied
    them back: the binding to the username makes the copy useless."""
    own = hash_pin(PIN, username="somying")
    assert pin_matches(own, PIN, username="somying")
    assert not pin_matches(own, PIN, username=SIGNER)
    # Nor can the writer re-bind it: the binding is an HMAC under the pepper they do not hold.
    inner = own.partition("$")[2].partition("$")[2]
    forged = f"{BOUND}{'0' * 64}${inner}"
    assert not pin_matches(forged, PIN, username=SIGNER)
    # A peppered hash from before the binding is refused until `saraban init` binds it.
    unbound = PEPPERED + inner.removeprefix(PEPPERED)
    assert not pin_matches(unbound, PIN, username="somying")
    assert pin_matches(bound_to("somying", unbound), PIN, username="somying")


def test_hashes_are_made_with_owasp_s_argon2id_minimum(keys_dir, monkeypatch):
    monkeypatch.setattr(secrets, "_hasher", PasswordHasher(**secrets.ARGON2_PARAMETERS))  # the suite's is quicker
    assert "$argon2id$v=19$m=19456,t=2,p=1$" in hash_pin(PIN, username=SIGNER)
    assert not needs_rehash(hash_pin(PIN, username=SIGNER), username=SIGNER)
    weaker = bind(SIGNER, PEPPERED + PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("x"))
    assert needs_rehash(weaker, username=SIGNER), "a hash made with weaker parameters is replaced on the next check"


def _argon2_accepts(encoded: str, guess: str) -> bool:
    try:
        return PasswordHasher().verify(encoded, guess)
    except (VerificationError, InvalidHashError):
        return False
