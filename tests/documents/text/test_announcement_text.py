"""Announcement words from the Jinja2 templates of each organisation kind."""

import datetime as dt
from pathlib import Path

import jinja2
import pytest

from documents.context import Signatory
from documents.text.announcement_examples import load_example, render_example_text
from documents.text.announcement_text import (
    announcement_context,
    parse_announcement_text,
    render_announcement_text,
)

SEEDS = Path("/work/shared/seeds")


def test_municipality_reproduces_004():
    text = render_example_text("municipality-004")
    assert text.subject == "มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน"
    assert len(text.preamble) == 1
    assert "ในการพัฒนาท้องถิ่นเทศบาลตำบลโคกพุทรา จึงได้กำหนดมาตรการ" in text.preamble[0]
    assert text.measures_heading.endswith("ในการดำเนินงานของเทศบาลตำบลโคกพุทรา")
    assert len(text.measures) == 4
    assert text.closing == "จึงประกาศมาให้ทราบด้วยทั่วกัน"


def test_bangkok_district_reproduces_000_with_fiscal_years_in_thai_digits():
    text = render_example_text("bangkok-district-000")
    assert text.subject == "มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วม"
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ - ๒๕๗๐ เพื่อเป็นการยกระดับ" in text.preamble[0]
    assert text.measures_heading.startswith("สำนักงานเขตห้วยขวาง จึงได้กำหนดมาตรการ")
    assert len(text.measures) == 5
    assert "ปิดประกาศ" in text.measures[1]
    assert text.closing == "จึงประกาศให้ทราบโดยทั่วกัน"


def test_bangkok_district_levels_reproduces_001():
    text = render_example_text("bangkok-district-001")
    assert text.subject.endswith("ในการดำเนินงาน ของสำนักงานเขตบางคอแหลม")
    assert len(text.preamble) == 2
    assert [m.splitlines()[0] for m in text.measures] == [
        "ความหมายของการมีส่วนร่วม",
        "ระดับการมีส่วนร่วม",
        "มาตรการ/แนวทางในการเสริมสร้างการเข้ามามีส่วนร่วม",
    ]
    assert sum(line.startswith("ระดับที่ ") for line in text.measures[1].splitlines()) == 5
    assert text.closing.splitlines()[-1] == "จึงประกาศมาเพื่อทราบโดยทั่วกัน"


def test_educational_service_area_reproduces_002_with_typos_fixed():
    text = render_example_text("educational-service-area-002")
    assert text.subject.startswith("มาตรการ กลไกให้ภาคประชาชน")
    assert len(text.measures) == 5
    joined = "\n".join([*text.preamble, *text.measures])
    assert "วิเคราะห์ทบทวนผลการดำเนินงาน" in joined and "แถลงข่าว" in joined
    assert "บททวน" not in joined and "แอลงข่าว" not in joined and "ปัดประกาศ" not in joined
    assert text.closing == ""  # the seed has none


@pytest.mark.parametrize(
    ("example", "seed"),
    [
        ("municipality-004", "004_32b323d0a5529780.txt"),
        ("bangkok-district-000", "000_a8dc8e9588bae7fa.txt"),
        ("educational-service-area-002", "002_35ab8569a21cf39c.txt"),
    ],
)
def test_rendered_measures_appear_in_the_seed(example, seed):
    if not (SEEDS / seed).exists():
        pytest.skip(f"seed {seed} not on this machine")
    fixed = {"วิเคราะห์ทบทวน": "วิเคราะห์บททวน", "แถลงข่าว": "แอลงข่าว"}
    source = (SEEDS / seed).read_text(encoding="utf-8")
    for measure in render_example_text(example).measures:
        for right, typo in fixed.items():
            measure = measure.replace(right, typo)
        assert measure in source


def test_optional_data_replaces_default_wording():
    text = render_announcement_text(
        "municipality",
        "participation-measures",
        {
            "organisation_name": "เทศบาลตำบลบ้านซ่อง",
            "measures": ["มาตรการแรก", "มาตรการที่สอง\nคำอธิบาย"],
            "closing": "จึงประกาศให้ทราบโดยทั่วกัน",
        },
    )
    assert text.measures == ["มาตรการแรก", "มาตรการที่สอง\nคำอธิบาย"]
    assert text.closing == "จึงประกาศให้ทราบโดยทั่วกัน"
    assert text.measures_heading.endswith("ของเทศบาลตำบลบ้านซ่อง")


def test_missing_variable_raises():
    with pytest.raises(jinja2.UndefinedError, match="fiscal_year_be"):
        render_announcement_text(
            "bangkok-district", "participation-measures", {"organisation_name": "สำนักงานเขตห้วยขวาง"}
        )
    with pytest.raises(jinja2.UndefinedError, match="organisation_name"):
        render_announcement_text("municipality", "participation-measures", {})


def test_override_dir_is_searched_first(tmp_path):
    (tmp_path / "municipality").mkdir()
    (tmp_path / "municipality" / "participation-measures.txt.j2").write_text(
        '{% extends "_base.txt.j2" %}\n{% block subject %}\nเรื่องของ{{ organisation_name }}\n'
        "{% endblock %}\n{% block measures %}\n@measure\nมาตรการเดียว\n{% endblock %}\n",
        encoding="utf-8",
    )
    data = {"organisation_name": "เทศบาลตำบลทดสอบ"}
    text = render_announcement_text("municipality", "participation-measures", data, tmp_path)
    assert text.subject == "เรื่องของเทศบาลตำบลทดสอบ"
    assert text.measures == ["มาตรการเดียว"]
    builtin = render_announcement_text("educational-service-area", "participation-measures", data, tmp_path)
    assert len(builtin.measures) == 5  # not overridden: falls back to the built-in template


def test_autoescape_is_off():
    text = render_announcement_text("municipality", "participation-measures", {"organisation_name": "A & B <C>"})
    assert text.measures_heading.endswith("A & B <C>")


def test_unknown_block_is_rejected():
    with pytest.raises(ValueError, match="@footer"):
        parse_announcement_text("@subject\nก\n@footer\nข\n", organisation_name="x")


def test_announcement_context_glue():
    example = load_example("municipality-004")
    signer = Signatory(full_name="นายทดสอบ ระบบ", position_title="นายกเทศมนตรี")
    context = announcement_context(render_example_text("municipality-004"), date=dt.date(2021, 3, 4), signatory=signer)
    assert context.organisation_name == example["data"]["organisation_name"]
    assert context.date == dt.date(2021, 3, 4) and context.signatory is signer
    assert context.garuda_image is None and len(context.measures) == 4
