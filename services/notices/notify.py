"""Notifications through Apprise: every channel tried, retried with backoff, and reported; never raised.

A channel is one Apprise URL an organisation configured: email (`mailto://`, `mailtos://`), LINE,
Telegram, a generic webhook (`json://`) and the rest of what Apprise supports. `send` delivers one
message on each channel in parallel, so a slow or dead channel delays nobody else's, retries a
failed channel `attempts` times with exponential backoff, logs every failure, and returns one
`DeliveryResult` per channel for the caller to record. It never raises for a delivery problem:
a notification is a courtesy, the routing must go on without it.

Apprise URLs often hold passwords or tokens, so a URL is only ever logged or reported in
Apprise's privacy form (`mailto://user:****@host`).

Plain SMTP without TLS (a relay inside the office network, or a test server):
    mailto://127.0.0.1:2525?smtp=127.0.0.1&mode=insecure&from=saraban@example.go.th&to=someone@example.go.th
`mailto://` with `mode=insecure` never starts TLS; `mailtos://` (or `mode=starttls`/`mode=ssl`)
does. `smtp=` names the server so that Apprise does not guess one from the address's domain.

Two URLs are Saraban's own, for the channels people add themselves (services.notices.own_channels):
`saraban-mail://ADDRESS` goes through the office's mail server (SARABAN_MAIL_URL, whose password
is thus in no person's row), and `saraban-line://ORG/USERID` is pushed through the office's LINE
Official Account (services.notices.line_push).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import apprise

from models.settings import get_settings
from services.notices import line_push

log = logging.getLogger(__name__)

DEFAULT_ATTEMPTS = 3
DEFAULT_BACKOFF_SECONDS = 2.0  # waits 2 s, then 4 s: long enough for a receiver that hiccupped
MAX_PARALLEL_CHANNELS = 8
_APPRISE_LOGGER = "apprise"
_sleep = time.sleep  # a seam for tests that check the backoff without waiting for it


@dataclass(frozen=True)
class Channel:
    """One place a notification goes, as an organisation configured it.

    `url` is an Apprise URL (it may hold a password: it is kept out of repr and logs).
    `recipient` says who the channel is for: a person's username, or None for a channel the whole
    organisation shares (a LINE group, the office mailbox, the website's webhook).
    """

    name: str
    url: str = field(repr=False)
    recipient: str | None = None

    @classmethod
    def from_config(cls, entry: Mapping[str, object]) -> Channel:
        """A channel from an organisation's configuration: {name, url, recipient?}."""
        unknown = set(entry) - {"name", "url", "recipient"}
        if unknown:
            raise ValueError(f"notification channel: unknown key(s) {', '.join(sorted(unknown))}")
        if not entry.get("name") or not entry.get("url"):
            raise ValueError("notification channel: 'name' and 'url' are required")
        recipient = entry.get("recipient")
        channel = cls(str(entry["name"]), str(entry["url"]), str(recipient) if recipient else None)
        problem = channel_problem(channel)
        if problem:
            raise ValueError(f"notification channel {channel.name!r}: {problem}")
        return channel

    def redacted_url(self) -> str:
        """The URL with its secrets masked, fit for logs and for the officer's screen."""
        if self.url.startswith(f"{line_push.SCHEME}://"):
            return line_push.redacted(self.url)
        if self.url.startswith(f"{MAIL_SCHEME}://"):
            return f"mailto://{mail_address(self.url)}"
        plugin = _instantiate(self.url)
        if plugin is None:
            return self.url.split("://", 1)[0] + "://…"
        return plugin.url(privacy=True)


@dataclass(frozen=True)
class Notification:
    """What to say: a title (the email subject) and a plain-text body."""

    title: str
    body: str


@dataclass(frozen=True)
class DeliveryResult:
    """How one channel went: delivered (ok) or failed after `attempts` tries, with the last error."""

    channel: str
    recipient: str | None
    ok: bool
    attempts: int
    error: str | None = None


MAIL_SCHEME = "saraban-mail"
_ADDRESS_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_+@")


def mail_address(url: str) -> str:
    return url.removeprefix(f"{MAIL_SCHEME}://")


def office_mail_url(address: str) -> str | None:
    """The Apprise URL that mails `address` through the office's server (SARABAN_MAIL_URL), or
    None when there is none. The address is checked to hold only address characters: nothing it
    holds can add a parameter (a second `to=`, another `smtp=`) to the URL."""
    base = get_settings().mail_url.strip()
    if not base or not address or not set(address) <= _ADDRESS_CHARS or address.count("@") != 1:
        return None
    return f"{base}{'&' if '?' in base else '?'}to={address.replace('+', '%2B')}"  # a bare + reads as a space


def channel_problem(channel: Channel) -> str | None:
    """Why Apprise cannot use this channel's URL, or None when it can (checks form, sends nothing)."""
    if channel.url.startswith(f"{line_push.SCHEME}://"):
        return None if line_push.parse_url(channel.url) else "not a valid saraban-line:// URL"
    if channel.url.startswith(f"{MAIL_SCHEME}://"):
        url = office_mail_url(mail_address(channel.url))
        if url is None:
            return "no office mail server (SARABAN_MAIL_URL), or not an e-mail address"
        return None if _instantiate(url) else "SARABAN_MAIL_URL is not a valid Apprise URL"
    if _instantiate(channel.url) is None:
        scheme = channel.url.split("://", 1)[0] if "://" in channel.url else channel.url[:12]
        return f"not a valid Apprise URL (scheme {scheme!r})"
    return None


def send(
    message: Notification,
    channels: Sequence[Channel],
    *,
    attempts: int = DEFAULT_ATTEMPTS,
    backoff_seconds: float = DEFAULT_BACKOFF_SECONDS,
) -> list[DeliveryResult]:
    """Deliver `message` on every channel; one result per channel, in the order given.

    A failed channel is tried again up to `attempts` times in all, waiting `backoff_seconds`,
    then twice that, and so on. Only bad arguments raise (before anything is sent).
    """
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    if backoff_seconds < 0:
        raise ValueError(f"backoff_seconds cannot be negative, got {backoff_seconds}")
    if not channels:
        return []

    def deliver(channel: Channel) -> DeliveryResult:
        return _deliver_with_retries(message, channel, attempts, backoff_seconds)

    workers = min(len(channels), MAX_PARALLEL_CHANNELS)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notify") as pool:
        return list(pool.map(deliver, channels))


def _where(url: str) -> str:
    """Scheme and host only, for logs: tokens ride in the user part, the path and the query
    (LINE, Telegram and Discord put them in the path), and none of that may reach a log."""
    try:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"
    except ValueError:
        return "(url not shown)"


def _deliver_with_retries(
    message: Notification, channel: Channel, attempts: int, backoff_seconds: float
) -> DeliveryResult:
    where = _where(channel.url)
    if problem := channel_problem(channel):
        # A configuration error: trying again cannot help.
        log.error("notification channel %r (%s): %s; not sent", channel.name, where, problem)
        return DeliveryResult(channel.name, channel.recipient, ok=False, attempts=1, error=problem)

    error = None
    for attempt in range(1, attempts + 1):
        error = _deliver_once(message, channel)
        if error is None:
            if attempt > 1:
                log.info("notification channel %r delivered on attempt %d", channel.name, attempt)
            return DeliveryResult(channel.name, channel.recipient, ok=True, attempts=attempt)
        if attempt < attempts:
            wait = backoff_seconds * 2 ** (attempt - 1)
            log.warning(
                "notification channel %r (%s) attempt %d/%d failed: %s; retrying in %.1f s",
                channel.name,
                where,
                attempt,
                attempts,
                error,
                wait,
            )
            _sleep(wait)
    log.error(
        "notification channel %r (%s) failed after %d attempts: %s",
        channel.name,
        where,
        attempts,
        error,
    )
    return DeliveryResult(channel.name, channel.recipient, ok=False, attempts=attempts, error=error)


def _deliver_once(message: Notification, channel: Channel) -> str | None:
    """One try; the error text, or None when Apprise reports the message delivered."""
    url = channel.url
    if url.startswith(f"{line_push.SCHEME}://"):
        try:
            return line_push.push_url(url, message.title, message.body)
        except Exception as error:  # noqa: BLE001 - as a plugin's bug: never reaches the routing
            return f"{type(error).__name__}: {error}"
    if url.startswith(f"{MAIL_SCHEME}://"):
        url = office_mail_url(mail_address(url)) or ""
    # A fresh plugin each try: a reused one would wait out Apprise's own throttle (5.5 s for email).
    plugin = _instantiate(url)
    if plugin is None:
        return "not a valid Apprise URL"
    # Through an Apprise object, not plugin.notify(): only Apprise converts the plain-text body to
    # each channel's format (an email's HTML part escaped and with line breaks kept).
    sender = apprise.Apprise()
    sender.add(plugin)
    with _AppriseWarnings() as warnings:
        try:
            delivered = sender.notify(body=message.body, title=message.title, body_format=apprise.NotifyFormat.TEXT)
        except Exception as error:  # noqa: BLE001 - a plugin bug must not reach the routing
            return f"{type(error).__name__}: {error}"
    if delivered:
        return None
    return "; ".join(warnings.messages) or "Apprise reported a failure without a reason"


def _instantiate(url: str):
    try:
        return apprise.Apprise.instantiate(url, suppress_exceptions=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is reported as invalid, not raised
        return None


class _AppriseWarnings(logging.Handler):
    """Collects the warnings Apprise logs in this thread: its only account of why a send failed.

    Apprise returns False without an exception; the reason ("Connection error while submitting
    email", "Failed to send JSON POST notification: Internal Server Error") is in its log. Channels
    are sent in parallel threads, so each collector keeps only its own thread's records.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.thread_id = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread_id:
            return
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            # Apprise logs a plugin's own exception as "Unhandled Notification Exception": name it.
            error = record.exc_info[1]
            text += f" ({type(error).__name__}: {error})"
        self.messages.append(text)

    def __enter__(self) -> _AppriseWarnings:
        logging.getLogger(_APPRISE_LOGGER).addHandler(self)
        return self

    def __exit__(self, *exc_info) -> None:
        logging.getLogger(_APPRISE_LOGGER).removeHandler(self)
