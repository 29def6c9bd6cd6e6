"""Hashing of passwords and signing PINs (Argon2id over a peppered HMAC); clear values are never stored.

The pepper is an instance secret kept in a file, never in the database
(`instance_secret("pin-pepper")`): a stolen database alone cannot be used to try PINs
offline, because every guess needs HMAC-SHA256(pepper, guess) before Argon2 can check it.

A hash made without the pepper ("$argon2id$...", from before it existed) is never accepted:
anyone who can write to the database could put one there for a password of their choosing and
take the account over (the re-peppering at the next login would then erase the trace). An
instance that still holds some names them at `saraban init`; `saraban account reset` gives
each person a one-time code, on the record.
"""

import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from models.instance_secrets import instance_secret
from models.pin_policy import normalised_pin

# OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane): about 20 ms here instead of about
# 150 ms with the library's defaults, which decides how many sign-offs two cores can check.
# Against a copy of the database the pepper does the guarding; against the running system,
# the attempt limits (services.accounts.people, web.login_throttle).
# Hashes made with other parameters still verify: Argon2 keeps its parameters in the hash.
ARGON2_PARAMETERS = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}
_hasher = PasswordHasher(**ARGON2_PARAMETERS)
PEPPER_NAME = "pin-pepper"
STORED_HASHES = ("รหัสผ่านและ PIN ที่เก็บไว้", "stored passwords and PINs")
PEPPERED = "hmac-sha256-pepper$"  # marks hashes whose input was peppered; legacy ones begin "$argon2"


def _peppered(secret: str, *, for_stored_hash: bool = False) -> str:
    # A stored peppered hash proves a pepper was made: never make another in its place.
    pepper = instance_secret(PEPPER_NAME, must_exist=STORED_HASHES if for_stored_hash else None)
    return hmac.new(pepper, secret.encode(), hashlib.sha256).hexdigest()


def hash_secret(secret: str) -> str:
    return PEPPERED + _hasher.hash(_peppered(secret))


def secret_matches(stored_hash: str, candidate: str) -> bool:
    if not stored_hash.startswith(PEPPERED):
        return False  # made without the pepper: by an old release, or by a database writer
    try:
        return _hasher.verify(stored_hash.removeprefix(PEPPERED), _peppered(candidate, for_stored_hash=True))
    except (VerificationError, InvalidHashError):
        return False


def made_without_pepper(stored_hash: str) -> bool:
    return bool(stored_hash) and not stored_hash.startswith(PEPPERED)


def needs_rehash(stored_hash: str) -> bool:
    """True for a hash made with weaker parameters: after a successful check, store a new one."""
    if not stored_hash.startswith(PEPPERED):
        return True
    try:
        return _hasher.check_needs_rehash(stored_hash.removeprefix(PEPPERED))
    except InvalidHashError:
        return True


def hash_pin(pin: str) -> str:
    """A PIN's hash: Thai and Arabic digits are the same PIN (models.digits)."""
    return hash_secret(normalised_pin(pin))


def pin_matches(stored_hash: str, typed: str) -> bool:
    return secret_matches(stored_hash, normalised_pin(typed))
