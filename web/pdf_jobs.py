"""Making a memo's current PDFs in the background, with a state the memo page shows and polls.

LibreOffice takes seconds (14 s for the memo and announcement on this machine): the request
that asks for PDFs only starts the work and answers at once. The state is a small file in the
memo's folder, so every web process (and a page reloaded later) reads the same one; a job whose
process died is seen as failed after `STALE`, and may be started again.
"""

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from models.clock import utcnow
from models.digits import thai_digits
from services.printing.rendering import render_current_documents

STATE_FILE = "pdf-job.json"
STALE = dt.timedelta(minutes=5)
# One LibreOffice at a time per web process: two cores are shared with everything else.
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf-job")


@dataclass(frozen=True)
class PdfJob:
    state: str  # "none", "running", "done", "failed"
    started_at: str = ""  # ISO, UTC
    finished_at: str = ""
    problem: str = ""

    @property
    def running(self) -> bool:
        return self.state == "running"

    def text(self, now: dt.datetime | None = None) -> str:
        """What the page says about the job, in Thai."""
        if self.state == "running":
            seconds = int(((now or utcnow()) - dt.datetime.fromisoformat(self.started_at)).total_seconds())
            return f"กำลังสร้าง PDF ... ผ่านไป {thai_digits(max(0, seconds))} วินาที (ปกติใช้เวลาไม่เกิน ๓๐ วินาที)"
        if self.state == "done":
            return "สร้าง PDF ฉบับปัจจุบันเสร็จแล้ว ดูในรายการเอกสาร"
        if self.state == "failed":
            return f"สร้าง PDF ไม่สำเร็จ: {self.problem} กดสร้างใหม่ได้"
        return ""


def pdf_job_state(folder: Path) -> PdfJob:
    try:
        job = PdfJob(**json.loads((folder / STATE_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return PdfJob("none")
    if job.running and utcnow() - dt.datetime.fromisoformat(job.started_at) > STALE:
        return PdfJob("failed", job.started_at, problem="งานค้างนานเกินไป (the job did not finish)")
    return job


def start_pdf_job(memo_id: int, folder: Path) -> PdfJob:
    """Start making the PDFs unless a job for this memo is already running; return its state."""
    current = pdf_job_state(folder)
    if current.running:
        return current
    job = PdfJob("running", utcnow().isoformat())
    _write(folder, job)
    _executor.submit(_run, memo_id, folder, job)
    return job


def _run(memo_id: int, folder: Path, job: PdfJob) -> None:
    try:
        rendered = render_current_documents(memo_id, pdf=True)
        made_pdf = any(path.suffix == ".pdf" for path in rendered.files)
        problem = "" if made_pdf else "เครื่องนี้ไม่มี LibreOffice (no LibreOffice here)"
    except Exception as error:  # noqa: BLE001  (whatever broke, the page must say so, not spin)
        problem = f"{type(error).__name__}: {error}"
    _write(folder, PdfJob("failed" if problem else "done", job.started_at, utcnow().isoformat(), problem))


def _write(folder: Path, job: PdfJob) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{STATE_FILE}.tmp"
    temporary.write_text(json.dumps(asdict(job)), encoding="utf-8")
    temporary.replace(folder / STATE_FILE)  # readers never see half a file
