"""The index of an evidence pack: index.html for people (Thai) and index.csv for spreadsheets.

The CSV is UTF-8 with a byte-order mark: without it Excel reads the file in the local code page
and the Thai turns to garbage. The HTML is rendered with autoescaping: subjects and minutes are
free text typed by users.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jinja2 import Environment

from documents.thai_format import thai_date_full, to_thai_digits
from models.clock import office_date
from models.fiscal import fiscal_year_label
from services.yearly.evidence_ended import STANDING_TEXT, counts_text
from services.yearly.evidence_items import RECORD_FILE, EndedMemo, EvidenceItem

if TYPE_CHECKING:
    from pathlib import Path

INDEX_HTML = "index.html"
INDEX_CSV = "index.csv"
CHANNEL_NAMES = {"website": "เว็บไซต์", "notice-board": "ป้ายประกาศ"}
STATUS_NAMES = {"posted": "เผยแพร่แล้ว", "failed": "ไม่สำเร็จ", "pending": "รอส่ง"}


@dataclass(frozen=True)
class IndexRow:
    """One published item as the index lists it; paths are relative to the pack."""

    number: int
    organisation: str
    register_number: str
    subject: str
    announcement_date: dt.date
    published_at: dt.datetime
    requested_by: str
    approved_by: str
    posted_by: str
    url: str
    notice_board_posted_on: dt.date | None
    notice_board_remove_on: dt.date | None
    channels: str
    memo_file: str
    memo_sha256: str
    announcement_file: str
    announcement_sha256: str
    record_file: str
    problems: list[str]
    standing: str = "มีผล"  # or cancelled / superseded since, with when and why

    @property
    def verified(self) -> str:
        return "ตรงกัน (match)" if not self.problems else "ไม่ตรง (MISMATCH): " + "; ".join(self.problems)


def index_rows(items: Sequence[EvidenceItem]) -> list[IndexRow]:
    return [_row(number, item) for number, item in enumerate(items, start=1)]


def _row(number: int, item: EvidenceItem) -> IndexRow:
    record, publication = item.record, item.record["publication"]
    memo_doc, announcement_doc = item.documents
    board = {key: dt.date.fromisoformat(day) if day else None for key, day in publication["notice_board"].items()}
    return IndexRow(
        number=number,
        organisation=record["organisation"]["name"],
        register_number=record["memo"]["register_number"],
        subject=record["memo"]["subject"],
        announcement_date=dt.date.fromisoformat(publication["announcement_date"]),
        published_at=dt.datetime.fromisoformat(publication["published_at"]),
        requested_by=_name(publication["requested_by"]),
        approved_by=_name(publication["approved_by"]),
        posted_by=publication["posted_by"],
        url=publication["url"],
        notice_board_posted_on=board["posted_on"],
        notice_board_remove_on=board["remove_on"],
        channels="; ".join(
            f"{CHANNEL_NAMES.get(c['channel'], c['channel'])}: {STATUS_NAMES.get(c['status'], c['status'])}"
            for c in record["channels"]
        ),
        memo_file=f"{item.folder}/{memo_doc.path.name}",
        memo_sha256=memo_doc.sha256,
        announcement_file=f"{item.folder}/{announcement_doc.path.name}",
        announcement_sha256=announcement_doc.sha256,
        record_file=f"{item.folder}/{RECORD_FILE}",
        problems=[c.problem for c in item.checks if not c.matches],
        standing=_standing(publication.get("standing", {"state": "in_force"})),
    )


def _standing(standing: dict) -> str:
    text = STANDING_TEXT[standing["state"]]
    if standing["state"] == "in_force":
        return text
    replaced = f" โดยประกาศ ที่ {standing['superseded_by']}" if standing.get("superseded_by") else ""
    return f"{text}{replaced} เมื่อ {standing['at'][:10]} โดย {standing['by']} เหตุผล: {standing['reason']}"


def _name(person: dict | None) -> str:
    return "-" if person is None else f"{person['full_name']} ({person['username']})"


def write_index(
    out_dir: Path,
    fiscal_year: int,
    items: Sequence[EvidenceItem],
    organisations: Sequence[str],
    *,
    ended: Sequence[EndedMemo] = (),
    counts: dict[str, int] | None = None,
) -> list[Path]:
    rows = index_rows(items)
    html_path, csv_path = out_dir / INDEX_HTML, out_dir / INDEX_CSV
    html_path.write_text(index_html(fiscal_year, rows, organisations, ended, counts or {}), encoding="utf-8")
    write_csv(csv_path, rows)
    return [html_path, csv_path]


CSV_HEADER = [
    "ลำดับ",
    "หน่วยงาน",
    "ที่",
    "เรื่อง",
    "ประกาศ ณ วันที่",
    "เผยแพร่เมื่อ",
    "ผู้ขอเผยแพร่",
    "ผู้อนุมัติ",
    "ผู้เผยแพร่",
    "URL",
    "ปิดประกาศ",
    "ปลดประกาศ",
    "ช่องทาง",
    "ไฟล์บันทึกข้อความ",
    "SHA-256 บันทึกข้อความ",
    "ไฟล์ประกาศ",
    "SHA-256 ประกาศ",
    "บันทึกการเผยแพร่",
    "ผลตรวจสอบไฟล์",
    "สถานะประกาศ",
]


def write_csv(path: Path, rows: Sequence[IndexRow]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_HEADER)
        for r in rows:
            writer.writerow(
                [
                    r.number,
                    r.organisation,
                    r.register_number,
                    r.subject,
                    r.announcement_date.isoformat(),
                    r.published_at.isoformat(),
                    r.requested_by,
                    r.approved_by,
                    r.posted_by,
                    r.url,
                    _iso(r.notice_board_posted_on),
                    _iso(r.notice_board_remove_on),
                    r.channels,
                    r.memo_file,
                    r.memo_sha256,
                    r.announcement_file,
                    r.announcement_sha256,
                    r.record_file,
                    r.verified,
                    r.standing,
                ]
            )


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


_TEMPLATE = """<!doctype html>
<html lang="th">
<head>
<meta charset="utf-8">
<title>หลักฐานการเผยแพร่ {{ year_label }}</title>
<style>
body { font-family: "TH Sarabun New", "Sarabun", "Noto Sans Thai", sans-serif; margin: 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .3rem .5rem; vertical-align: top; text-align: left; }
.hash { font-family: monospace; font-size: .8em; word-break: break-all; }
.mismatch { background: #fdd; font-weight: bold; }
</style>
</head>
<body>
<h1>หลักฐานการเผยแพร่ประกาศ {{ year_label }}</h1>
<p>{{ organisations | join(", ") }} · จำนวน {{ rows | length | thai_digits }} รายการ · จัดทำเมื่อ {{ made_on }}</p>
{% if counts %}<p id="counts">บันทึกทั้งปี: {{ counts | thai_digits }}</p>{% endif %}
{% if problems %}<p class="mismatch">พบไฟล์ที่ไม่ตรงกับค่า SHA-256 ที่บันทึกไว้ {{ problems | thai_digits }} รายการ</p>{% endif %}
<table>
<thead><tr><th>ลำดับ</th><th>ที่ / เรื่อง</th><th>ประกาศ ณ วันที่</th><th>ผู้ขอเผยแพร่ / ผู้อนุมัติ / ผู้เผยแพร่</th>
<th>เผยแพร่ที่</th><th>ไฟล์และ SHA-256</th><th>ผลตรวจสอบ</th><th>สถานะประกาศ</th></tr></thead>
<tbody>
{% for r in rows %}
<tr{% if r.problems %} class="mismatch"{% endif %}>
<td>{{ r.number | thai_digits }}</td>
<td>{{ r.organisation }}<br>ที่ {{ r.register_number }}<br>{{ r.subject }}</td>
<td>{{ r.announcement_date | thai_date }}</td>
<td>ขอ: {{ r.requested_by }}<br>อนุมัติ: {{ r.approved_by }}<br>เผยแพร่: {{ "ระบบ (อัตโนมัติ)" if r.posted_by == "system" else r.posted_by }}</td>
<td><a href="{{ r.url }}">{{ r.url }}</a><br>{% if r.notice_board_posted_on %}ปิดประกาศ {{ r.notice_board_posted_on | thai_date }} ถึง {{ r.notice_board_remove_on | thai_date }}<br>{% endif %}{{ r.channels }}</td>
<td><a href="{{ r.memo_file }}">บันทึกข้อความ</a> <span class="hash">{{ r.memo_sha256 }}</span><br>
<a href="{{ r.announcement_file }}">ประกาศ</a> <span class="hash">{{ r.announcement_sha256 }}</span><br>
<a href="{{ r.record_file }}">บันทึกการเผยแพร่ (JSON)</a></td>
<td>{{ r.verified }}</td>
<td>{{ r.standing }}</td>
</tr>
{% else %}
<tr><td colspan="8">ไม่มีประกาศที่เผยแพร่ในปีงบประมาณนี้</td></tr>
{% endfor %}
</tbody>
</table>
<h2>บันทึกที่สิ้นสุดโดยไม่เผยแพร่ ({{ ended | length | thai_digits }} รายการ)</h2>
<p>ไม่ใช่หลักฐานการเผยแพร่ แสดงไว้เพื่อให้ครบถ้วน (not evidence of publication; listed for completeness: ended.csv)</p>
{% if ended %}<table id="ended">
<thead><tr><th>ที่ / เรื่อง</th><th>ผล</th><th>โดย</th><th>เมื่อ</th><th>เหตุผล</th></tr></thead>
<tbody>
{% for e in ended %}<tr><td>{{ e.organisation }}<br>ที่ {{ e.register_number }}<br>{{ e.subject }}</td><td>{{ e.how_text }}</td><td>{{ e.by }}</td><td>{{ e.at[:10] }}</td><td>{{ e.reason }}</td></tr>
{% endfor %}</tbody>
</table>{% endif %}
</body>
</html>
"""


def index_html(
    fiscal_year: int,
    rows: Sequence[IndexRow],
    organisations: Sequence[str],
    ended: Sequence[EndedMemo] = (),
    counts: dict[str, int] | None = None,
) -> str:
    environment = Environment(autoescape=True, keep_trailing_newline=True)
    environment.filters["thai_digits"] = to_thai_digits
    environment.filters["thai_date"] = thai_date_full
    return environment.from_string(_TEMPLATE).render(
        year_label=fiscal_year_label(fiscal_year),
        organisations=organisations,
        rows=rows,
        made_on=thai_date_full(office_date()),
        problems=sum(len(r.problems) for r in rows),
        ended=ended,
        counts=counts_text(counts) if counts else "",
    )
