"""The one Prefect configuration of every Saraban process and thread.

Prefect reads its settings when it is imported, per process, and `temporary_settings` changes
them for one thread's context only: a web request thread or the deliverer's thread would not
see it, and a client with no API URL silently starts an ephemeral server of its own. So the
settings go into the environment (inherited by every subprocess: runners, flow runs) and the
process-wide settings are refreshed from it; the ephemeral fallback is switched off, which
turns a missing API URL into an error instead of a second server.

The Prefect server Saraban starts asks for credentials (Prefect OSS has one shared basic-auth
string, no users) and checks CSRF tokens; every Saraban process sends the string. It is derived
from an instance secret kept outside the database, unless PREFECT_API_AUTH_STRING is set (a
server Saraban did not start; workers on other machines, see the README's Production section).
"""

import os

from prefect.context import refresh_global_settings_context

from models.instance_secrets import instance_secret
from models.settings import get_settings

API_URL_FILE = "prefect-api-url"  # written by `saraban serve` so other commands find its server
AUTH_SECRET = "prefect-api"  # <keys dir>/prefect-api.key
AUTH_USER = "saraban"


class PrefectNotConfigured(RuntimeError):
    pass


def prefect_environment(api_url: str | None = None) -> dict[str, str]:
    """Variables for a Prefect server, a runner, a worker or a client working for this Saraban home."""
    home = get_settings().home.resolve()
    env = {
        "PREFECT_HOME": str(home / "prefect"),
        "PREFECT_SERVER_EPHEMERAL_ENABLED": "false",
        # No internet here: telemetry calls would only fail and fill the logs.
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # A resumed memo run is picked up within a second instead of the default ten: the
        # runner's and the process workers' polls are the largest part of a wake's latency.
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"),
        # The flow subprocesses must find the same database and documents.
        "SARABAN_HOME": str(home),
        "SARABAN_DATABASE_URL": get_settings().resolved_database_url,
        "SARABAN_DOCUMENTS_DIR": str(get_settings().documents_dir.resolve()),
        # Sent as HTTP basic auth on every request, websockets included; the client fetches
        # and sends a CSRF token before every change (Prefect's default, stated here).
        "PREFECT_API_AUTH_STRING": prefect_auth_string(),
        "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED": "true",
    }
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


# Prefect's pause-expiration service reads every paused run (200 at a time) every 5 s to fail
# those whose pause timed out. Memo runs suspend without a timeout (people take days; the
# reconciler watches what is pending), so the service has nothing to do, and with 10,000 memos
# waiting it kept the server at ~40 % of a core (bench/idle.py). It is off on Saraban's servers.
PAUSE_EXPIRATIONS = "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED"


def prefect_server_environment(port: int) -> dict[str, str]:
    """What a Prefect server started for this home needs on top of `prefect_environment()`:
    credentials, CSRF checks, and the UI's own origin as the only one allowed cross-origin."""
    api_url = f"http://127.0.0.1:{port}/api"
    return {
        **prefect_environment(),
        "PREFECT_SERVER_API_AUTH_STRING": prefect_auth_string(),
        "PREFECT_SERVER_CSRF_PROTECTION_ENABLED": "true",
        "PREFECT_SERVER_CORS_ALLOWED_ORIGINS": f"http://127.0.0.1:{port}",
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_UI_API_URL": api_url,
        PAUSE_EXPIRATIONS: "false",
    }


def prefect_auth_string() -> str:
    """`user:password` for the Prefect API: PREFECT_API_AUTH_STRING, or this instance's own."""
    return os.environ.get("PREFECT_API_AUTH_STRING") or f"{AUTH_USER}:{instance_secret(AUTH_SECRET).hex()}"


def configure_prefect(api_url: str) -> None:
    """Point this process (every thread) and its future subprocesses at one Prefect server."""
    os.environ.update(prefect_environment(api_url))
    refresh_global_settings_context()


def configured_api_url() -> str:
    """PREFECT_API_URL, or the server `saraban serve` started for this home; an error otherwise."""
    url = os.environ.get("PREFECT_API_URL") or _served_api_url()
    if not url:
        raise PrefectNotConfigured(
            "ไม่พบเซิร์ฟเวอร์ Prefect: เริ่ม `saraban serve` หรือกำหนด PREFECT_API_URL "
            "(no Prefect server: start `saraban serve` for this SARABAN_HOME, or set PREFECT_API_URL)"
        )
    return url


def remember_api_url(api_url: str | None) -> None:
    path = get_settings().home / API_URL_FILE
    if api_url is None:
        path.unlink(missing_ok=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(api_url, encoding="utf-8")


def _served_api_url() -> str:
    path = get_settings().home / API_URL_FILE
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""
