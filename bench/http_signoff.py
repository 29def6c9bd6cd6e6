"""Sign-offs per second through the HTTP endpoint with 20 concurrent users, and their latency.

    uv run python -m bench.http_signoff --users 20 --memos-per-user 10 [--pace 2]

Embedded defaults: a new SQLite database, the web app under uvicorn in its own process. Each
user is the approver of a one-step chain in their own synthetic organisation, with memos
waiting; 20 client threads sign them through POST /api/memos/{id}/sign at once. Every request
runs the whole sign-off path (session, CSRF, Argon2 PIN check, rules, decision + audit entry
in one transaction). No Prefect runs here: notifying flow runs is bench/memo_chain.py's part.

Without --pace every signer sends the next sign-off the moment the last one answers: a stress
test, whose mean latency is at least 20 / throughput (Little's law: with 20 requests always in
the system and about 40 ms of CPU each on 2 cores, ~0.4 s). --pace gives each signer the time
a person takes between two sign-offs (open the next memo, type the PIN); all 20 still start at
once, so the first burst is in the figures.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from cli.demo import DEMO_PIN as PIN
from cli.demo import draft_004
from deployments.local_server import free_port
from models.db import default_engine, session_scope
from models.digits import thai_digits
from models.enums import Stage
from models.migrate import upgrade
from models.settings import get_settings
from services.accounts.org_loader import OrganisationFile, load_organisation
from services.memo_life.memos import record_stage, submit_memo
from services.printing.document_context import current_revision

PASSWORD = "bench-password"


def organisation(index: int) -> OrganisationFile:
    people = [
        {
            "username": f"{role}{index}",
            "full_name": f"นาย{role} ทดสอบ{index}",
            "holds": [role],
            "password": PASSWORD,
            "pin": PIN,
        }
        for role in ("officer", "typist", "proofreader", "head")
    ]
    return OrganisationFile.model_validate(
        {
            "organisation": {
                "code": f"bench-{index}",
                "name": f"เทศบาลทดสอบ{thai_digits(index)}",  # Thai digits, as an office writes its name
                "kind": "municipality",
                "register_prefix": f"ทส {thai_digits(index)}",
            },
            "units": [{"code": "office", "name": "สำนักปลัด", "letterhead_name": "สป."}],
            "positions": [
                {"code": role, "title": role, "unit": "office"} for role in ("officer", "typist", "proofreader", "head")
            ],
            "people": people,
            "chains": [{"document_kind": "announcement", "steps": [{"position": "head"}]}],
        }
    )


def memos_waiting(index: int, count: int) -> list[tuple[int, str]]:
    """(memo id, revision hash) of memos waiting for head<index>: the API needs the hash signed."""
    ids = []
    for _ in range(count):
        with session_scope() as session:
            memo = submit_memo(session, username=f"officer{index}", pin=PIN, draft=draft_004(), again=True)
            ids.append((memo.id, current_revision(session, memo).sha256))
        for role, stage in (("typist", Stage.TYPESET), ("proofreader", Stage.PROOFREAD), ("head", Stage.CHECK)):
            with session_scope() as session:
                record_stage(session, memo_id=ids[-1][0], username=f"{role}{index}", pin=PIN, stage=stage)
    return ids


def sign_all(
    base: str,
    username: str,
    memo_ids: list[tuple[int, str]],
    latencies: list[float],
    errors: list[str],
    pace: float = 0.0,
) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        login = client.get("/login")
        token = login.cookies.get("saraban_login_csrf")
        client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        csrf = client.get("/api/me").json()["csrf_token"]
        for memo_id, revision_sha256 in memo_ids:
            start = time.perf_counter()
            response = client.post(
                f"/api/memos/{memo_id}/sign",
                headers={"X-CSRF-Token": csrf},
                json={
                    "decision": "approve",
                    "minute": "อนุมัติ",
                    "pin": PIN,
                    "step": 0,
                    "revision_sha256": revision_sha256,
                },
            )
            latencies.append(time.perf_counter() - start)
            if response.status_code != 200:
                errors.append(f"{response.status_code} {response.text[:120]}")
            time.sleep(pace)  # the signer reads the next memo and types the PIN


def percentile(ordered: list[float], q: int) -> float:
    return ordered[round(q / 100 * (len(ordered) - 1))]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
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
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the web app did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--memos-per-user", type=int, default=10)
    parser.add_argument(
        "--pace",
        type=float,
        default=0.0,
        help="seconds each signer takes between sign-offs (0: each signs the next the moment one answers)",
    )
    args = parser.parse_args()
    os.environ["SARABAN_HOME"] = tempfile.mkdtemp(prefix="saraban-http-bench-")
    # The bench logs 20 users in from one address: lift the login throttle for it.
    os.environ["SARABAN_LOGIN_ATTEMPTS"] = "1000"
    get_settings.cache_clear()
    default_engine.cache_clear()
    upgrade(get_settings().resolved_database_url)
    work = {}
    for index in range(args.users):
        with session_scope() as session:
            load_organisation(session, organisation(index), demo=True)
        work[f"head{index}"] = memos_waiting(index, args.memos_per_user)
    port = free_port()
    server = start_server(port)
    latencies, errors = [], []
    try:
        threads = [
            threading.Thread(
                target=sign_all, args=(f"http://127.0.0.1:{port}", user, ids, latencies, errors, args.pace)
            )
            for user, ids in work.items()
        ]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait()
    ordered = sorted(latencies)
    print(
        f"users: {args.users} concurrent, {len(latencies)} sign-offs, {len(errors)} errors "
        f"(SQLite, uvicorn 1 process, {Path(get_settings().resolved_database_url).name}), "
        + (f"{args.pace:g} s between a signer's sign-offs" if args.pace else "each signer without a pause")
    )
    print(f"sign-offs/second: {len(latencies) / elapsed:.1f}  ({elapsed:.1f} s in all, logins included)")
    print(
        "latency: "
        + ", ".join(f"p{q} {percentile(ordered, q) * 1000:.0f} ms" for q in (50, 95, 99))
        + f", max {ordered[-1] * 1000:.0f} ms"
    )
    if errors:
        print("first errors:", *errors[:3], sep="\n  ")


if __name__ == "__main__":
    main()
