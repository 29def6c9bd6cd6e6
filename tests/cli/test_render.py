"""`saraban render`: the real command on a memo taken through its stages and sign-offs by the CLI.

No Prefect server: actions only record their flow signals, as in test_cli.py.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from documents.pdf.soffice import soffice_available
from tests.builders import PIN
from tests.cli.runner import instance_env, run_saraban
from tests.documents.docx_inspect import all_paragraph_texts, part_xml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "kokphutsa"

needs_soffice = pytest.mark.skipif(not soffice_available(), reason="LibreOffice (soffice) is not installed")


class Saraban:
    """The `saraban` command on one SARABAN_HOME (run in this process, tests.cli.runner)."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.home = workdir / "home"
        self.env = instance_env(self.home)

    def __call__(self, *args: str, pin: str | None = None, path: str | None = None) -> subprocess.CompletedProcess:
        env = self.env if path is None else {**self.env, "PATH": path}
        return run_saraban(*args, env=env, cwd=self.workdir, stdin=pin and f"{pin}\n")

    def ok(self, *args: str, pin: str | None = None) -> subprocess.CompletedProcess:
        result = self(*args, pin=pin)
        assert result.returncode == 0, result.stderr
        return result


def _sign(saraban: Saraban, user: str, minute: str, *extra: str) -> None:
    revision = json.loads(saraban.ok("memo", "show", "1", "--json").stdout)["revision_sha256"]
    saraban.ok(
        "memo",
        "sign",
        "1",
        "--as",
        user,
        "--decision",
        "approve",
        "--minute",
        minute,
        *extra,
        "--revision",
        revision,
        "--pin-stdin",
        pin=PIN,
    )


@pytest.fixture(scope="module")
def saraban(tmp_path_factory) -> Saraban:
    """Memo 1 (the 004 memo) staged and signed by the head of office: in review, not approved."""
    saraban = Saraban(tmp_path_factory.mktemp("render"))
    saraban.ok("init")
    saraban.ok("org", "load", "--demo", str(EXAMPLES / "organisation.yaml"))
    saraban.ok("memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin", pin=PIN)
    for user, stage in (("wanna", "typeset"), ("preecha", "proofread"), ("kanokporn", "check")):
        saraban.ok("memo", "stage", "1", "--stage", stage, "--as", user, "--pin-stdin", pin=PIN)
    _sign(saraban, "kanokporn", "เรียน ปลัดเทศบาล")
    return saraban


@pytest.fixture(scope="module")
def before_approval(saraban) -> subprocess.CompletedProcess:
    return saraban.ok("render", "1", "--out", str(saraban.workdir / "before"))


@pytest.fixture(scope="module")
def approved(saraban, before_approval) -> Saraban:
    _sign(saraban, "phakphum", "เรียน น.ทต.คพ\n- โปรดพิจารณา")
    _sign(saraban, "phakphum", "- อนุมัติ", "--capacity", "ปฏิบัติหน้าที่")
    return saraban


def test_before_approval_only_the_memo_and_a_clear_word_why(saraban, before_approval):
    out = saraban.workdir / "before"
    assert before_approval.stdout.split() == [str(out / "memo-r1-m1.docx")]
    assert sorted(p.name for p in out.iterdir()) == ["memo-r1-m1.docx"]
    assert "no announcement yet" in before_approval.stderr and "ยังไม่มีประกาศ" in before_approval.stderr
    lines = all_paragraph_texts((out / "memo-r1-m1.docx").read_bytes())
    assert "เรียน ปลัดเทศบาล" in lines and "(นางสาวกนกพร มุสพร้อม)" in lines


def test_default_folder_is_the_memos_documents_folder(approved):
    result = approved.ok("render", "1")
    folder = approved.home / "documents" / "kokphutsa" / "memo-1"
    assert result.stdout.split() == [str(folder / "memo-r1-m3.docx"), str(folder / "announcement-r1.docx")]


@needs_soffice
def test_approved_memo_and_announcement_as_docx_and_pdf(approved):
    out = approved.workdir / "pdf"
    result = approved.ok("render", "1", "--pdf", "--out", str(out))
    written = [Path(line) for line in result.stdout.split()]
    assert {p.name for p in written} >= {
        "memo-r1-m3.docx",
        "announcement-r1.docx",
        "memo-r1-m3.pdf",
        "announcement-r1.pdf",
    }
    assert all(p.exists() and p.parent == out for p in written)

    memo = all_paragraph_texts((out / "memo-r1-m3.docx").read_bytes())
    assert ["- โปรดพิจารณา", "- อนุมัติ"] == [line for line in memo if line in {"- โปรดพิจารณา", "- อนุมัติ"}]
    assert "ปลัดเทศบาล ปฏิบัติหน้าที่" in memo
    announcement = all_paragraph_texts((out / "announcement-r1.docx").read_bytes())
    assert "ประกาศเทศบาลตำบลโคกพุทรา" in announcement
    assert any(line.startswith("ประกาศ ณ วันที่ ") for line in announcement)

    assert _pages(out / "announcement-r1.pdf") == 1
    text = subprocess.run(
        ["pdftotext", str(out / "announcement-r1.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "ประกาศเทศบาลตำบลโคกพุทรา" in text.replace(" ", "")
    if _pages(out / "memo-r1-m3.pdf") > 1:  # the -print .docx carries the continuation word the PDF shows
        printed = out / "memo-r1-m3-print.docx"
        assert printed in written
        body = part_xml(printed.read_bytes(), "word/document.xml")
        boxes = ["".join(box.itertext()) for box in body.iter(qn("w:txbxContent"))]
        assert boxes == ["ข้อพิจารณา..."]


def test_without_libreoffice_the_docx_is_written_and_the_reason_given(approved):
    empty_path = approved.workdir / "no-soffice-bin"
    empty_path.mkdir(exist_ok=True)
    out = approved.workdir / "no-soffice"
    result = approved("render", "1", "--pdf", "--out", str(out), path=str(empty_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["announcement-r1.docx", "memo-r1-m3.docx"]
    assert "LibreOffice (soffice) was not found" in result.stderr and "ไม่พบโปรแกรม LibreOffice" in result.stderr


def test_a_bad_memo_id_exits_2(approved):
    result = approved("render", "42")
    assert result.returncode == 2
    assert "no memo with id 42" in result.stderr


def test_the_organisations_own_template_is_used(approved):
    override = approved.home / "templates" / "kokphutsa" / "municipality" / "participation-measures.txt.j2"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "_base.txt.j2" %}\n{% block subject %}\nมาตรการของ{{ organisation_name }} ฉบับเฉพาะ\n'
        "{% endblock %}\n{% block measures %}\n@measure\nมาตรการเดียวของสำนักงาน\n{% endblock %}\n",
        encoding="utf-8",
    )
    try:
        out = approved.workdir / "override"
        approved.ok("render", "1", "--out", str(out))
        lines = all_paragraph_texts((out / "announcement-r1.docx").read_bytes())
    finally:
        shutil.rmtree(approved.home / "templates")
    assert "เรื่อง มาตรการของเทศบาลตำบลโคกพุทรา ฉบับเฉพาะ" in lines
    assert "๑. มาตรการเดียวของสำนักงาน" in lines
    assert not any(line.startswith("๒.") for line in lines)


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
