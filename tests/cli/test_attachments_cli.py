"""`saraban memo submit --attach FILE --publish-attachment FILE` and `saraban memo revise`: files
checked by content as on the web form, named in the revision (so its hash), kept on a revision
after a return unless dropped; a renamed program is refused, naming the file."""

import hashlib
import json

from tests.attachment_files import program_named_pdf, small_png, tiny_pdf
from tests.builders import PIN
from tests.cli.conftest import EXAMPLES

MEMO = str(EXAMPLES / "memo-004.yaml")


def files_of(saraban, memo_id: int) -> tuple[str, list[tuple[str, str, bool]]]:  # noqa: ANN001
    shown = json.loads(saraban("memo", "show", str(memo_id), "--json").stdout)
    return shown["revision_sha256"], [(a["name"], a["sha256"], a["published"]) for a in shown["attachments"]]


def test_submit_and_revise_with_attachments(saraban, tmp_path):
    plan, photo, program = tmp_path / "แผนปฏิบัติการ.pdf", tmp_path / "ภาพ.png", tmp_path / "setup.pdf"
    plan.write_bytes(tiny_pdf())
    photo.write_bytes(small_png())
    program.write_bytes(program_named_pdf())
    as_drafter = ("--as", "somying", "--pin-stdin")

    refused = saraban("memo", "submit", MEMO, *as_drafter, "--attach", str(program), pin=PIN)
    assert refused.returncode != 0 and "setup.pdf" in refused.stderr and "not a complete PDF" in refused.stderr

    sent = saraban(
        "memo", "submit", MEMO, *as_drafter, "--attach", str(photo), "--publish-attachment", str(plan), pin=PIN
    )
    assert sent.returncode == 0, sent.stderr
    memo_id = int(sent.stdout.split()[1])
    assert "สิ่งที่ส่งมาด้วย 1. ภาพ.png" in sent.stdout and "2. แผนปฏิบัติการ.pdf" in sent.stdout
    first_hash, files = files_of(saraban, memo_id)
    photo_sha, plan_sha = hashlib.sha256(photo.read_bytes()).hexdigest(), hashlib.sha256(plan.read_bytes()).hexdigest()
    assert files == [("ภาพ.png", photo_sha, False), ("แผนปฏิบัติการ.pdf", plan_sha, True)]

    for who, stage in (("wanna", "typeset"), ("preecha", "proofread")):
        assert (
            saraban("memo", "stage", str(memo_id), "--stage", stage, "--as", who, "--pin-stdin", pin=PIN).returncode
            == 0
        )
    back = saraban(
        "memo",
        "return",
        str(memo_id),
        "--stage",
        "check",
        "--as",
        "kanokporn",
        "--note",
        "ตัดภาพออก",
        "--pin-stdin",
        pin=PIN,
    )
    assert back.returncode == 0, back.stderr

    kept = saraban("memo", "revise", str(memo_id), MEMO, *as_drafter, "--note", "แนบแผนฉบับเดิม", pin=PIN)
    assert kept.returncode == 0, kept.stderr
    assert files_of(saraban, memo_id)[1] == files  # kept by default: same files, same hash of the content
    assert json.loads(saraban("audit", "verify", "--json").stdout)["intact"]


def test_revise_can_drop_the_files(saraban, tmp_path):
    plan = tmp_path / "แผน.pdf"
    plan.write_bytes(tiny_pdf())
    as_drafter = ("--as", "somying", "--pin-stdin")
    memo_id = int(saraban("memo", "submit", MEMO, *as_drafter, "--attach", str(plan), pin=PIN).stdout.split()[1])
    for who, stage in (("wanna", "typeset"), ("preecha", "proofread")):
        saraban("memo", "stage", str(memo_id), "--stage", stage, "--as", who, "--pin-stdin", pin=PIN)
    saraban(
        "memo",
        "return",
        str(memo_id),
        "--stage",
        "check",
        "--as",
        "kanokporn",
        "--note",
        "ไม่ต้องแนบ",
        "--pin-stdin",
        pin=PIN,
    )
    before, _ = files_of(saraban, memo_id)
    dropped = saraban(
        "memo", "revise", str(memo_id), MEMO, *as_drafter, "--note", "ตัดไฟล์แนบ", "--drop-attachments", pin=PIN
    )
    assert dropped.returncode == 0, dropped.stderr
    after, files = files_of(saraban, memo_id)
    assert files == [] and after != before
