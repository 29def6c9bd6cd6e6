"""One Prefect configuration for every process and thread, and never an ephemeral server by
accident: each case runs in a fresh interpreter, as a Saraban process would start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SARABAN_"))}
    clean.update(SARABAN_HOME=str(tmp_path), PREFECT_HOME=str(tmp_path / "prefect"), **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_a_deliverer_without_a_prefect_server_fails_instead_of_starting_one(tmp_path):
    result = python(
        """
from models.migrate import upgrade
from models.settings import get_settings
upgrade(get_settings().resolved_database_url)
from models import FlowSignal, Memo
from models.db import session_scope
from services.outbox.flow_signals import signal_flow
from tests.builders import load_kokphutsa, submitted_memo
from models.db import default_engine
load_kokphutsa(default_engine())
memo = submitted_memo(None)
from workflows.delivery import Deliverer
print(Deliverer().deliver_pending())
with session_scope() as session:
    print(session.get(FlowSignal, 1).last_error)
""",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "'unavailable'" in result.stdout or "UNAVAILABLE" in result.stdout
    assert "No Prefect API URL" in result.stdout
    assert "ephemeral" not in result.stderr.lower() and "Starting temporary server" not in result.stderr


def test_every_thread_follows_the_configured_server(tmp_path):
    result = python(
        """
import threading
from deployments.environment import configure_prefect
configure_prefect("http://127.0.0.1:4999/api")
from prefect.client.orchestration import get_client
seen = []
def look():
    with get_client(sync_client=True) as client:
        seen.append(str(client.api_url))
thread = threading.Thread(target=look)
thread.start(); thread.join()
print(seen)
""",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:4999/api/" in result.stdout


def test_the_cli_says_where_to_find_a_prefect_server(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "from cli.main import app; app()", "memo", "nudge"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SARABAN_"))},
            "SARABAN_HOME": str(tmp_path),
        },
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "ไม่พบเซิร์ฟเวอร์ Prefect" in result.stderr and "saraban serve" in result.stderr


def test_every_process_of_one_instance_sends_the_same_prefect_credential_and_others_a_different_one(tmp_path):
    code = """
from deployments.environment import configure_prefect, prefect_server_environment
configure_prefect("http://127.0.0.1:4999/api")
from prefect.settings import get_current_settings
server = prefect_server_environment(4999)
print(get_current_settings().api.auth_string.get_secret_value())
print(server["PREFECT_SERVER_API_AUTH_STRING"], server["PREFECT_SERVER_CSRF_PROTECTION_ENABLED"])
"""
    first, again = python(code, tmp_path / "a"), python(code, tmp_path / "a")
    other = python(code, tmp_path / "b")
    assert first.returncode == 0, first.stderr
    client, server = first.stdout.splitlines()
    assert client.startswith("saraban:") and len(client) == len("saraban:") + 64
    assert server == f"{client} true"
    assert again.stdout == first.stdout and other.stdout.splitlines()[0] != client
    assert (tmp_path / "a" / "keys" / "prefect-api.key").exists()
    given = python(code, tmp_path / "c", PREFECT_API_AUTH_STRING="ops:from-the-vault")
    assert given.stdout.splitlines() == ["ops:from-the-vault", "ops:from-the-vault true"]


def test_saraban_prefect_auth_prints_what_a_worker_on_another_machine_needs(tmp_path):
    shown = subprocess.run(
        [sys.executable, "-c", "from cli.main import app; app()", "prefect-auth"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SARABAN_"))},
            "SARABAN_HOME": str(tmp_path),
        },
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "saraban:" + (tmp_path / "keys" / "prefect-api.key").read_bytes().hex()
