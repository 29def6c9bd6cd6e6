"""Accounts attacked and used through HTTP: guessing passwords (in parallel, against two web
processes), locking a named person out, planted or stolen session cookies, PINs in Thai
digits, weak PINs, an administrator's reset and deactivation."""

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import select

from deployments.local_server import free_port
from models import AuditEntry, LoginAttempt
from models.db import session_scope
from models.settings import get_settings
from tests.builders import PIN
from tests.web.conftest import csrf_of, login
from tests.web.test_pages import as_user, decisions, sign, stage_all, submit

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
NEW_PIN = "739164"
PASSWORD_TYPED_AS_USERNAME = "Kanok!Secret-2569"


# --- against real web processes --------------------------------------------------------------------


@pytest.fixture
def two_web_processes(web_home) -> Iterator[list[str]]:
    """Two uvicorn processes on the same database, as in production behind a load balancer."""
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "web.app:create_app",
                "--factory",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=os.environ.copy(),
        )
        for port in ports
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in bases:
            _wait_for(base)
        yield bases
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def _wait_for(base: str) -> None:
    for _ in range(300):
        try:
            httpx.get(f"{base}/login", timeout=1)
            return
        except httpx.HTTPError:
            threading.Event().wait(0.1)
    raise RuntimeError(f"{base} did not start")


def _login_over_http(base: str, username: str, password: str, address: str | None = None) -> httpx.Response:
    headers = {"X-Forwarded-For": address} if address else {}  # uvicorn trusts it from 127.0.0.1, like a proxy
    with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
        token = client.get("/login").cookies["saraban_login_csrf"]
        return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def test_fifteen_parallel_wrong_passwords_over_two_processes_are_not_all_checked(two_web_processes):
    clients = []
    for index in range(15):
        client = httpx.Client(base_url=two_web_processes[index % 2], timeout=60)
        clients.append((client, client.get("/login").cookies["saraban_login_csrf"]))
    start, statuses = threading.Barrier(15), []

    def guess(client: httpx.Client, token: str, index: int) -> None:
        start.wait()
        response = client.post(
            "/login", data={"username": "kanokporn", "password": f"guess-{index}", "csrf_token": token}
        )
        statuses.append(response.status_code)

    threads = [
        threading.Thread(target=guess, args=(client, token, index)) for index, (client, token) in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client, _ in clients:
        client.close()
    limit = get_settings().login_attempts
    assert sorted(statuses) == [401] * statuses.count(401) + [429] * statuses.count(429)
    assert statuses.count(401) <= limit and statuses.count(429) >= 15 - limit
    with session_scope() as session:
        checked = session.exec(select(AuditEntry).where(AuditEntry.action == "web.login.refused")).all()
    assert len(checked) == statuses.count(401) <= limit


def test_guessing_from_one_address_does_not_lock_the_person_out_from_another(two_web_processes):
    base = two_web_processes[0]
    guesses = [_login_over_http(base, "kanokporn", f"guess-{n}", address="203.0.113.9").status_code for n in range(8)]
    assert guesses == [401] * 5 + [429] * 3  # the guessing address is stopped
    # The person herself, from her office: slowed down a little, never shut out.
    assert _login_over_http(base, "kanokporn", "demo-password", address="198.51.100.7").status_code == 303
    # Guessing another name from the blocked address stops too: the address itself is blocked.
    assert _login_over_http(base, "somying", "guess", address="203.0.113.9").status_code == 429


# --- through the app's HTTP interface (TestClient) ----------------------------------------------------


def test_a_login_revokes_the_session_the_browser_came_with(client):
    as_user(client, "somying")
    planted = client.cookies.get("saraban_session")  # e.g. a cookie an attacker set for the victim's browser
    assert login(client, "kanokporn").status_code == 303
    fresh = client.cookies.get("saraban_session")
    assert fresh and fresh != planted
    client.cookies.clear()
    client.cookies.set("saraban_session", planted)
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")
    client.cookies.set("saraban_session", fresh)
    assert client.get("/", follow_redirects=False).status_code == 200


def test_a_password_typed_into_the_username_field_is_kept_nowhere(client):
    assert login(client, PASSWORD_TYPED_AS_USERNAME, "demo-password").status_code == 401
    assert login(client, "kanokporn", "wrong-password").status_code == 401
    with session_scope() as session:
        stored = [repr(row) for table in (AuditEntry, LoginAttempt) for row in session.exec(select(table))]
        refused = session.exec(select(AuditEntry).where(AuditEntry.action == "web.login.refused")).all()
    assert not any(PASSWORD_TYPED_AS_USERNAME.lower() in row.lower() for row in stored)
    # A real username's failure is kept, filed under its own organisation, with where it came from.
    assert [(e.actor, json.loads(e.data_json)) for e in refused] == [
        ("kanokporn", {"organisation": "kokphutsa", "address": "testclient", "user_agent": "testclient"})
    ]
    assert login(client, "kanokporn").status_code == 303
    with session_scope() as session:
        logged_in = session.exec(select(AuditEntry).where(AuditEntry.action == "web.login")).one()
    assert json.loads(logged_in.data_json) == {"address": "testclient", "user_agent": "testclient"}


def test_a_pin_typed_in_thai_digits_signs(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    response = sign(client, memo_id, "kanokporn", pin=PIN.translate(THAI))
    assert response.status_code == 303 and "msg=signed" in response.headers["location"]
    assert decisions() == 1
    with session_scope() as session:  # where the sign-off came from is kept with it
        recorded = session.exec(select(AuditEntry).where(AuditEntry.action == "signoff.recorded")).one()
    assert {"address": "testclient", "user_agent": "testclient", "via": "web"}.items() <= json.loads(
        recorded.data_json
    ).items()


def test_changing_the_pin_refuses_weak_ones_and_then_signs_with_the_new_one(client):
    memo_id = submit(client)
    stage_all(client, memo_id)
    token = as_user(client, "kanokporn")
    assert "/account" in client.get("/").text  # reachable from the header
    for weak, reason in (("123456", "run"), ("๑๑๑๑๑๑", "repeat one digit"), ("150369", "date"), ("4829", "at least 6")):
        refused = client.post("/account/pin", data={"current": PIN, "new": weak, "again": weak, "csrf_token": token})
        assert refused.status_code == 400 and reason in refused.text
    wrong_old = client.post(
        "/account/pin", data={"current": "000000", "new": NEW_PIN, "again": NEW_PIN, "csrf_token": token}
    )
    assert wrong_old.status_code == 400 and "wrong signing PIN" in wrong_old.text
    changed = client.post(
        "/account/pin",
        data={"current": PIN, "new": NEW_PIN.translate(THAI), "again": NEW_PIN.translate(THAI), "csrf_token": token},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    old = sign(client, memo_id, "kanokporn")
    assert old.status_code == 403 and "wrong signing PIN" in old.text  # the old PIN no longer signs
    assert sign(client, memo_id, "kanokporn", pin=NEW_PIN).status_code == 303


def test_an_administrator_resets_a_password_and_the_person_must_replace_it(client):
    victim = httpx.Cookies()
    as_user(client, "somying")
    victim.update(client.cookies)  # somying's browser, still signed in elsewhere
    token = as_user(client, "kanokporn")
    page = client.post("/admin/people/somying/reset", data={"what": "password", "csrf_token": token})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    code = re.search(r"somying: (\S+) แจ้ง", page.text)[1]  # shown once, on the page, never in a URL
    client.cookies.clear()
    client.cookies.update(victim)
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")  # sessions ended
    assert login(client, "somying").status_code == 401  # the old password is gone
    client.cookies.clear()
    assert login(client, "somying", code).status_code == 303
    assert client.get("/", follow_redirects=False).headers["location"] == "/account"
    assert client.get("/api/queue").status_code == 403
    token = csrf_of(client, "/account")
    mismatch = client.post(
        "/account/password", data={"current": code, "new": "a-new-password", "again": "another", "csrf_token": token}
    )
    assert mismatch.status_code == 400
    done = client.post(
        "/account/password",
        data={"current": code, "new": "somying-own-password", "again": "somying-own-password", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 200  # this session goes on
    with session_scope() as session:
        entries = session.exec(select(AuditEntry)).all()
    logged = " ".join(e.actor + e.subject + e.data_json for e in entries)
    assert code not in logged and "somying-own-password" not in logged
    assert {"account.password.reset", "account.password.changed"} <= {e.action for e in entries}


def test_a_deactivated_person_is_signed_out_and_cannot_log_in(client):
    as_user(client, "preecha")
    preecha = dict(client.cookies)
    token = as_user(client, "kanokporn")
    response = client.post(
        "/admin/people/preecha/deactivate", data={"confirm": "yes", "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303 and "msg=" in response.headers["location"]
    assert "ปิดแล้ว" in client.get("/admin/people").text
    client.cookies.clear()
    client.cookies.update(preecha)
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")
    client.cookies.clear()
    assert login(client, "preecha").status_code == 401
