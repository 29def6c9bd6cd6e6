"""The non-spelling checks, the file readers, offline behaviour and speed."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from documents.proofreading.proofread import (
    ExpectedDates,
    ProofreadError,
    ProofreadWarning,
    Warning,
    proofread,
    proofread_docx,
    proofread_file,
)

ROOT = Path(__file__).parents[3]
SEEDS = Path(__file__).parents[4] / "shared" / "seeds"
PREFIX = "อท ๕๓๗๐๑.๔"


def seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def kinds(text: str, **options) -> list[tuple[str, int, int, str, str]]:
    return [(w.kind, w.line, w.column, w.text, w.suggestion) for w in proofread(text, **options)]


def test_clean_text_gives_no_warning():
    text = "บันทึกข้อความ\nที่ อท ๕๓๗๐๑.๔/๓๐\nวันที่ ๔ มีนาคม ๒๕๖๔\nจึงเรียนมาเพื่อโปรดพิจารณา\n"
    assert proofread(text, register_prefix=PREFIX) == []


def test_warning_is_a_frozen_dataclass():
    found = proofread("แก้ไข\u200bแล้ว")[0]
    assert Warning is ProofreadWarning
    with pytest.raises(AttributeError):
        found.kind = "x"
    assert found.message  # a Thai explanation for the officer


def test_zero_width_characters():
    for char in "\u200b\u200c\u200d\ufeff\u2060":
        assert kinds(f"ทบทวน{char}ผล") == [("zero-width", 1, 6, char, "ลบอักขระที่มองไม่เห็น")]


def test_double_space_inside_a_line_but_not_indentation():
    text = "     ดังนั้น  เพื่อให้"
    assert [k[:3] for k in kinds(text)] == [("double-space", 1, text.index("  ", 5) + 1)]


def test_sara_e_e_typed_for_sara_ae():
    assert kinds("เเผนงาน") == [("sara-e-e", 1, 1, "เเ", "แ")]


@pytest.mark.parametrize("doubled", ["\u0e48\u0e48", "\u0e49\u0e49", "\u0e34\u0e34", "\u0e38\u0e38", "\u0e48\u0e49"])
def test_repeated_tone_mark_or_vowel(doubled):
    ((kind, line, column, text, _),) = kinds(f"ที{doubled}")
    assert (kind, line, column, text) == ("repeated-mark", 1, 3, doubled)


def test_stray_space_inside_a_word():
    text = "ผู้มีส่วนได้ส่วนเสียเข้า มามีส่วนร่วม และช่วยป้องกันการ ทุจริต"
    found = [(k[0], k[2], k[4]) for k in kinds(text)]
    columns = [text.index("เข้า ") + 5, text.index("การ ") + 4]
    assert found == [("split-word", columns[0], "เข้ามา"), ("split-word", columns[1], "การทุจริต")]


def test_mixed_digits_reports_the_minority_style():
    text = "วันที่ ๔ มีนาคม ๒๕๖๔ ข้อ ๑\n- 8 มี.ค. 2564\nอีเมล bansong2557@gmail.com"
    assert kinds(text) == [("mixed-digits", 2, 3, "8", "๘"), ("mixed-digits", 2, 11, "2564", "๒๕๖๔")]


def test_mixed_digits_in_an_arabic_digit_document():
    assert kinds("ข้อ 1 ข้อ 2 ข้อ ๓") == [("mixed-digits", 1, 17, "๓", "3")]


@pytest.mark.parametrize(
    "placeholder", ["{{ subject }}", "{% if x %}", "${name}", "[[เลขที่]]", "XXX", "..........", "_____"]
)
def test_unrendered_placeholder(placeholder):
    assert kinds(f"เรื่อง {placeholder}")[0][:4] == ("placeholder", 1, 8, placeholder)


def test_stage_block_dotted_leader_and_catchword_are_not_placeholders():
    text = "ที่...อท ๕๓๗๐๑.๔/๓๐\nข้อพิจารณา...\n.....ร่าง\n.....พิมพ์\n.....ทาน\n.....ตรวจ"
    assert kinds(text, register_prefix=PREFIX) == []


def test_impossible_date():
    assert kinds("ประกาศ ณ วันที่ ๓๑ กุมภาพันธ์ พ.ศ. ๒๕๖๔")[0][:4] == ("date-invalid", 1, 17, "๓๑ กุมภาพันธ์ พ.ศ. ๒๕๖๔")


def test_leap_day_uses_the_gregorian_year():
    assert kinds("วันที่ ๒๙ กุมภาพันธ์ ๒๕๖๗") == []  # 2024 is a leap year
    assert kinds("วันที่ ๒๙ กุมภาพันธ์ ๒๕๖๖")[0][0] == "date-invalid"


def test_gregorian_year_where_be_is_expected():
    assert kinds("ประกาศ ณ วันที่ 4 มีนาคม พ.ศ. 2021") == [("date-year", 1, 17, "4 มีนาคม พ.ศ. 2021", "๔ มีนาคม พ.ศ. ๒๕๖๔")]
    assert kinds("ฉบับวันที่ 4 มีนาคม ค.ศ. 2021") == []


def test_memo_dated_after_its_announcement():
    text = "วันที่ ๙ มีนาคม ๒๕๖๔\nประกาศ ณ วันที่ ๔ มีนาคม พ.ศ. ๒๕๖๔"
    assert [k[:3] for k in kinds(text)] == [("date-mismatch", 1, 8)]


def test_dates_against_the_record():
    text = "วันที่ ๔ มีนาคม ๒๕๖๔\nประกาศ ณ วันที่ ๔ มีนาคม พ.ศ. ๒๕๖๔"
    assert kinds(text, expected_dates=ExpectedDates(dt.date(2021, 3, 4), dt.date(2021, 3, 4))) == []
    found = proofread(text, expected_dates=ExpectedDates(memo=dt.date(2021, 3, 5)))
    assert [(w.kind, w.line, w.suggestion) for w in found] == [
        ("date-mismatch", 1, "๕ มีนาคม ๒๕๖๔"),  # the header disagrees with the record
        ("date-mismatch", 1, "ตรวจสอบวันที่ของบันทึกและประกาศ"),  # and the memo is now after the announcement
    ]


def test_abbreviated_and_two_digit_year_dates_are_read():
    assert kinds("วันที่ ๓๑ เม.ย. ๖๔")[0][:2] == ("date-invalid", 1)  # April has 30 days


def test_register_number_spacing_variant_from_seed_004():
    assert kinds("ที่...อท.๕๓๗๐๑.๔/ ๓๐", register_prefix=PREFIX) == [
        ("register-format", 1, 7, "อท.๕๓๗๐๑.๔/ ๓๐", "อท ๕๓๗๐๑.๔/๓๐")
    ]


def test_register_number_of_another_unit_or_with_arabic_digits():
    assert kinds("ที่ มท ๐๘๐๘.๒/๑๕", register_prefix=PREFIX)[0][3:] == ("มท ๐๘๐๘.๒/๑๕", "อท ๕๓๗๐๑.๔/๑๕")
    assert kinds("ที่ อท ๕๓๗๐๑.๔/30", register_prefix=PREFIX)[0][4] == "อท ๕๓๗๐๑.๔/๓๐"


def test_register_check_needs_a_prefix_and_ignores_body_lines():
    assert kinds("ที่...อท.๕๓๗๐๑.๔/ ๓๐") == []
    assert kinds("ที่ประชุมมีมติ ๓/๒๕๖๔", register_prefix=PREFIX) == []


def test_seed_004_whole_file():
    found = proofread_file(seed("004"), register_prefix=PREFIX)
    assert {(w.kind, w.line) for w in found} == {("register-format", 9), ("mixed-digits", 63), ("mixed-digits", 73)}


def test_markdown_file(tmp_path):
    path = tmp_path / "memo.md"
    path.write_text("# บันทึก\n\nแพร่หลาย เช่น ปัดประกาศ\n", encoding="utf-8")
    assert [(w.line, w.suggestion) for w in proofread_file(path)] == [(3, "ปิดประกาศ")]


def test_docx_paragraphs_and_table_cells_in_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("บันทึกข้อความ")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "จดหมายข่าว แอลงข่าว"
    table.cell(0, 1).text = "ติดประกาศ"
    document.add_paragraph("วิเคราะห์บททวนผลการดำเนินงาน")
    path = tmp_path / "memo.docx"
    document.save(path)
    found = proofread_docx(path)
    assert [(w.line, w.text, w.suggestion) for w in found] == [(2, "แอลงข่าว", "แถลงข่าว"), (4, "บททวน", "ทบทวน")]
    assert proofread_file(path) == found


def test_unsupported_or_unreadable_files(tmp_path):
    with pytest.raises(ProofreadError, match="only .txt, .md and .docx"):
        proofread_file(tmp_path / "memo.pdf")
    with pytest.raises(ProofreadError, match="cannot read"):
        proofread_file(tmp_path / "missing.txt")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(ProofreadError, match="not a readable .docx"):
        proofread_file(broken)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(ProofreadError, match="not UTF-8"):
        proofread_file(latin1)


OFFLINE_SCRIPT = """
import socket, sys
def refuse(*args, **kwargs):
    raise RuntimeError("network or corpus download attempted")
socket.socket.connect = refuse
socket.create_connection = refuse
import pythainlp.corpus as corpus, pythainlp.corpus.core as core
for module in (corpus, core):
    module.download = refuse
    module.get_corpus_path = refuse  # resolves (and may download) non-bundled corpora
from documents.proofreading.proofread import proofread_file
print(len(proofread_file(sys.argv[1], register_prefix="อท ๕๓๗๐๑.๔")))
"""


def test_nothing_is_downloaded(tmp_path):
    # A fresh process, so that the word lists are built here with the network and downloads refused.
    data_dir = tmp_path / "pythainlp-data"
    data_dir.mkdir()
    env = os.environ | {"PYTHAINLP_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", OFFLINE_SCRIPT, str(seed("004"))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "5"
    assert list(data_dir.iterdir()) == []
