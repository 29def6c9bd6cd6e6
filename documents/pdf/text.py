"""Reading a PDF's pages back as text (poppler's pdftotext), to see where LibreOffice broke pages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

PDFTOTEXT_TIMEOUT_SECONDS = 60


class PopplerMissing(RuntimeError):
    """pdftotext (Debian package poppler-utils) is not installed."""

    def __init__(self) -> None:
        super().__init__(
            "ไม่พบโปรแกรม pdftotext จึงหาคำต่อเนื่องไม่ได้ กรุณาติดตั้งแพ็กเกจ poppler-utils / "
            "pdftotext was not found, so no continuation words can be found: "
            "install poppler-utils (apt-get install poppler-utils)."
        )


def poppler_available() -> bool:
    return shutil.which("pdftotext") is not None


def pdf_page_texts(pdf: Path) -> list[str]:
    """Each page's text in layout mode (lines in their order on the page), page 1 first."""
    if not poppler_available():
        raise PopplerMissing()
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=PDFTOTEXT_TIMEOUT_SECONDS,
    )
    pages = result.stdout.split("\f")  # pdftotext ends every page, the last one too, with a form feed
    return pages[:-1] if pages and not pages[-1].strip() else pages
