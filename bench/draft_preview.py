"""The memo form's live preview (`POST /memos/preview`), which the form's script asks for as
the officer types: how long one answer takes, over HTTP (FastAPI's TestClient, one process),
for the seed 004 memo as typed clean, with a misspelling (ปฎิบัติ in ประกาศ ข้อ ๒), and being
typed (the facts one word longer at each request).

    uv run python -m bench.draft_preview [--runs 41]

The word lists are loaded before timing (a served app loads them at start: web.server.run_web),
so the figures are a typing officer's, not the first request's.
"""

import argparse
import json
import os
import re
import statistics
import tempfile
import time

from fastapi.testclient import TestClient

from documents.proofreading.proofread import warm_up
from models.db import default_engine
from models.migrate import upgrade
from models.settings import get_settings
from tests.builders import PIN, draft_004, load_kokphutsa
from web.app import create_app

MEASURES = "\n".join(
    [
        "เปิดโอกาสให้ประชาชนและผู้มีส่วนได้ส่วนเสียเข้ามามีส่วนร่วมในการดำเนินงาน",
        "ให้เจ้าหน้าที่ปฎิบัติตามแนวทางการมีส่วนร่วมอย่างเคร่งครัด",
    ]
)


def form(*, misspelt: bool) -> dict:
    draft = draft_004()
    values = {
        "unit": draft.unit,
        "subject": draft.subject,
        "addressee": draft.addressee,
        "origin": draft.origin,
        "facts": draft.facts,
        "legal_basis": "\n".join(draft.legal_basis),
        "considerations": draft.considerations,
        "closing": draft.closing,
        "template": "participation-measures",
        "measures": MEASURES.replace("ปฎิบัติ", "ปฏิบัติ") if not misspelt else MEASURES,
        "pin": PIN,
    }
    return values


def signed_in(client: TestClient) -> str:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    client.post("/login", data={"username": "somying", "password": "demo-password", "csrf_token": token})
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/memos/new").text)[1]


def timed(client: TestClient, data: dict, runs: int, *, typing: bool = False) -> tuple[float, float]:
    """The median wall time of one answer, and the process's CPU time per answer (client and
    app share the process): the second holds still on a machine shared with other jobs.
    `typing`: each request has one more word in the facts, as a pause in the typing sends."""
    times, cpu = [], time.process_time()
    for number in range(runs):
        if typing:
            data = {**data, "facts": data["facts"] + (" ดำเนินการ" if number % 2 else "ประชาชน")}
        start = time.perf_counter()
        answer = client.post("/memos/preview", data=data)
        times.append(time.perf_counter() - start)
        assert answer.status_code == 200, answer.text
    return statistics.median(times), (time.process_time() - cpu) / runs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=41)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["SARABAN_HOME"] = home
        os.environ.pop("SARABAN_DATABASE_URL", None)
        get_settings.cache_clear()
        upgrade(get_settings().resolved_database_url)
        load_kokphutsa(default_engine())
        warm_up()
        client = TestClient(create_app(), base_url="http://127.0.0.1")
        token = signed_in(client)
        results = {}
        for name, misspelt, typing in (("clean", False, False), ("misspelt", True, False), ("typing", True, True)):
            data = {**form(misspelt=misspelt), "csrf_token": token}
            timed(client, data, 3)  # the templates compiled, the caches filled
            wall, cpu = timed(client, data, args.runs, typing=typing)
            results[f"preview_ms_{name}"] = round(wall * 1000, 1)
            results[f"preview_cpu_ms_{name}"] = round(cpu * 1000, 1)
        print(json.dumps({"runs": args.runs, **results}))


if __name__ == "__main__":
    main()
