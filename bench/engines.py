"""The throughput topology on two releases of the engine in one run: an earlier commit (its own
git worktree and `uv sync`ed environment, e.g. the last one on Prefect 3.8.8) and this checkout,
the same memos, people and workers, one after the other; then the figures side by side.

    uv run python -m bench.engines --baseline 476540a --memos 20 --workers 2

Each side is `python -m bench.throughput --topology` of its own checkout (needs
SARABAN_TEST_POSTGRES_URL, as bench.throughput does).
"""

import argparse
import re
import subprocess
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
FIGURES = {
    "memos/min": r"= ([\d.]+) memos/min",
    "CPU-s per memo": r"CPU: ([\d.]+) CPU-s per memo",
    "p50 s": r"published and posted: p50 ([\d.]+) s",
    "p95 s": r"p95 ([\d.]+) s",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", required=True, help="the earlier commit to compare with")
    parser.add_argument("--memos", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    options = ["--topology", "--memos", str(args.memos), "--workers", str(args.workers)]
    with tempfile.TemporaryDirectory() as folder:
        baseline = Path(folder) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(baseline), args.baseline], cwd=PROJECT, check=True)
        try:
            subprocess.run(["uv", "sync", "-q"], cwd=baseline, check=True)
            sides = {
                f"{args.baseline} (Prefect {prefect_version(baseline)})": throughput(baseline, options),
                f"this checkout (Prefect {prefect_version(PROJECT)})": throughput(PROJECT, options),
            }
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=PROJECT, check=False)
    print_side_by_side(sides)


def throughput(checkout: Path, options: list[str]) -> str:
    print(f"== {checkout}", flush=True)
    result = subprocess.run(
        ["uv", "run", "python", "-m", "bench.throughput", *options],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    )
    print(result.stdout, flush=True)
    return result.stdout


def prefect_version(checkout: Path) -> str:
    return subprocess.run(
        ["uv", "run", "python", "-c", "import prefect; print(prefect.__version__)"],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def print_side_by_side(sides: dict[str, str]) -> None:
    names = list(sides)
    print(f"{'':<16}" + "".join(f"{name:>40}" for name in names))
    for figure, pattern in FIGURES.items():
        values = [re.search(pattern, output) for output in sides.values()]
        print(f"{figure:<16}" + "".join(f"{(value[1] if value else '?'):>40}" for value in values))


if __name__ == "__main__":
    main()
