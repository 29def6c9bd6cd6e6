"""Catch and false-alarm rates of the automated proofreading on sentences it was not tuned on.

    uv run python -m bench.proofread [--file tests/documents/proofreading/data/proofread_holdout.tsv]

The file holds kind<TAB>wrong<TAB>right<TAB>sentence lines (see its header): "clean" sentences,
and sentences with one misspelling ("common" or "typo"). A misspelling is caught when a warning
covers it, and caught with the right suggestion when applying that warning's suggestion gives the
correct sentence. Any warning on a clean sentence, or away from the misspelling, is a false alarm.
The misspellings are also counted by whether documents/proofreading/data/proofread_misspellings.tsv lists them,
to show what the list adds and what the token-join and dictionary checks find on their own.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

from documents.proofreading import lexicon as lex
from documents.proofreading.proofread import ProofreadWarning, proofread, warm_up

HOLDOUT = (
    Path(__file__).resolve().parents[1] / "tests" / "documents" / "proofreading" / "data" / "proofread_holdout.tsv"
)


@dataclass(frozen=True)
class Case:
    kind: str  # "clean" | "common" | "typo"
    wrong: str
    right: str
    sentence: str

    @property
    def listed(self) -> bool:
        return self.wrong in lex.misspellings()


@dataclass(frozen=True)
class Outcome:
    case: Case
    caught: bool
    right_suggestion: bool
    false_alarms: list[ProofreadWarning]
    covering: list[ProofreadWarning]  # the warnings on the misspelling


def read_cases(path: Path) -> list[Case]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    cases = [Case(*line.split("\t")) for line in lines]
    for case in cases:
        if case.kind != "clean" and case.wrong not in case.sentence:
            raise ValueError(f"{path.name}: {case.wrong!r} is not in its sentence {case.sentence!r}")
    return cases


def judge(case: Case) -> Outcome:
    warnings = proofread(case.sentence)
    if case.kind == "clean":
        return Outcome(case, False, False, warnings, [])
    start = case.sentence.index(case.wrong)
    end = start + len(case.wrong)
    covering = [w for w in warnings if _start(w) < end and start < _start(w) + len(w.text)]
    corrected = case.sentence.replace(case.wrong, case.right, 1)
    right = any(_applied(case.sentence, w) == corrected for w in covering)
    return Outcome(case, bool(covering), right, [w for w in warnings if w not in covering], covering)


def _start(warning: ProofreadWarning) -> int:
    return warning.column - 1


def _applied(sentence: str, warning: ProofreadWarning) -> str:
    start = _start(warning)
    return sentence[:start] + warning.suggestion + sentence[start + len(warning.text) :]


def _suggested(outcome: Outcome) -> str:
    return ", ".join(f"{w.text!r} -> {w.suggestion!r}" for w in outcome.covering)


def rate(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "0/0"


def report(outcomes: list[Outcome]) -> list[str]:
    clean = [o for o in outcomes if o.case.kind == "clean"]
    misspelt = [o for o in outcomes if o.case.kind != "clean"]
    lines = [
        f"sentences: {len(outcomes)} ({len(clean)} clean, {len(misspelt)} with one misspelling)",
        f"caught: {rate(sum(o.caught for o in misspelt), len(misspelt))}; "
        f"with the right suggestion: {rate(sum(o.right_suggestion for o in misspelt), len(misspelt))}",
    ]
    groups = [
        ("common", lambda o: o.case.kind == "common"),
        ("typo", lambda o: o.case.kind == "typo"),
        ("listed in the misspellings file", lambda o: o.case.listed),
        ("not listed (token-join and dictionary checks)", lambda o: not o.case.listed),
    ]
    for name, member in groups:
        group = [o for o in misspelt if member(o)]
        lines.append(f"  {name}: caught {rate(sum(o.caught for o in group), len(group))}")
    alarmed = [o for o in clean if o.false_alarms]
    lines.append(
        f"false alarms: clean sentences with a warning {rate(len(alarmed), len(clean))}; "
        f"other warnings on misspelt sentences {sum(len(o.false_alarms) for o in misspelt)}"
    )
    lines += [f"  missed: {o.case.wrong} -> {o.case.right} ({o.case.kind})" for o in misspelt if not o.caught]
    lines += [
        f"  caught, another suggestion: {o.case.wrong} -> {o.case.right} ({o.case.kind}): {_suggested(o)}"
        for o in misspelt
        if o.caught and not o.right_suggestion
    ]
    lines += [
        f"  false alarm: {w.text!r} -> {w.suggestion!r} [{w.kind}] in {o.case.sentence[:40]}..."
        for o in outcomes
        for w in o.false_alarms
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=HOLDOUT)
    args = parser.parse_args()
    warm_up()  # word lists are built once per process; not part of the per-sentence time
    cases = read_cases(args.file)
    start = time.perf_counter()
    outcomes = [judge(case) for case in cases]
    elapsed = time.perf_counter() - start
    for line in report(outcomes):
        print(line)
    print(f"time: {1000 * elapsed / len(cases):.1f} ms per sentence")


if __name__ == "__main__":
    main()
