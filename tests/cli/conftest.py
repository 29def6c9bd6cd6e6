"""The `saraban` command (run in this process, tests.cli.runner), in a home of its own per test."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.runner import instance_env, run_saraban

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "kokphutsa"
SARABAN = shutil.which("saraban", path=str(Path(sys.executable).parent)) or "saraban"


@pytest.fixture
def saraban(tmp_path):
    env = instance_env(tmp_path / "home")

    def run(*args: str, pin: str | None = None) -> subprocess.CompletedProcess:
        return run_saraban(*args, env=env, cwd=tmp_path, stdin=pin and f"{pin}\n")

    assert run("init").returncode == 0
    assert run("org", "load", "--demo", str(EXAMPLES / "organisation.yaml")).returncode == 0
    return run
