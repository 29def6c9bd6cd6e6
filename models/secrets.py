"""Hashing of passwords and signing PINs (Argon2id); clear values are never stored."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane): about 20 ms here instead of about
# 150 ms with the library's defaults, which decides how many sign-offs two cores can check. A
# 4-digit PIN is guarded by the attempt limit (services.people), not by the hash's cost.
# Hashes made with other parameters still verify: Argon2 keeps its parameters in the hash.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def secret_matches(stored_hash: str, candidate: str) -> bool:
    try:
        return _hasher.verify(stored_hash, candidate)
    except (VerificationError, InvalidHashError):
        return False
