"""Instance secrets: made once, kept in a private file, the same for every caller."""

import stat
from concurrent.futures import ThreadPoolExecutor

import pytest

from models.instance_secrets import SECRET_BYTES, instance_secret, secret_path


def test_a_secret_is_made_once_and_kept_private(keys_dir):
    first = instance_secret("audit")
    assert len(first) == SECRET_BYTES
    assert instance_secret("audit") == first
    assert instance_secret("pin-pepper") != first
    assert stat.S_IMODE((keys_dir / "audit.key").stat().st_mode) == 0o600


def test_callers_racing_for_a_new_secret_all_get_the_same_one(keys_dir):
    with ThreadPoolExecutor(8) as pool:
        values = set(pool.map(lambda _: instance_secret("race"), range(32)))
    assert len(values) == 1
    assert [p.name for p in keys_dir.iterdir()] == ["race.key"]


def test_a_truncated_secret_file_is_an_error_not_a_new_key(keys_dir):
    instance_secret("audit")
    (keys_dir / "audit.key").write_bytes(b"short")
    with pytest.raises(RuntimeError, match="restore it"):
        instance_secret("audit")


def test_names_cannot_leave_the_keys_folder(keys_dir):
    with pytest.raises(ValueError):
        secret_path("../db")
