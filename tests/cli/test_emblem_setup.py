"""Setup says when an organisation has no Garuda emblem: `saraban org load` and `saraban init`."""

import subprocess
from pathlib import Path

import yaml

from tests.cli.conftest import EXAMPLES
from tests.cli.runner import instance_env, run_saraban


def test_org_load_and_init_say_that_no_emblem_is_uploaded(tmp_path):
    env = instance_env(tmp_path / "home")

    def run(*args: str) -> subprocess.CompletedProcess:
        return run_saraban(*args, env=env, cwd=tmp_path)

    spec = yaml.safe_load((EXAMPLES / "organisation.yaml").read_text(encoding="utf-8"))
    spec["organisation"]["printed_garuda_paper"] = False  # plain paper, and no image uploaded
    plain = Path(tmp_path / "plain.yaml")
    plain.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    assert run("init").returncode == 0
    loaded = run("org", "load", "--demo", str(plain))
    assert loaded.returncode == 0, loaded.stderr
    assert "ยังไม่มีภาพตราครุฑ" in loaded.stdout and "no Garuda emblem uploaded" in loaded.stdout
    again = run("init")
    assert again.returncode == 0 and "kokphutsa: ยังไม่มีภาพตราครุฑ" in again.stdout


def test_an_organisation_on_printed_garuda_paper_is_not_warned(tmp_path):
    env = instance_env(tmp_path / "home")

    def run(*args: str) -> subprocess.CompletedProcess:
        return run_saraban(*args, env=env, cwd=tmp_path)

    assert run("init").returncode == 0
    loaded = run("org", "load", "--demo", str(EXAMPLES / "organisation.yaml"))
    assert loaded.returncode == 0 and "ตราครุฑ" not in loaded.stdout
    assert "ตราครุฑ" not in run("init").stdout
