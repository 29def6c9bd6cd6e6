"""The annual cycle for many organisations (synthetic, one recurring item each), on the
embedded defaults: seconds to open every organisation's review memo and next year's draft,
then to render every new announcement draft as .docx.

    uv run python -m bench.cycle --organisations 8000
"""

import argparse
import json
import os
import tempfile
import time

from sqlmodel import select

from cli.demo import DEMO_PIN as PIN
from documents.context import Signatory
from documents.docx.announcement import build_announcement_docx
from documents.text.announcement_text import announcement_context, render_announcement_text
from models import CycleItem, Organisation, SavedDraft
from models.clock import office_date
from models.db import default_engine, read_scope, session_scope
from models.migrate import upgrade
from models.secrets import peppered_hash, peppered_pin_hash
from models.settings import get_settings
from services.accounts.org_loader import OrganisationFile, load_organisation
from services.yearly.cycle_run import run_cycle
from web.forms import MemoForm

LOAD_BATCH = 250  # organisations loaded per transaction


def organisation(index: int, password_hash: str, pin_hash: str) -> OrganisationFile:
    return OrganisationFile.model_validate(
        {
            "organisation": {
                "code": f"office-{index}",
                "name": f"เทศบาลตำบลทดสอบ{index}",
                "kind": "municipality",
                "register_prefix": f"ทส {index}",
                "drafting_position_code": "officer",
            },
            "units": [{"code": "office", "name": "สำนักปลัด", "letterhead_name": "สป."}],
            "positions": [
                {"code": "officer", "title": "นิติกร", "unit": "office", "reports_to": "mayor"},
                {"code": "mayor", "title": f"นายกเทศมนตรีตำบลทดสอบ{index}"},
            ],
            "people": [
                {
                    "username": f"{role}-{index}",
                    "full_name": f"นาย{role} ทดสอบ",
                    "holds": [role],
                    "password_hash": password_hash,
                    "pin_hash": pin_hash,
                }
                for role in ("officer", "mayor")
            ],
            "chains": [{"document_kind": "announcement", "steps": [{"position": "mayor"}]}],
        }
    )


def load(count: int) -> None:
    # One Argon2 hash for every synthetic person: hashing 16,000 would dominate the setup.
    password_hash, pin_hash = peppered_hash("bench-password"), peppered_pin_hash(PIN)  # loading binds each
    for start in range(0, count, LOAD_BATCH):
        with session_scope() as session:
            for index in range(start, min(count, start + LOAD_BATCH)):
                load_organisation(session, organisation(index, password_hash, pin_hash))


def render_drafts(fiscal_year: int) -> int:
    with read_scope() as session:
        rows = session.exec(
            select(SavedDraft, Organisation)
            .join(CycleItem, CycleItem.announcement_draft_id == SavedDraft.id)
            .join(Organisation, Organisation.id == CycleItem.organisation_id)
            .where(CycleItem.fiscal_year == fiscal_year)
        ).all()
    for draft_row, org in rows:
        draft = MemoForm.from_values(json.loads(draft_row.content_json)).to_draft()
        text = render_announcement_text(
            org.kind, draft.announcement.template, {"organisation_name": org.name, "fiscal_year_be": fiscal_year}
        )
        signer = Signatory(full_name="(ผู้ลงนาม)", position_title=f"นายก{org.name}")
        build_announcement_docx(announcement_context(text, date=office_date(), signatory=signer))
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=8000)
    parser.add_argument("--fiscal-year", type=int, default=2570)
    args = parser.parse_args()
    os.environ["SARABAN_HOME"] = tempfile.mkdtemp(prefix="saraban-cycle-bench-")
    get_settings.cache_clear()
    default_engine.cache_clear()
    upgrade(get_settings().resolved_database_url)
    start = time.perf_counter()
    load(args.organisations)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    report = run_cycle(args.fiscal_year)
    opened = time.perf_counter() - start
    start = time.perf_counter()
    rendered = render_drafts(args.fiscal_year)
    render_seconds = time.perf_counter() - start
    print(f"organisations: {args.organisations} (loaded in {loaded:.0f} s), SQLite, one item each")
    print(
        f"open the year: {opened:.1f} s for {report.created} items "
        f"({opened / max(report.created, 1) * 1000:.1f} ms each), {len(report.problems)} problems"
    )
    print(
        f"render every new announcement draft (.docx): {render_seconds:.1f} s for {rendered} "
        f"({render_seconds / max(rendered, 1) * 1000:.1f} ms each)"
    )
    print(f"in all: {opened + render_seconds:.1f} s")


if __name__ == "__main__":
    main()
