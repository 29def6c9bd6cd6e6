"""A PDF's pages as PNG images (poppler's pdftoppm), for reading the print in a browser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

PDFTOPPM_TIMEOUT_SECONDS = 120
DEFAULT_DPI = 110  # an A4 page about 910 px wide: sharp on a laptop, light enough for a phone


class PdftoppmMissing(RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "ไม่พบโปรแกรม pdftoppm กรุณาติดตั้งแพ็กเกจ poppler-utils (pdftoppm was not found: install poppler-utils)"
        )


def pdf_page_images(pdf: Path, out_dir: Path, *, stem: str, dpi: int = DEFAULT_DPI) -> list[Path]:
    """<out_dir>/<stem>-1.png, -2.png, ... one per page, page 1 first."""
    if shutil.which("pdftoppm") is None:
        raise PdftoppmMissing()
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out_dir / stem)],
        capture_output=True,
        check=True,
        timeout=PDFTOPPM_TIMEOUT_SECONDS,
    )
    # pdftoppm pads the page number to the page count's width (-01 from ten pages on): renamed
    # to plain numbers so the names are predictable.
    pages = sorted(out_dir.glob(f"{stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    named = []
    for number, page in enumerate(pages, start=1):
        target = out_dir / f"{stem}-{number}.png"
        if page != target:
            page.replace(target)
        named.append(target)
    return named
