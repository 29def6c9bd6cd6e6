"""The Prefect UI's resume form reads a PIN typed in Thai digits as the same PIN."""

import pytest

from models.enums import DecisionKind
from tests.builders import PIN
from tests.workflows.conftest import PASSWORD, flow_run_id, resume_from_prefect_ui, wait_until_suspended
from tests.workflows.test_memo_flow import decisions, started_memo_in_review

pytestmark = pytest.mark.prefect
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def test_a_pin_in_thai_digits_signs_from_the_prefect_ui(prefect_ui_signing):
    memo_id = started_memo_in_review()
    run_id = flow_run_id(memo_id)
    key = wait_until_suspended(run_id).state_details.pause_key
    # The form's fields with signing turned on for the organisation (tasks/run_inputs.py SignForm).
    resume_from_prefect_ui(
        run_id,
        {
            "username": "kanokporn",
            "password": PASSWORD,
            "pin": PIN.translate(THAI),
            "decision": "approve",
            "minute": "ชอบ",
        },
    )
    wait_until_suspended(run_id, other_than=key)
    [decision] = decisions(memo_id)
    assert (decision.step_index, decision.kind) == (0, DecisionKind.APPROVE)
