"""National scale on the existing engine: the ITA year opened for N synthetic organisations ×
`--items` catalogue items through the real Prefect deployments, with 1 and then 2 workers.

    uv run python -m bench.ita_year --organisations 8000 --items 20

One run: a PostgreSQL Saraban database with N municipalities (six positions, one person each) and
a synthetic catalogue (services.ita.catalogue_format, every shape, yearly) adopted by each for
fiscal years Y and Y+1; bench.topology's Prefect server on PostgreSQL with the deployments on the
`saraban` pool. Fiscal year Y is opened (as of its 1 October) with one `saraban worker`, then Y+1
(as of its 1 October) with two: the same work, each year's catalogue on its own. The parent flow
(`annual-review-cycle`) runs in this process; its batches are child runs of `annual-review-batch`
that the workers take. Each worker runs one flow run at a time (`--limit 1`): one worker is one
core's worth of opening.

Printed for 1 and 2 workers: items opened per second, CPU-seconds per item over every process
(the Prefect server, the workers with the flow runs they fork, PostgreSQL's backends for the two
databases, this process), the wall time, the time until every drafter's list is ready (the last
batch run's end: each organisation's drafts are committed before its batch ends, where the front
page's query, web.routes.front_page._drafts, finds them; counted once the round is over), the
batch runs' median length and the workers' busy share, and the speed-up. Then a few opened drafts as their drafters open them, over HTTP: the form
(`GET /memos/new?draft=ID`), its preview (`POST /memos/preview`) and the .docx of the memo and of
what it issues, rendered on demand: p50/p95.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from sqlmodel import col, func, select

from bench.throughput import databases
from bench.topology import Topology, _cpu_ticks
from models import ItaItem, ItaWork, Organisation, Person, SavedDraft
from models.db import default_engine, make_engine, read_scope, session_scope
from models.fiscal import fiscal_year_bounds
from models.migrate import upgrade
from models.secrets import peppered_hash, peppered_pin_hash
from models.settings import get_settings
from services.accounts.org_loader import OrganisationFile, load_organisation
from services.ita.catalogue_format import Catalogue, parse_catalogue
from services.ita.catalogue_load import adopt_catalogue

PASSWORD, PIN = "bench-password", "147258"
LOAD_BATCH = 100  # organisations loaded (and their catalogues adopted) per transaction
# (position code, Thai title): the items are answered by the first five in turn, the mayor approves.
POSITIONS = [
    ("legal", "นิติกร"),
    ("planner", "นักวิเคราะห์นโยบายและแผน"),
    ("finance", "นักวิชาการเงินและบัญชี"),
    ("hr", "นักทรัพยากรบุคคล"),
    ("head", "หัวหน้าสำนักปลัด"),
]
# Every shape of item, in the proportions of the shipped catalogue (examples/ita/lao-2570.yaml):
# about a third disclosure, the rest documents.
SHAPES = ["disclosure", "announcement", "plan", "report", "disclosure", "order", "circular", "announcement", "report"]
DOCUMENT_KINDS = {
    "announcement": ["memo", "announcement"],
    "plan": ["memo"],
    "order": ["memo", "order"],
    "circular": ["memo", "announcement"],
    "report": ["report-memo"],
    "disclosure": [],
}


def catalogue(fiscal_year: int, items: int) -> Catalogue:
    """A synthetic catalogue of `items` yearly items of every shape, opening on 1 October."""
    first, _ = fiscal_year_bounds(fiscal_year)
    entries = []
    for index in range(items):
        shape = SHAPES[index % len(SHAPES)]
        documents: dict = {"kinds": DOCUMENT_KINDS[shape]}
        if shape == "plan":
            documents["attachments"] = [f"แผนปฏิบัติการข้อ {index + 1}"]
        if shape == "circular":
            documents["circular_required"] = True
        if shape == "announcement" and index == 1:
            documents["templates"] = ["participation-measures"]  # the office's own wording (seed 004)
        if index % 4 == 0:
            documents["publication_request_required"] = True
        due = (
            {"days_after_opening": 30 + index, "working_days": index % 2 == 0}
            if index % 3
            else {"date": last_day(fiscal_year)}
        )
        entries.append(
            {
                "code": f"B{index + 1}",
                "title": f"รายการทดสอบที่ {index + 1}",
                "indicator": "การเปิดเผยข้อมูล" if shape == "disclosure" else "การป้องกันการทุจริต",
                "shape": shape,
                "cadence": "yearly",
                "due": due,
                "documents": documents,
                "responsible": [POSITIONS[index % len(POSITIONS)][1]],
            }
        )
    return parse_catalogue(
        {
            "format": 1,
            "scheme": f"ITA ทดสอบ ปีงบประมาณ {fiscal_year}",
            "fiscal_year": fiscal_year,
            "agency": {"kinds": ["municipality"], "title": "เทศบาล"},
            "opens_on": first,  # a YAML date
            "sources": [{"title": "bench.ita_year (synthetic)"}],
            "items": entries,
        },
        name=f"bench-{fiscal_year}",
    )


def last_day(fiscal_year: int) -> dt.date:
    return fiscal_year_bounds(fiscal_year)[1]


def organisation(index: int, password_hash: str, pin_hash: str) -> OrganisationFile:
    roles = [*POSITIONS, ("mayor", f"นายกเทศมนตรีตำบลทดสอบ{index}")]
    return OrganisationFile.model_validate(
        {
            "organisation": {
                "code": f"office-{index}",
                "name": f"เทศบาลตำบลทดสอบ{index}",
                "kind": "municipality",
                "register_prefix": f"ทส {index}",
                "drafting_position_code": "legal",
            },
            "units": [{"code": "office", "name": "สำนักปลัด", "letterhead_name": "สป."}],
            "positions": [
                {"code": code, "title": title, "unit": "office", **({"reports_to": "mayor"} if code != "mayor" else {})}
                for code, title in roles
            ],
            "people": [
                {
                    "username": f"{code}-{index}",
                    "full_name": f"นาย{title} ทดสอบ",
                    "holds": [code],
                    "password_hash": password_hash,
                    "pin_hash": pin_hash,
                }
                for code, title in roles
            ],
            "chains": [
                {"document_kind": kind, "steps": [{"position": "head"}, {"position": "mayor"}]}
                for kind in ("announcement", "order", "circular", "report")
            ],
        }
    )


def load(count: int, years: list[int], items: int, progress: Callable[[int], None]) -> None:
    """N organisations, each adopting the catalogue of every year in `years`."""
    # One Argon2 hash for every synthetic person: hashing 48,000 would dominate the setup.
    password_hash, pin_hash = peppered_hash(PASSWORD), peppered_pin_hash(PIN)
    catalogues = [catalogue(year, items) for year in years]
    for start in range(0, count, LOAD_BATCH):
        with session_scope() as session:
            for index in range(start, min(count, start + LOAD_BATCH)):
                org = load_organisation(session, organisation(index, password_hash, pin_hash))
                for adopted in catalogues:
                    adopt_catalogue(session, org, adopted, actor="bench")
        progress(min(count, start + LOAD_BATCH))


class CpuMeter(threading.Thread):
    """CPU-seconds of every process of the round: the topology's (with their children), this
    process, and PostgreSQL's backends serving the two databases (sampled every second from
    pg_stat_activity, since a flow run's connection closes with it: at most a second of each
    backend's CPU can be missed)."""

    def __init__(self, office: Topology, admin_url: str, databases: list[str]) -> None:
        super().__init__(daemon=True)
        self.office, self.databases, self.stopped = office, databases, threading.Event()
        self.engine = make_engine(admin_url)
        self.backends: dict[int, int] = {}  # pid -> the last ticks seen
        self.baseline: dict[int, int] = {}
        self.ticks = os.sysconf("SC_CLK_TCK")

    def _sample(self) -> None:
        with self.engine.connect() as connection:
            pids = connection.execute(
                text("SELECT pid FROM pg_stat_activity WHERE datname = ANY(:names)"), {"names": self.databases}
            ).scalars()
            for pid in pids:
                ticks = _cpu_ticks(pid)
                if ticks:
                    self.backends[pid] = max(ticks, self.backends.get(pid, 0))

    def start(self) -> None:
        self._sample()
        self.baseline = dict(self.backends)
        self.before = self.office.cpu_by_process()
        self.own_before = _own_cpu()
        super().start()

    def run(self) -> None:
        while not self.stopped.wait(1.0):
            self._sample()

    def stop(self) -> dict[str, float]:
        self.stopped.set()
        self.join()
        self._sample()
        after = self.office.cpu_by_process()
        used = {name: seconds - self.before.get(name, 0) for name, seconds in after.items()}
        used = {name: seconds for name, seconds in used.items() if seconds > 0.005}
        used["PostgreSQL backends"] = (
            sum(ticks - self.baseline.get(pid, 0) for pid, ticks in self.backends.items()) / self.ticks
        )
        used["this process (the parent flow)"] = _own_cpu() - self.own_before
        self.engine.dispose()
        return used


def _own_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def settle(database_url: str) -> None:
    """VACUUM ANALYZE before a round, outside its measure: each round starts from a database whose
    statistics are current (as a live one's long are by 1 October), not with autovacuum working
    through what the setup or the round before inserted while the round is timed."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()


def open_year(office: Topology, args: argparse.Namespace, fiscal_year: int, workers: int, admin_url: str) -> dict:
    from workflows.annual_cycle import annual_review_cycle  # after PREFECT_API_URL is set

    settle(office.database_url)
    names = [f"worker-{fiscal_year}-{index}" for index in range(workers)]
    for name in names:
        office.start_worker(name, limit=args.worker_limit)
    for name in names:
        office.wait_for_worker(name)
    drafts_expected = args.organisations * sum(1 for i in range(args.items) if SHAPES[i % len(SHAPES)] != "disclosure")
    meter = CpuMeter(
        office, admin_url, [url.rsplit("/", 1)[1] for url in (office.database_url, office.prefect_database_url)]
    )
    meter.start()
    started, started_at = time.monotonic(), time.time()
    result = annual_review_cycle(
        fiscal_year=fiscal_year, batch_size=args.batch_size, as_of=fiscal_year_bounds(fiscal_year)[0].isoformat()
    )
    wall = time.monotonic() - started
    cpu = meter.stop()
    for name in names:
        office.stop(name)
    with read_scope() as session:
        opened = session.exec(select(func.count()).select_from(ItaWork).where(ItaWork.fiscal_year == fiscal_year)).one()
        unmarked = session.exec(
            select(func.count())
            .select_from(ItaItem)
            .where(ItaItem.fiscal_year == fiscal_year, ItaItem.opened_at.is_(None))
        ).one()
        drafts = session.exec(
            select(func.count())
            .select_from(SavedDraft)
            .where(col(SavedDraft.origin).like(f"ita {fiscal_year} %"), col(SavedDraft.sent_memo_id).is_(None))
        ).one()
    assert unmarked == 0, f"{unmarked} items opened but not marked opened"
    assert drafts == drafts_expected, f"{drafts} drafts on the drafters' lists, {drafts_expected} expected"
    runs = batch_runs(fiscal_year)
    return {
        "fiscal_year": fiscal_year,
        "workers": workers,
        "batches": result["batches"],
        "opened": opened,
        "expected": args.organisations * args.items,
        "wall": wall,
        # Each organisation's drafts are committed before its batch run ends: every list is ready
        # when the last batch run ends (read from Prefect afterwards, not by counting drafts
        # while they are written, which cost the database a scan of every draft twice a second).
        "lists_ready": max(start + seconds for start, seconds in runs) - started_at,
        "cpu": cpu,
        "batch_seconds": [run_seconds for _start, run_seconds in runs],
        "busy": sum(run_seconds for _start, run_seconds in runs) / (workers * wall),
    }


def batch_runs(fiscal_year: int) -> list[tuple[float, float]]:
    """(start, seconds) of each batch run of the year, from the Prefect server: whether the
    workers waited for work (their busy share) or were slowed while working (a run's length)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName

    from workflows.names import CYCLE_BATCH_FLOW

    chosen = FlowRunFilter(name=FlowRunFilterName(like_=f"{CYCLE_BATCH_FLOW} {fiscal_year} "))
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_run_filter=chosen, limit=200)
    return sorted(
        (run.start_time.timestamp(), (run.end_time - run.start_time).total_seconds())
        for run in runs
        if run.start_time and run.end_time
    )


def drafts_opened(count: int, fiscal_year: int) -> list[tuple[SavedDraft, str]]:
    """`count` drafts of the year, of every kind, with their drafter's username."""
    with read_scope() as session:
        rows = session.exec(
            select(SavedDraft, Person.username)
            .join(Person, Person.id == SavedDraft.person_id)
            .where(SavedDraft.origin.like(f"ita {fiscal_year} %"))
            .order_by(func.random())
            .limit(count)
        ).all()
    return [(draft, username) for draft, username in rows]


def time_drafts(fiscal_year: int, count: int) -> dict:
    """A drafter opens a draft the year opened: the form, its preview, and the .docx of the memo
    and of what it issues, each made on demand from the saved draft."""
    from fastapi.testclient import TestClient

    from documents.docx.announcement import build_announcement_docx
    from documents.docx.circular import build_circular_docx
    from documents.docx.memo import build_memo_docx
    from documents.docx.order import build_order_docx
    from documents.proofreading.proofread import warm_up
    from services.memo_life.draft_preview import draft_announcement_context, draft_memo_context
    from web.app import create_app
    from web.forms import MemoForm

    builders = {"order": build_order_docx, "circular": build_circular_docx}
    warm_up()  # a served app loads the word lists at start (web.server.run_web)
    app = create_app()
    pages, docx, kinds = [], [], []
    for draft, username in drafts_opened(count, fiscal_year):
        with TestClient(app, base_url="http://127.0.0.1") as client:
            token = _csrf(client.get("/login").text)
            client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
            start = time.perf_counter()
            form_page = client.get(f"/memos/new?draft={draft.id}")
            assert form_page.status_code == 200, form_page.text[:500]
            values = json.loads(draft.content_json)
            preview = client.post("/memos/preview", data={**values, "csrf_token": _csrf(form_page.text)})
            assert preview.status_code == 200, preview.text[:500]
            pages.append(time.perf_counter() - start)
        start = time.perf_counter()
        with read_scope() as session:
            person = session.get(Person, draft.person_id)
            memo_draft = MemoForm.from_values(values).preview_draft()
            kind = memo_draft.document_kind().value
            memo_ctx = draft_memo_context(session, person, memo_draft)
            build_memo_docx(memo_ctx)
            if kind != "report":  # a report memo issues nothing else (it is the report)
                build = builders.get(kind, build_announcement_docx)
                build(draft_announcement_context(session, person, memo_draft))
        docx.append(time.perf_counter() - start)
        kinds.append(kind)
    both = [page + made for page, made in zip(pages, docx, strict=True)]
    return {"drafts": len(both), "kinds": sorted(set(kinds)), "page": pages, "docx": docx, "both": both}


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(int(round(len(ordered) * share)) - 1, 0)] if ordered else float("nan")


def report(rounds: list[dict], drafts: dict, setup: float) -> None:
    print(f"setup (organisations, catalogues for both years): {setup:.0f} s")
    header = f"{'':44}" + "".join(f"{str(r['workers']) + ' worker(s)':>18}" for r in rounds)
    print(header)

    def row(label: str, values: list[str]) -> None:
        print(f"{label:44}" + "".join(f"{value:>18}" for value in values))

    row("fiscal year opened", [str(r["fiscal_year"]) for r in rounds])
    row("items opened / expected", [f"{r['opened']}/{r['expected']}" for r in rounds])
    row("batch runs", [str(r["batches"]) for r in rounds])
    row("wall time (s)", [f"{r['wall']:.1f}" for r in rounds])
    row("every drafter's list ready after (s)", [f"{r['lists_ready']:.1f}" for r in rounds])
    row("items opened per second", [f"{r['opened'] / r['wall']:.1f}" for r in rounds])
    row("a batch run's length, median (s)", [f"{statistics.median(r['batch_seconds']):.1f}" for r in rounds])
    row("workers' busy share (batch runs / wall)", [f"{r['busy'] * 100:.0f} %" for r in rounds])
    row(
        "CPU-s per item, every process",
        [f"{sum(r['cpu'].values()) / max(r['opened'], 1) * 1000:.2f} ms" for r in rounds],
    )
    names = sorted({name for r in rounds for name in r["cpu"]}, key=lambda n: (n.startswith("worker"), n))
    for name in names:
        label = "  workers (and their flow runs)" if name.startswith("worker") else f"  {name}"
        if name.startswith("worker") and name != next(n for n in names if n.startswith("worker")):
            continue
        values = []
        for r in rounds:
            seconds = (
                sum(v for n, v in r["cpu"].items() if n.startswith("worker"))
                if name.startswith("worker")
                else r["cpu"].get(name, 0.0)
            )
            values.append(f"{seconds:.1f} s")
        row(label, values)
    if len(rounds) == 2:
        rate = [r["opened"] / r["wall"] for r in rounds]
        print(f"speed-up, 2 workers vs 1: {rate[1] / rate[0]:.2f}×")
    ms = lambda values: f"p50 {statistics.median(values) * 1000:.0f} ms, p95 {percentile(values, 0.95) * 1000:.0f} ms"  # noqa: E731
    print(f"a drafter opens an opened draft ({drafts['drafts']} drafts: {', '.join(drafts['kinds'])}):")
    print(f"  form + preview (HTTP): {ms(drafts['page'])}")
    print(f"  .docx of the memo and of what it issues: {ms(drafts['docx'])}")
    print(f"  all of it: {ms(drafts['both'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=8000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--fiscal-year", type=int, default=2570, help="Y: opened with 1 worker, Y+1 with 2")
    parser.add_argument("--batch-size", type=int, default=200, help="organisations per batch run")
    parser.add_argument("--worker-limit", type=int, default=1, help="flow runs each worker runs at once")
    parser.add_argument("--drafts", type=int, default=20, help="drafts opened as their drafters would")
    parser.add_argument("--postgres", default="", help="admin URL (default SARABAN_TEST_POSTGRES_URL)")
    args = parser.parse_args()
    admin_url = args.postgres or os.environ["SARABAN_TEST_POSTGRES_URL"]
    years = [args.fiscal_year, args.fiscal_year + 1]
    with databases(admin_url) as (saraban_url, prefect_url), tempfile.TemporaryDirectory() as home:
        os.environ["SARABAN_HOME"] = home
        os.environ["SARABAN_DATABASE_URL"] = saraban_url
        get_settings.cache_clear()
        default_engine.cache_clear()
        office = Topology(Path(home), saraban_url, prefect_url)
        try:
            office.start_server()
            started = time.monotonic()
            upgrade(saraban_url)
            load(args.organisations, years, args.items, lambda done: print(f"  loaded {done}", flush=True))
            setup = time.monotonic() - started
            office.saraban("deploy")
            os.environ["PREFECT_API_URL"] = office.api_url  # the parent flow runs here
            os.environ["PREFECT_API_AUTH_STRING"] = office.auth_string
            os.environ["PREFECT_SERVER_EPHEMERAL_ENABLED"] = "false"
            os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
            from prefect.context import refresh_global_settings_context

            refresh_global_settings_context()
            rounds = [
                open_year(office, args, year, workers, admin_url) for year, workers in zip(years, (1, 2), strict=True)
            ]
            random.seed(22)
            drafts = time_drafts(years[1], args.drafts)
            report(rounds, drafts, setup)
            with read_scope() as session:
                assert session.exec(select(func.count()).select_from(Organisation)).one() == args.organisations
        finally:
            office.stop_all()
            default_engine().dispose()


if __name__ == "__main__":
    main()
