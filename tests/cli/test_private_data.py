"""An instance's data is its user's alone (models.private_data): `saraban init` makes the home,
database and keys private whatever the umask it was started with, and the long-running commands
refuse to start, naming the path, while any of them is open to other local users."""

import os
import stat
from pathlib import Path

import pytest

from models.private_data import PRIVATE_UMASK
from tests.builders import EXAMPLES
from tests.cli.runner import instance_env, run_saraban


@pytest.fixture
def instance(tmp_path) -> Path:
    """A home made by `saraban init` from a shell with the common umask 022."""
    home = tmp_path / "home"
    previous = os.umask(0o022)
    try:
        result = run_saraban("init", env=instance_env(home), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        # Keys are made on first use: loading an organisation makes the pepper, the chain's key
        # and the organisation's signing key.
        result = run_saraban(
            "org", "load", EXAMPLES / "organisation.yaml", "--demo", env=instance_env(home), cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        assert os.umask(PRIVATE_UMASK) == PRIVATE_UMASK, "every command leaves its umask at 077"
    finally:
        os.umask(previous)
    return home


def open_to_others(home: Path) -> list[str]:
    return [
        f"{path} {stat.filemode(path.stat().st_mode)}"
        for path in [home, *home.rglob("*")]
        if path.stat().st_mode & 0o077 and not path.is_symlink()
    ]


def test_init_and_every_command_make_what_they_write_private(instance):
    assert (instance / "saraban.db").exists() and list((instance / "keys").glob("*.key"))
    assert open_to_others(instance) == []


@pytest.mark.parametrize("exposed", ["", "saraban.db", "keys", "keys/pin-pepper.key"])
@pytest.mark.parametrize("command", [("web",), ("worker",), ("deliver",)])
def test_the_services_will_not_start_on_data_others_can_read(instance, tmp_path, exposed, command):
    path = instance / exposed
    path.chmod(0o755 if path.is_dir() else 0o644)
    result = run_saraban(*command, env=instance_env(instance), cwd=tmp_path)
    assert result.returncode == 2
    assert (
        f"{path} is open to other users" in result.stderr
        and f"chmod {'700' if path.is_dir() else '600'}" in result.stderr
    )


def test_a_world_writable_key_is_refused_too(instance, tmp_path):
    key = instance / "keys" / "audit-chain.key"
    key.chmod(0o602)
    result = run_saraban("web", env=instance_env(instance), cwd=tmp_path)
    assert result.returncode == 2 and f"{key} is open to other users" in result.stderr


def test_init_takes_the_others_permissions_off_and_says_so(instance, tmp_path):
    (instance / "saraban.db").chmod(0o644)
    instance.chmod(0o755)
    result = run_saraban("init", env=instance_env(instance), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"made private to this user): {instance}\n" in result.stdout
    assert f"made private to this user): {instance / 'saraban.db'}\n" in result.stdout
    assert open_to_others(instance) == []
