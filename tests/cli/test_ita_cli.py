"""`saraban ita load` and `saraban ita items` through Typer's CliRunner (tests.cli.runner) on a
real SQLite database with the 004 municipality loaded."""

import json
from pathlib import Path

from tests.cli.conftest import ROOT

LAO = ROOT / "examples" / "ita" / "lao-2570.yaml"


def test_load_adopts_the_catalogue_says_so_in_thai_and_lists_its_items(saraban, tmp_path: Path):
    first = saraban("ita", "load", str(LAO), "--org", "kokphutsa")
    assert first.returncode == 0, first.stderr
    assert "เทศบาลตำบลโคกพุทรา รับแคตตาล็อก ITA ปีงบประมาณ พ.ศ. ๒๕๗๐ แล้ว 30 รายการ (adopted, 30 items)" in first.stdout
    again = saraban("ita", "load", str(LAO), "--org", "kokphutsa")
    assert again.returncode == 0 and "ไม่มีสิ่งใดเปลี่ยน (already adopted: nothing changed)" in again.stdout

    listed = saraban("ita", "items", "--fiscal-year", "๒๕๗๐", "--org", "kokphutsa", "--json")
    assert listed.returncode == 0, listed.stderr
    lines = {line["code"]: line for line in json.loads(listed.stdout)}
    assert len(lines) == 30
    o14 = lines["O14"]
    assert (o14["shape"], o14["cadence"], o14["position_code"]) == ("report", "monthly", "clerical-officer")
    assert lines["O1"]["due"] == "2027-03-31" and lines["O25"]["position_title"] == "นิติกรปฏิบัติการ"
    text = saraban("ita", "items", "--fiscal-year", "2570", "--org", "kokphutsa").stdout.splitlines()
    assert text[13].split("\t")[:2] == ["O14", "สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน"]
    assert "เจ้าพนักงานธุรการชำนาญงาน (clerical-officer)" in text[13]

    changed = tmp_path / "lao-2570-changed.yaml"
    changed.write_text(LAO.read_text(encoding="utf-8").replace("title: โครงสร้าง\n", "title: โครงสร้างองค์กร\n"), "utf-8")
    updated = saraban("ita", "load", str(changed), "--org", "kokphutsa")
    assert updated.returncode == 0 and "แก้ไขรายการ O1 (changed): title" in updated.stdout
    assert "แม่แบบ" not in updated.stdout  # the shipped participation-measures template is there


def test_a_template_the_office_does_not_have_is_named_when_the_catalogue_loads(saraban, tmp_path: Path):
    typo = tmp_path / "lao-2570-typo.yaml"
    typo.write_text(
        LAO.read_text(encoding="utf-8").replace("[participation-measures]", "[participation-measure]"), "utf-8"
    )
    loaded = saraban("ita", "load", str(typo), "--org", "kokphutsa")
    assert loaded.returncode == 0, loaded.stderr  # adopted all the same: the drafts start as general announcements
    assert "(item O23: the organisation has no template participation-measure;" in loaded.stdout


def test_a_bad_file_or_a_year_not_adopted_is_refused_with_exit_2(saraban, tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(LAO.read_text(encoding="utf-8").replace("shape: order", "shape: decree"), "utf-8")
    refused = saraban("ita", "load", str(bad), "--org", "kokphutsa")
    assert refused.returncode == 2
    assert "รายการ O25 (item O25), ช่อง shape (field shape)" in refused.stderr
    missing = saraban("ita", "items", "--fiscal-year", "2570", "--org", "kokphutsa")
    assert missing.returncode == 2 and "no ITA catalogue adopted for 2570" in missing.stderr  # nothing was saved
    assert saraban("ita", "load", str(LAO), "--org", "nowhere").returncode == 2
