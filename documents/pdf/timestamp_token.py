"""RFC 3161 time-stamps over a SHA-256 digest: asking a time-stamping authority (TSA) for one,
and reading one back.

A time-stamp is the TSA's signed word that a digest existed at a time. On a signed chain head
(models.head_statement) it bounds what the office's own clock says: someone holding the office's
keys can sign a statement with any date, but not make a TSA vouch for it after the fact.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from asn1crypto import cms
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko_certvalidator import ValidationContext


class TimestampUnavailable(RuntimeError):
    """The TSA could not be reached, or answered something that is not a time-stamp."""


@dataclass(frozen=True)
class TimestampFacts:
    time: dt.datetime | None  # the TSA's genTime
    tsa: str  # the TSA's name (its certificate's subject), "" when the token names none
    matches: bool  # the token stamps the expected digest
    intact: bool  # the TSA's signature over the token verifies with the certificate in it
    problem: str = ""  # why it cannot be read, Thai and English


def request_timestamp(url: str, sha256_hex: str, *, timeout: float) -> str:
    """A time-stamp token (base64 DER) over the digest, or TimestampUnavailable."""
    stamper = HTTPTimeStamper(url, timeout=timeout)
    try:
        token = _in_thread(stamper.async_timestamp(bytes.fromhex(sha256_hex), "sha256"), timeout + 5)
    except Exception as error:  # noqa: BLE001 - a TSA's failure is any of aiohttp's, asn1's or pyHanko's
        raise TimestampUnavailable(f"{type(error).__name__}: {error}") from error
    return base64.b64encode(token.dump()).decode("ascii")


def read_timestamp(token_b64: str, sha256_hex: str) -> TimestampFacts:
    """What a token says, checked against the digest it should stamp. Never raises."""
    try:
        token = cms.ContentInfo.load(base64.b64decode(token_b64, validate=True))
        signed_data = token["content"]
        info = signed_data["encap_content_info"]["content"].parsed
        imprint = info["message_imprint"]
        moment = info["gen_time"].native
        tsa = info["tsa"].native if info["tsa"].native is not None else ""
    except (ValueError, TypeError, KeyError, binascii.Error) as error:
        return TimestampFacts(None, "", False, False, f"อ่านตราประทับเวลาไม่ได้ (unreadable time-stamp token: {error})")
    matches = imprint["hash_algorithm"]["algorithm"].native == "sha256" and imprint[
        "hashed_message"
    ].native == bytes.fromhex(sha256_hex)
    return TimestampFacts(moment, _tsa_name(tsa), matches, _intact(signed_data, sha256_hex))


def _intact(signed_data: cms.SignedData, sha256_hex: str) -> bool:
    # The TSA's own certificate is the only one at hand: this checks that the token was signed by
    # the key of the certificate it carries and not changed since; whether that TSA is trusted is
    # the reader's to judge from its name.
    embedded = [c.chosen for c in signed_data["certificates"] or []]
    context = ValidationContext(trust_roots=embedded, allow_fetching=False)
    try:
        status = _in_thread(validate_tst_signed_data(signed_data, context, lambda _: bytes.fromhex(sha256_hex)), 30)
    except Exception:  # noqa: BLE001 - any failure to validate is "not intact"
        return False
    return bool(status.get("intact") and status.get("valid"))


def _tsa_name(tsa: Any) -> str:
    if isinstance(tsa, dict):
        return ", ".join(f"{k}={v}" for k, v in tsa.items())
    return str(tsa or "")


def _in_thread(coroutine: Any, timeout: float) -> Any:
    # The caller may run on an event loop (a Prefect task, the web app): a loop of our own, in a
    # thread of our own, waited for at most `timeout` seconds.
    result: list[Any] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(asyncio.run(coroutine))
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller's thread
            failure.append(error)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"no answer in {timeout:.0f} s")
    if failure:
        raise failure[0]
    return result[0]
