"""`saraban evidence export`: the real command on memos published through the domain functions,
and the pack reopened and checked: files present, hashes as recorded, index listing every item.

One home for the module (SQLite): two memos published in fiscal year 2570 (today), one with the
PDFs LibreOffice makes and one on a machine without it (the .docx stands in), and one published in
fiscal year 2569 that an export of 2570 must leave out.
"""

import csv
import hashlib
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pendulum
import pytest

from models import Memo
from models.db import default_engine, make_engine, session_scope
from models.migrate import upgrade
from models.settings import get_settings
from services.publication.publication import publish
from tests.builders import load_kokphutsa, memo_in_review, sign
from tests.cli.runner import instance_env, run_saraban


@dataclass
class Published:
    memo_id: int
    register_number: str
    subject: str
    fiscal_year: int
    files: dict[str, tuple[Path, str]]  # role -> (path, recorded SHA-256)
    has_pdf: bool


@dataclass
class Home:
    path: Path
    items: list[Published]

    def saraban(self, *args: str, cwd: Path) -> subprocess.CompletedProcess:
        env = instance_env(self.path)
        return run_saraban(*args, env=env, cwd=cwd)


def publish_one(engine, *, without_libreoffice_in: Path | None = None) -> Published:
    m = memo_in_review(engine)
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, m.id, username)
    path = os.environ["PATH"]
    if without_libreoffice_in is not None:
        os.environ["PATH"] = str(without_libreoffice_in)
    try:
        with session_scope(engine) as session:
            p = publish(session, memo_id=m.id)
            memo = session.get(Memo, m.id)
    finally:
        os.environ["PATH"] = path
    files = {
        "memo": (Path(p.memo_path), p.memo_sha256),
        "announcement": (Path(p.announcement_path), p.announcement_sha256),
    }
    if p.memo_pdf_path:
        files |= {
            "memo-pdf": (Path(p.memo_pdf_path), p.memo_pdf_sha256),
            "announcement-pdf": (Path(p.announcement_pdf_path), p.announcement_pdf_sha256),
        }
    return Published(memo.id, memo.register_number, memo.subject, memo.fiscal_year, files, bool(p.memo_pdf_path))


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Home:
    root = tmp_path_factory.mktemp("evidence")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SARABAN_HOME", str(root / "home"))
        patch.delenv("SARABAN_DATABASE_URL", raising=False)
        get_settings.cache_clear()
        default_engine.cache_clear()
        url = get_settings().resolved_database_url
        (root / "home").mkdir()
        upgrade(url)
        engine = make_engine(url)
        load_kokphutsa(engine)
        (root / "empty-bin").mkdir()
        with pendulum.travel_to(pendulum.datetime(2026, 9, 15, 10, tz="Asia/Bangkok"), freeze=True):
            last_year = publish_one(engine, without_libreoffice_in=root / "empty-bin")
        items = [publish_one(engine), publish_one(engine, without_libreoffice_in=root / "empty-bin"), last_year]
        engine.dispose()
    get_settings.cache_clear()
    default_engine.cache_clear()
    assert [i.fiscal_year for i in items] == [2570, 2570, 2569]
    return Home(root / "home", items)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def item_folders(out: Path) -> list[Path]:
    return sorted(p.parent for p in out.glob("*/*/publication.json"))


def test_the_pack_reopened_holds_every_item_with_matching_hashes(home, tmp_path):
    result = home.saraban(
        "evidence",
        "export",
        "--fiscal-year",
        "2570",
        "--org",
        "kokphutsa",
        "--out",
        str(tmp_path / "pack"),
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert "บันทึกทั้งปี (memos of the year): กำลังดำเนินการ 0 · เผยแพร่แล้ว (มีผล) 2 · ยกเลิกประกาศ 0" in result.stdout
    out = tmp_path / "pack"
    this_year = [i for i in home.items if i.fiscal_year == 2570]
    folders = item_folders(out)
    assert len(folders) == len(this_year) == 2
    records = [json.loads((folder / "publication.json").read_text(encoding="utf-8")) for folder in folders]
    assert sorted(r["memo"]["id"] for r in records) == sorted(i.memo_id for i in this_year)
    for folder, record in zip(folders, records, strict=True):
        item = next(i for i in this_year if i.memo_id == record["memo"]["id"])
        wanted = ("memo-pdf", "announcement-pdf") if item.has_pdf else ("memo", "announcement")
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [item.files[role][0].name for role in wanted] + ["publication.json", "SHA256SUMS"]
        )
        for role in wanted:
            path, recorded = item.files[role]
            assert sha256(folder / path.name) == recorded
        assert all(f["matches"] for f in record["files"])
        sums = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
        assert sorted(sums) == sorted(f"{item.files[role][1]}  {item.files[role][0].name}" for role in wanted)
        publication = record["publication"]
        assert (
            publication["requested_by"]["username"],
            publication["approved_by"]["username"],
            publication["posted_by"],
        ) == ("somying", "phakphum", "system")
        assert publication["url"] == "/public/kokphutsa"
        assert publication["notice_board"] == {"posted_on": None, "remove_on": None}  # nobody pinned it up yet
        assert [c["channel"] for c in record["channels"]] == ["website", "notice-board"]
        assert [(d["step"], d["signer"]["username"], d["capacity"]) for d in record["decisions"]] == [
            (0, "kanokporn", "self"),
            (1, "phakphum", "self"),
            (2, "phakphum", "ปฏิบัติหน้าที่"),
        ]
        assert {d["revision_sha256"] for d in record["decisions"]} == {publication["revision_sha256"]}

    raw = (out / "index.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a byte-order mark, so that Excel reads the Thai as UTF-8"
    with (out / "index.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert sorted(r["ที่"] for r in rows) == sorted(i.register_number for i in this_year)
    assert all(r["ผลตรวจสอบไฟล์"].startswith("ตรงกัน") for r in rows)
    for row in rows:
        assert (out / row["ไฟล์บันทึกข้อความ"]).is_file() and (out / row["ไฟล์ประกาศ"]).is_file()
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="th">' in html and "ปีงบประมาณ พ.ศ. ๒๕๗๐" in html
    for item in this_year:
        assert item.register_number in html
    assert html.count("ตรงกัน (match)") == 2
    assert home.items[2].memo_id not in [r["memo"]["id"] for r in records], "fiscal year 2569's is left out"


def test_a_year_and_every_organisation_by_default(home, tmp_path):
    result = home.saraban("evidence", "export", "--fiscal-year", "2569", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [folder] = item_folders(tmp_path / "evidence-2569")
    assert json.loads((folder / "publication.json").read_text(encoding="utf-8"))["memo"]["fiscal_year"] == 2569


def test_a_tampered_file_is_reported_loudly_and_exits_1(home, tmp_path):
    item = home.items[0]  # this year's, with its PDFs when LibreOffice is installed
    target = item.files["announcement-pdf" if item.has_pdf else "announcement"][0]
    original = target.read_bytes()
    target.write_bytes(original + b"\n% edited after publication\n")
    try:
        result = home.saraban(
            "evidence", "export", "--fiscal-year", "2570", "--out", str(tmp_path / "pack"), cwd=tmp_path
        )
    finally:
        target.write_bytes(original)

    assert result.returncode == 1
    assert "EVIDENCE DOES NOT MATCH THE RECORD" in result.stderr and target.name in result.stderr
    assert "ไม่ตรง (MISMATCH)" in (tmp_path / "pack" / "index.html").read_text(encoding="utf-8")
    folder = next(f for f in item_folders(tmp_path / "pack") if (f / target.name).exists())
    record = json.loads((folder / "publication.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in record["files"] if not f["matches"]] == [target.name]
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert check.returncode != 0, "sha256sum -c on the pack catches it too"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--fiscal-year", "2570", "--org", "nowhere"), "no organisation 'nowhere'"),
        (("--fiscal-year", "2560"), "no memo in fiscal year 2560"),
        (("--fiscal-year", "2026"), "did you mean 2569"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(home, tmp_path, args, message):
    result = home.saraban("evidence", "export", *args, cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr
    assert not list(tmp_path.iterdir()), "nothing written"


def test_an_output_folder_with_files_in_it_is_refused(home, tmp_path):
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "old.txt").write_text("from an earlier export", encoding="utf-8")
    result = home.saraban("evidence", "export", "--fiscal-year", "2570", "--out", str(tmp_path / "pack"), cwd=tmp_path)
    assert result.returncode == 2 and "not an empty folder" in result.stderr
