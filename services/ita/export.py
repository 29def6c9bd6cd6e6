"""The ITA year as a file for the assessors' upload (`saraban ita export`): one line per catalogue
item with its code, title, indicator, the item's public address, its status and dates. CSV is
written in UTF-8 with a byte-order mark (Excel then reads the Thai); .xlsx with openpyxl.
Written to a temporary file first and moved into place: never a half-written file."""

import csv
import io
import os
import tempfile
from pathlib import Path

from models.clock import office_date
from services.errors import BadInput
from services.ita.year_view import LATE_TITLE, YearRow

HEADERS = (
    "รหัส (code)",
    "รายการ (title)",
    "ตัวชี้วัด (indicator)",
    "ลิงก์ (URL)",
    "สถานะ (status)",
    "กำหนดส่ง (due)",
    "เผยแพร่เมื่อ (published)",
)
FORMATS = (".csv", ".xlsx")


def export_lines(rows: list[YearRow]) -> list[list[str]]:
    """The lines under HEADERS: dates as ISO dates (Bangkok), statuses in Thai."""
    return [
        [
            row.code,
            row.title,
            row.indicator,
            row.public_url,
            f"{row.status_title} ({LATE_TITLE})" if row.late else row.status_title,
            office_date(row.due_at).isoformat() if row.due_at else "",
            office_date(row.published_at).isoformat() if row.published_at else "",
        ]
        for row in rows
    ]


def write_export(rows: list[YearRow], out: Path, *, sheet_title: str = "ITA") -> None:
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise BadInput(
            f"ไฟล์ต้องลงท้ายด้วย .csv หรือ .xlsx (the file must end in .csv or .xlsx, not '{out.suffix}')", field="out"
        )
    data = _csv(rows) if suffix == ".csv" else _xlsx(rows, sheet_title)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _csv(rows: list[YearRow]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(export_lines(rows))
    return text.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[YearRow], title: str) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]  # loaded only when a spreadsheet is asked for

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit on a sheet's name
    sheet.append(list(HEADERS))
    for line in export_lines(rows):
        sheet.append(line)
    for column, width in zip("ABCDEFG", (8, 60, 40, 60, 24, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
