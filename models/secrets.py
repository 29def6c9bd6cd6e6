"""Hashing of passwords and signing PINs (Argon2id over a peppered HMAC); clear values are never stored.

The pepper is an instance secret kept in a file, never in the database
(`instance_secret("pin-pepper")`): a stolen database alone cannot be used to try PINs
offline, because every guess needs HMAC-SHA256(pepper, guess) before Argon2 can check it.

A hash made without the pepper ("$argon2id$...", from before it existed) is never accepted:
anyone who can write to the database could put one there for a password of their choosing and
take the account over (the re-peppering at the next login would then erase the trace). An
instance that still holds some names them at `saraban init`; `saraban account reset` gives
each person a one-time code, on the record.

Every stored hash is also bound to its username by an HMAC under the same pepper
(`bind`): a writer who copies their own hash onto another person's row, to sign as them and
copy it back, holds a hash bound to the wrong name, which no check accepts. Hashes made before
the binding are bound once, as they stand, by `saraban init`
(services.accounts.credentials.bind_hashes_made_before_binding).
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
BOUND = "bound$"  # BOUND + HMAC(pepper, username, hash) + "$" + a PEPPERED hash


def _peppered(secret: str, *, for_stored_hash: bool = False) -> str:
    # A stored peppered hash proves a pepper was made: never make another in its place.
    pepper = instance_secret(PEPPER_NAME, must_exist=STORED_HASHES if for_stored_hash else None)
    return hmac.new(pepper, secret.encode(), hashlib.sha256).hexdigest()


def hash_secret(secret: str, *, username: str) -> str:
    """The stored form of `username`'s password (or, through hash_pin, PIN)."""
    return bind(username, peppered_hash(secret))


def peppered_hash(secret: str) -> str:
    """A hash not yet bound to anyone: what an organisation file carries (`saraban account
    hash-password`); loading the file binds it to the person it is given for."""
    return PEPPERED + _hasher.hash(_peppered(secret))


def bound_to(username: str, stored_hash: str) -> str:
    """`stored_hash` bound to `username`, if it was made before the binding (else unchanged)."""
    return bind(username, stored_hash) if made_before_binding(stored_hash) else stored_hash


def bind(username: str, peppered_hash: str) -> str:
    """A peppered hash bound to the username it belongs to."""
    return f"{BOUND}{_binding(username, peppered_hash)}${peppered_hash}"


def _binding(username: str, peppered_hash: str) -> str:
    pepper = instance_secret(PEPPER_NAME, must_exist=STORED_HASHES)
    return hmac.new(pepper, f"bound-to\x00{username}\x00{peppered_hash}".encode(), hashlib.sha256).hexdigest()


def _peppered_hash_of(stored_hash: str, username: str) -> str | None:
    """The peppered hash inside `stored_hash` if it is bound to `username`; None otherwise
    (bound to someone else, unbound, or made without the pepper)."""
    if not stored_hash.startswith(BOUND):
        return None
    binding, _, peppered_hash = stored_hash.removeprefix(BOUND).partition("$")
    if not peppered_hash.startswith(PEPPERED):
        return None
    return peppered_hash if hmac.compare_digest(binding, _binding(username, peppered_hash)) else None


def secret_matches(stored_hash: str, candidate: str, *, username: str) -> bool:
    peppered_hash = _peppered_hash_of(stored_hash, username)
    if peppered_hash is None:
        return False  # unbound, bound to another person, or made without the pepper: a writer's
    try:
        return _hasher.verify(peppered_hash.removeprefix(PEPPERED), _peppered(candidate, for_stored_hash=True))
    except (VerificationError, InvalidHashError):
        return False


def made_without_pepper(stored_hash: str) -> bool:
    return bool(stored_hash) and not stored_hash.startswith((PEPPERED, BOUND))


def made_before_binding(stored_hash: str) -> bool:
    """A peppered hash from before the binding: `saraban init` binds it where it stands."""
    return stored_hash.startswith(PEPPERED)


def needs_rehash(stored_hash: str, *, username: str) -> bool:
    """True for a hash made with weaker parameters: after a successful check, store a new one."""
    peppered_hash = _peppered_hash_of(stored_hash, username)
    if peppered_hash is None:
        return True
    try:
        return _hasher.check_needs_rehash(peppered_hash.removeprefix(PEPPERED))
    except InvalidHashError:
        return True


def hash_pin(pin: str, *, username: str) -> str:
    """A PIN's hash: Thai and Arabic digits are the same PIN (models.digits)."""
    return hash_secret(normalised_pin(pin), username=username)


def peppered_pin_hash(pin: str) -> str:
    return peppered_hash(normalised_pin(pin))


def pin_matches(stored_hash: str, typed: str, *, username: str) -> bool:
    return secret_matches(stored_hash, normalised_pin(typed), username=username)
