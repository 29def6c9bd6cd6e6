"""Real local peers for notification tests: an SMTP server (aiosmtpd) and an HTTP receiver
(http.server), each in a thread on 127.0.0.1. Nothing leaves 127.0.0.1: the proxy variables
are cleared so that requests cannot send a webhook elsewhere."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from models.settings import get_settings

LOCALHOST = "127.0.0.1"


@pytest.fixture
def home_without_office(tmp_path, monkeypatch) -> Iterator[Path]:
    """This test's own SARABAN_HOME, and no LibreOffice on PATH: publication goes on without PDFs."""
    monkeypatch.setenv("SARABAN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PATH", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path / "home"
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def only_localhost(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", f"{LOCALHOST},localhost")
    monkeypatch.setenv("no_proxy", f"{LOCALHOST},localhost")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return probe.getsockname()[1]


# --- a real SMTP server ------------------------------------------------------------------------


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage


@dataclass
class RecordingSMTPHandler:
    received: list[ReceivedMail] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.received.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@dataclass
class SMTPServer:
    port: int
    handler: RecordingSMTPHandler

    def channel_url(self, to: str = "somying@kokphutsa.go.th") -> str:
        # mailto:// + mode=insecure: plain SMTP, no STARTTLS; smtp= stops Apprise guessing a server.
        return (
            f"mailto://{LOCALHOST}:{self.port}?smtp={LOCALHOST}&mode=insecure"
            f"&from=saraban@kokphutsa.go.th&name=ระบบสารบรรณ&to={to}"
        )


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    handler = RecordingSMTPHandler()
    controller = Controller(handler, hostname=LOCALHOST, port=free_port())
    controller.start()
    try:
        yield SMTPServer(controller.port, handler)
    finally:
        controller.stop()


# --- a real HTTP receiver ----------------------------------------------------------------------


class WebhookReceiver(ThreadingHTTPServer):
    """Records each POST; answers with the scripted status codes in turn, then 200."""

    def __init__(self, statuses: list[int]):
        super().__init__((LOCALHOST, 0), _WebhookHandler)
        self.statuses = list(statuses)
        self.requests: list[tuple[str, dict]] = []
        self.idempotency_keys: list[str | None] = []  # each request's Idempotency-Key header
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def channel_url(self, path: str = "hooks/saraban") -> str:
        return f"json://{LOCALHOST}:{self.port}/{path}"


class _WebhookHandler(BaseHTTPRequestHandler):
    server: WebhookReceiver

    def do_POST(self):  # noqa: N802 - http.server's hook name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.server.lock:
            self.server.requests.append((self.path, json.loads(body)))
            self.server.idempotency_keys.append(self.headers.get("Idempotency-Key"))
            status = self.server.statuses.pop(0) if self.server.statuses else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):  # noqa: A002 - keep the test output quiet
        pass


@pytest.fixture
def webhook_factory() -> Iterator:
    receivers: list[WebhookReceiver] = []

    def start(statuses: list[int] | None = None) -> WebhookReceiver:
        receiver = WebhookReceiver(statuses or [])
        threading.Thread(target=receiver.serve_forever, daemon=True).start()
        receivers.append(receiver)
        return receiver

    yield start
    for receiver in receivers:
        receiver.shutdown()
        receiver.server_close()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port bound but not listening: a connection to it is refused at once, and nobody else
    can start listening on it during the test (unlike a port merely found free)."""
    with socket.socket() as holder:
        holder.bind((LOCALHOST, 0))
        yield holder.getsockname()[1]


# --- a local stand-in for LINE's Messaging API ---------------------------------------------------


class LineStandIn(ThreadingHTTPServer):
    """Answers LINE's push and reply endpoints as LINE does ({} with 200) and records each call:
    (path, Authorization header, JSON body). Saraban is pointed at it by SARABAN_LINE_API_BASE."""

    def __init__(self) -> None:
        super().__init__((LOCALHOST, 0), _LineHandler)
        self.calls: list[tuple[str, str, dict]] = []
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://{LOCALHOST}:{self.server_address[1]}"

    def pushes(self) -> list[dict]:
        with self.lock:
            return [body for path, _, body in self.calls if path == "/v2/bot/message/push"]

    def replies(self) -> list[dict]:
        with self.lock:
            return [body for path, _, body in self.calls if path == "/v2/bot/message/reply"]


class _LineHandler(BaseHTTPRequestHandler):
    server: LineStandIn

    def do_POST(self):  # noqa: N802 - http.server's hook name
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        with self.server.lock:
            self.server.calls.append((self.path, self.headers.get("Authorization", ""), body))
        known = self.path in ("/v2/bot/message/push", "/v2/bot/message/reply")
        answer = b"{}" if known else b'{"message":"Not found"}'
        self.send_response(200 if known else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format, *args):  # noqa: A002 - keep the test output quiet
        pass


@pytest.fixture
def line_api(monkeypatch) -> Iterator[LineStandIn]:
    server = LineStandIn()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("SARABAN_LINE_API_BASE", server.base)
    get_settings.cache_clear()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        get_settings.cache_clear()
