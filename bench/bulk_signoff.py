"""Approving 20 memos in one request (POST /api/sign-many, one PIN), beside 20 single sign-offs.

    uv run python -m bench.bulk_signoff --memos 20

Embedded defaults: a new SQLite database, the web app under uvicorn in its own process (as
bench/http_signoff.py sets them up). One signer of a one-step chain has 2 × N memos waiting:
N are signed one request each (the baseline: N Argon2 PIN checks, N transactions), then N in one
request (one PIN check; still one transaction, one decision and one audit entry per memo,
each through services.memo_life.signoff). Target: N = 20 in at most 2 s.
"""

import argparse
import os
import tempfile
import time

import httpx

from bench.http_signoff import PASSWORD, memos_waiting, organisation, start_server
from cli.demo import DEMO_PIN as PIN
from deployments.local_server import free_port
from models.db import default_engine, session_scope
from models.migrate import upgrade
from models.settings import get_settings
from services.accounts.org_loader import load_organisation

TARGET_SECONDS = 2.0


def signed_in(base: str, username: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=120)
    token = client.get("/login").cookies.get("saraban_login_csrf")
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    return client, client.get("/api/me").json()["csrf_token"]


def one_by_one(client: httpx.Client, csrf: str, memos: list[tuple[int, str]]) -> float:
    start = time.perf_counter()
    for memo_id, revision in memos:
        answer = client.post(
            f"/api/memos/{memo_id}/sign",
            headers={"X-CSRF-Token": csrf},
            json={"decision": "approve", "minute": "อนุมัติ", "pin": PIN, "step": 0, "revision_sha256": revision},
        )
        answer.raise_for_status()
    return time.perf_counter() - start


def in_one_request(client: httpx.Client, csrf: str, memos: list[tuple[int, str]]) -> tuple[float, int]:
    body = {
        "pin": PIN,
        "minute": "อนุมัติ",
        "memos": [{"memo_id": memo_id, "step": 0, "revision_sha256": revision} for memo_id, revision in memos],
    }
    start = time.perf_counter()
    answer = client.post("/api/sign-many", headers={"X-CSRF-Token": csrf}, json=body)
    elapsed = time.perf_counter() - start
    answer.raise_for_status()
    return elapsed, sum(outcome["signed"] for outcome in answer.json())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memos", type=int, default=20)
    args = parser.parse_args()
    os.environ["SARABAN_HOME"] = tempfile.mkdtemp(prefix="saraban-bulk-bench-")
    get_settings.cache_clear()
    default_engine.cache_clear()
    upgrade(get_settings().resolved_database_url)
    with session_scope() as session:
        load_organisation(session, organisation(0), demo=True)
    waiting = memos_waiting(0, 2 * args.memos)
    server = start_server(port := free_port())
    try:
        client, csrf = signed_in(f"http://127.0.0.1:{port}", "head0")
        single = one_by_one(client, csrf, waiting[: args.memos])
        bulk, signed = in_one_request(client, csrf, waiting[args.memos :])
        client.close()
    finally:
        server.terminate()
        server.wait()
    print(
        f"{args.memos} single sign-offs (one request each): {single:.2f} s ({single / args.memos * 1000:.0f} ms each)"
    )
    print(
        f"{args.memos} memos in one sign-many request: {bulk:.2f} s, {signed} signed "
        f"(target <= {TARGET_SECONDS:.0f} s: {'met' if bulk <= TARGET_SECONDS else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
