"""Settings read from the environment (SARABAN_*), one object for the whole process."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SARABAN_")

    # Everything the product writes lives under here unless configured otherwise.
    home: Path = Path(".saraban")
    # SQLite file under `home` when empty; any SQLAlchemy URL otherwise
    # (postgresql+psycopg://user:pass@host/db for PostgreSQL).
    database_url: str = ""
    # PostgreSQL: the table owner's URL, for `saraban init` alone (migrations, then the grants
    # that let database_url's role add history rows but never change or delete them). Empty:
    # init migrates with database_url.
    migration_database_url: str = ""
    # Where memos' files are written and read. Every process that renders or serves them (web
    # apps, Prefect workers) must see the same folder: on several machines, a shared mount.
    documents_path: Path | None = Field(default=None, validation_alias="SARABAN_DOCUMENTS_DIR")
    # Secrets that must never be in the database (the audit key, the PIN pepper, signing keys):
    # a copy of the database alone must not be enough to sign or to rewrite history. Every
    # process of one instance must see the same folder; back it up apart from the database.
    keys_path: Path | None = Field(default=None, validation_alias="SARABAN_KEYS_DIR")

    # The web app: a session ends after this long without a request, and in any case after
    # session_max_hours; an address (for usernames that exist), and an address with one username, get
    # login_attempts failures per 15 minutes; a username alone waits its turn (services.accounts.login_throttle).
    session_idle_minutes: int = 30
    session_max_hours: int = 10
    login_attempts: int = 5
    # Signing PINs: at least this many digits (weak ones are refused whatever their length,
    # see models.pin_policy). Existing shorter PINs must be replaced before the next signature.
    pin_min_digits: int = Field(default=6, ge=4, le=12)
    # A sign-off within this many hours after an administrator reset the signer's password or
    # PIN is flagged on the memo, in the audit log and in the evidence (0: never flagged).
    reset_watch_hours: int = Field(default=72, ge=0)
    # Secure cookies: "auto" sets the flag on HTTPS requests; "always" behind a TLS proxy.
    cookie_secure: str = "auto"
    # Where the public pages are reached from outside (https://saraban.example.go.th): links in
    # the Atom feed are built from it, never from a request's Host header. Unset, they are
    # relative to the site.
    public_base_url: str = ""
    # The addresses of the TLS proxies in front of the web app (comma-separated, e.g. "127.0.0.1"
    # when nginx runs on the same machine): only their X-Forwarded-For / X-Forwarded-Proto is
    # believed. Empty: nobody's, and the login throttle counts the address that connected.
    trusted_proxies: str = ""
    # The largest request body the web app reads (the Garuda upload is the largest, 2 MB).
    max_request_bytes: int = 5 * 1024 * 1024
    # The bearer token Prometheus sends to /metrics (`Authorization: Bearer <token>`). Empty: /metrics
    # is off (404): its counts per organisation are for the operator, not for the public.
    metrics_token: str = ""
    # An RFC 3161 time-stamping authority (http://tsa.example/): each signed chain head is
    # time-stamped by it (services.publication.chain_heads). Empty: heads carry the office's own
    # clock only. A TSA that does not answer in tsa_timeout_seconds never stops a publication.
    tsa_url: str = ""
    tsa_timeout_seconds: float = 10.0
    # How long a webhook post claimed by a sender that may have died waits before it is sent
    # again under the same Idempotency-Key (services.publication.channel_posting): longer than
    # a send with its retries takes.
    webhook_resend_seconds: float = Field(default=60.0, ge=1.0)
    # The office's outgoing mail server, as an Apprise URL without a recipient
    # (mailtos://user:password@smtp.example.go.th?from=saraban@example.go.th): the e-mail channels
    # people add on /account are sent through it (services.notices.notify). Empty: people cannot
    # add e-mail themselves.
    mail_url: str = ""
    # LINE's Messaging API (pushes and replies through the office's LINE Official Account).
    line_api_base: str = "https://api.line.me"
    # A webhook a person adds on /account must reach a public address: Saraban would otherwise
    # post, on anyone's request, to the machines of its own network. True on an instance whose
    # people's receivers live inside it (and in the tests, whose receivers are on 127.0.0.1).
    personal_webhooks_inside: bool = False

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.home / 'saraban.db').resolve()}"

    @property
    def resolved_migration_url(self) -> str:
        return self.migration_database_url or self.resolved_database_url

    @property
    def documents_dir(self) -> Path:
        return self.documents_path or self.home / "documents"

    @property
    def keys_dir(self) -> Path:
        return self.keys_path or self.home / "keys"


@lru_cache
def get_settings() -> Settings:
    return Settings()
