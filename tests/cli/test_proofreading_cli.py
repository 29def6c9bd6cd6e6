"""`saraban memo submit` with a possible misspelling: the findings printed, a non-zero exit and no
register number taken, until --despite-proofreading; then `memo stage` at ทาน names the finding's
key and confirms once it is given with --intended."""

import re

import yaml
from sqlmodel import func, select

from models.db import make_engine
from models.register import RegisterEntry
from tests.builders import PIN
from tests.cli.conftest import EXAMPLES

MEASURES = ["เปิดโอกาสให้ประชาชนมีส่วนร่วมในการดำเนินงาน", "ให้เจ้าหน้าที่ปฎิบัติตามแนวทางอย่างเคร่งครัด"]
LABEL = "ประกาศ ข้อ ๒: ปฎิบัติ → ปฏิบัติ"


def test_a_misspelling_is_listed_and_sent_only_with_the_flag(saraban, tmp_path):
    draft = yaml.safe_load((EXAMPLES / "memo-004.yaml").read_text(encoding="utf-8"))
    draft["announcement"]["data"] = {"measures": MEASURES}
    memo = tmp_path / "memo.yaml"
    memo.write_text(yaml.safe_dump(draft, allow_unicode=True), encoding="utf-8")
    submit = ("memo", "submit", str(memo), "--as", "somying", "--pin-stdin")
    asked = saraban(*submit, pin=PIN)
    assert asked.returncode != 0 and LABEL in asked.stderr and "--despite-proofreading" in asked.stderr
    engine = make_engine(f"sqlite:///{tmp_path / 'home' / 'saraban.db'}")
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(RegisterEntry)).scalar() == 0
    engine.dispose()
    sent = saraban(*submit, "--despite-proofreading", pin=PIN)
    assert sent.returncode == 0, sent.stderr
    assert "ที่ อท ๕๓๗๐๑.๔/๑" in sent.stdout  # the first number: the refused attempt took none
    assert saraban("memo", "stage", "1", "--stage", "typeset", "--as", "wanna", "--pin-stdin", pin=PIN).returncode == 0
    proofread = ("memo", "stage", "1", "--stage", "proofread", "--as", "preecha", "--pin-stdin")
    refused = saraban(*proofread, pin=PIN)
    assert refused.returncode != 0 and LABEL in refused.stderr
    key = re.search(rf"{LABEL} \[([0-9a-f]+)\]", refused.stderr)[1]
    confirmed = saraban(*proofread, "--intended", key, pin=PIN)
    assert confirmed.returncode == 0, confirmed.stderr
