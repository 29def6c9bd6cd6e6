"""X-Forwarded-For is believed from SARABAN_TRUSTED_PROXIES alone: otherwise a local user (or
anyone, when the proxy is on another machine) picks the address the login throttle counts, and
by varying it guesses without limit."""

import re

import httpx
import pytest
from sqlmodel import select

from deployments.local_server import free_port
from models import LoginAttempt
from models.db import session_scope
from models.settings import get_settings
from web import sessions
from web.app import create_app
from web.server import web_in_background


def failed_logins_from(site: str, forwarded: list[str]) -> list[str]:
    """One wrong password per forwarded address; the addresses the throttle recorded."""
    with httpx.Client(base_url=site) as browser:
        for address in forwarded:
            token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text)[1]
            browser.post(
                "/login",
                data={"username": "kanokporn", "password": "wrong", "csrf_token": token},
                headers={"X-Forwarded-For": address},
            )
    with session_scope() as session:
        return [a.address for a in session.exec(select(LoginAttempt).order_by(LoginAttempt.id))]


def test_a_forwarded_address_from_an_untrusted_connection_is_ignored(web_home):
    with web_in_background(create_app(), free_port()) as site:
        assert failed_logins_from(site, ["10.0.0.1", "10.0.0.2"]) == ["127.0.0.1", "127.0.0.1"]


def test_a_configured_proxy_s_forwarded_address_is_counted(web_home, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SARABAN_TRUSTED_PROXIES", "127.0.0.1")
    get_settings.cache_clear()
    with web_in_background(create_app(), free_port()) as site:
        assert failed_logins_from(site, ["10.0.0.1", "10.0.0.2"]) == ["10.0.0.1", "10.0.0.2"]


def test_an_unknown_username_takes_a_password_check_like_a_known_one(web_home, monkeypatch: pytest.MonkeyPatch):
    """Login timing told existing usernames from unknown ones (≈10 ms against 60-130 ms): now an
    unknown or deactivated username costs the same Argon2 check as a wrong password."""
    checked: list[str] = []
    real = sessions.secret_matches
    monkeypatch.setattr(
        sessions, "secret_matches", lambda stored, typed, **kw: checked.append(typed) or real(stored, typed, **kw)
    )
    for username in ("kanokporn", "nobody-at-all"):
        assert not sessions.check_password(username, "wrong").matched
    assert checked == ["wrong", "wrong"]
