"""Where a memo's flow run waits for a person, named so that every wait has its own key.

A wait key names one point in the memo's life ("r2-step1": round 2, sign-off step 1); a
pause key adds the attempt ("r2-step1-a0"), because a refused Prefect UI resume suspends the
run again at the same point under a new key. Keys match [a-z0-9-] as Prefect requires.
"""

import re
from dataclasses import dataclass

from models.enums import Stage

STAGE_CODES = {Stage.TYPESET: "typeset", Stage.PROOFREAD: "proofread", Stage.CHECK: "check"}
_PAUSE_KEY = re.compile(r"^r(?P<round>\d+)-(?P<point>typeset|proofread|check|revise|step\d+)-a(?P<attempt>\d+)$")


@dataclass(frozen=True)
class Wait:
    round: int
    stage: Stage | None = None  # waiting for a preparation stage
    step: int | None = None  # waiting for a sign-off decision
    # neither: waiting for the drafter's revision after a return

    @property
    def key(self) -> str:
        if self.stage is not None:
            return f"r{self.round}-{STAGE_CODES[self.stage]}"
        if self.step is not None:
            return f"r{self.round}-step{self.step}"
        return f"r{self.round}-revise"

    def pause_key(self, attempt: int) -> str:
        return f"{self.key}-a{attempt}"


def wait_from_pause_key(pause_key: str) -> Wait | None:
    """The wait a suspended run's pause key stands for; None for keys that are not ours."""
    match = _PAUSE_KEY.match(pause_key or "")
    if match is None:
        return None
    round_, point = int(match["round"]), match["point"]
    if point.startswith("step"):
        return Wait(round_, step=int(point[4:]))
    if point == "revise":
        return Wait(round_)
    return Wait(round_, stage={code: stage for stage, code in STAGE_CODES.items()}[point])
