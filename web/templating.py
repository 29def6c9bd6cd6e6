"""The one Jinja2 environment for the pages (autoescaped), with Thai date and digit filters."""

import datetime as dt
import logging
from pathlib import Path

import jinja2
import pendulum
from fastapi.templating import Jinja2Templates

from documents.thai_format import thai_date_full, thai_date_short, thai_datetime, to_thai_digits
from models.clock import OFFICE_TZ, office_date
from models.db import read_scope
from services.acknowledgements.acknowledging import pending_count
from services.memo_life.queue import queue_for
from web.proofread_marks import marked

logger = logging.getLogger(__name__)
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def waited(delta: dt.timedelta) -> str:
    """How long something has waited, the way an office says it: "๒ วัน ๓ ชม."."""
    hours = int(delta.total_seconds() // 3600)
    if hours < 1:
        return f"{to_thai_digits(max(1, int(delta.total_seconds() // 60)))} นาที"
    days, hours = divmod(hours, 24)
    return (f"{to_thai_digits(days)} วัน " if days else "") + f"{to_thai_digits(hours)} ชม."


def thai_time(moment: dt.datetime) -> str:
    """A stored moment as an office reads it: "๒ ธ.ค. ๖๙ ๑๔:๐๕ น." (Bangkok time, BE year)."""
    local = pendulum.instance(moment).in_timezone(OFFICE_TZ)
    return f"{thai_date_short(local.date())} {to_thai_digits(local.strftime('%H:%M'))} น."


def filesize(size: int) -> str:
    """An attachment's size as a person reads it: "๑.๒ MB", "๓๔ KB"."""
    if size >= 1024 * 1024:
        return f"{to_thai_digits(f'{size / (1024 * 1024):.1f}')} MB"
    return f"{to_thai_digits(max(1, round(size / 1024)))} KB"


def waiting_count(username: str) -> int:
    """What waits for the person now: the menu shows it on every page (bench.queue: one read of
    the person and of the memos' routes and escalations, whatever the number in flight)."""
    try:
        with read_scope() as session:
            return len(queue_for(session, username))
    except Exception:  # a badge: a page (an error page above all) must not fail for it
        logger.warning("the menu's count of what waits for %s could not be read", username, exc_info=True)
        return 0


def acknowledgements_count(username: str) -> int:
    """What the person has still to acknowledge (รับทราบ): the menu shows it on every page."""
    try:
        with read_scope() as session:
            return pending_count(session, username)
    except Exception:  # a badge, as waiting_count
        logger.warning("the menu's count of what %s must acknowledge could not be read", username, exc_info=True)
        return 0


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "atom"), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        thai_digits=to_thai_digits,
        marked=marked,
        filesize=filesize,
        waited=waited,
        thai_datetime=thai_datetime,
        thai_time=thai_time,
        thai_date=lambda moment: thai_date_full(office_date(moment) if isinstance(moment, dt.datetime) else moment),
        atom_time=lambda moment: (moment or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        thai_short=lambda moment: thai_date_short(office_date(moment) if isinstance(moment, dt.datetime) else moment),
    )
    env.globals["waiting_count"] = waiting_count
    env.globals["acknowledgements_count"] = acknowledgements_count
    return env


templates = Jinja2Templates(env=_environment())
