"""One-time codes for a person's channels: the code in a new channel's test message, typed back
on /account, and the code a person sends to the office's LINE account to link their LINE.

A code is kept only as an HMAC under an instance key (models.instance_secrets): the database
alone does not tell it. Codes are eight letters and digits that cannot be mistaken for one
another on a phone (no 0/O, 1/I/L), about 40 bits: a guesser sending codes to the office's
LINE account has no useful chance in the few minutes one lives. Typed with or without the dash,
in either case, with Thai digits or not.
"""

import hashlib
import hmac
import secrets

from models.digits import arabic_digits
from models.instance_secrets import instance_secret

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
KEY_NAME = "notification-codes"


def new_code() -> str:
    letters = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{letters[:4]}-{letters[4:]}"


def normalised(typed: str) -> str:
    return "".join(ch for ch in arabic_digits(typed).upper() if ch.isalnum())


def code_hash(code: str, *, purpose: str, organisation_id: int) -> str:
    """The stored form: bound to its purpose and organisation, so a code of one office never
    matches at another's webhook, nor a LINE code as a channel's."""
    message = f"{purpose}\x00{organisation_id}\x00{normalised(code)}".encode()
    return hmac.new(instance_secret(KEY_NAME), message, hashlib.sha256).hexdigest()


def looks_like_code(text: str) -> bool:
    value = normalised(text)
    return len(value) == LENGTH and all(ch in ALPHABET for ch in value)
