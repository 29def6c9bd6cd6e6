"""`saraban backup` and `saraban restore` as an IT person uses them: an instance with a published,
signed announcement and a memo half-way up its chain is backed up, wiped, restored onto empty
places, and then verifies and goes on; a changed or misplaced backup is refused with nothing written."""

import shutil
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app
from documents.pdf.soffice import soffice_available
from models import Memo, Publication
from models.db import default_engine, session_scope
from models.enums import MemoStatus
from models.migrate import upgrade
from models.settings import get_settings
from services.publication.publication import prepare_files, publish
from tests.builders import load_kokphutsa, memo_in_review, sign
from tests.conftest import new_postgres_database

# Run on SQLite and PostgreSQL: locks, the application role, constraints or triggers differ here.
pytestmark = [
    pytest.mark.dialects,
    pytest.mark.skipif(not soffice_available(), reason="needs LibreOffice for the published PDFs"),
]
APPROVERS = ("kanokporn", "phakphum", "phakphum")  # the 004 chain: head of office, clerk, clerk as acting mayor


def saraban(*args: str):  # noqa: ANN201
    get_settings.cache_clear()
    default_engine.cache_clear()
    return CliRunner().invoke(app, [str(arg) for arg in args])


def use(monkeypatch: pytest.MonkeyPatch, home: Path, database_url: str) -> None:
    monkeypatch.setenv("SARABAN_HOME", str(home))
    monkeypatch.setenv("SARABAN_DATABASE_URL", database_url)
    for name in ("SARABAN_KEYS_DIR", "SARABAN_DOCUMENTS_DIR", "SARABAN_MIGRATION_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    default_engine.cache_clear()


def publish_to_the_end(memo_id: int, approvers: tuple[str, ...]) -> Publication:
    engine = default_engine()
    for username in approvers:
        sign(engine, memo_id, username)
    files = prepare_files(memo_id, engine=engine)
    with session_scope(engine) as session:
        return publish(session, memo_id=memo_id, prepared=files)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def instance(request, tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    """An instance in use: one announcement published and signed, one memo waiting at its second step.
    Yields (home, a URL for a new empty database of the same kind: the fresh machine's)."""
    home = tmp_path / "home"
    if request.param == "sqlite":
        urls = iter([f"sqlite:///{home / 'saraban.db'}"] * 2)
    else:
        first, second = new_postgres_database(), new_postgres_database()
        urls = iter([first.__enter__(), second.__enter__()])
        request.addfinalizer(lambda: (first.__exit__(None, None, None), second.__exit__(None, None, None)))
    home.mkdir()
    use(monkeypatch, home, next(urls))
    upgrade(get_settings().resolved_database_url)
    load_kokphutsa(default_engine())
    published = publish_to_the_end(memo_in_review(default_engine()).id, APPROVERS)
    in_flight = memo_in_review(default_engine()).id
    sign(default_engine(), in_flight, "kanokporn")
    return home, next(urls), published, in_flight


def test_backup_wipe_restore_then_it_verifies_and_goes_on(instance, tmp_path, monkeypatch):
    home, fresh_database, published, in_flight = instance
    data, keys = backups(tmp_path / "backups")

    default_engine().dispose()
    shutil.rmtree(home)  # the machine is lost
    use(monkeypatch, home, fresh_database)
    restored = saraban("restore", data, "--keys", keys)
    assert restored.exit_code == 0, restored.output
    assert "audit trail intact" in restored.output

    audit = saraban("audit", "verify")
    assert audit.exit_code == 0 and "intact" in audit.output
    verified = saraban("verify", published.announcement_pdf_path)
    assert verified.exit_code == 0, verified.output  # the signed PDF, as a citizen downloaded it
    assert "GENUINE" in verified.output or "ของจริง" in verified.output

    publish_to_the_end(in_flight, APPROVERS[1:])  # the memo in flight goes on where it stood
    with session_scope() as session:
        assert session.get(Memo, in_flight).status == MemoStatus.PUBLISHED
        assert len(session.exec(select(Publication)).all()) == 2
    assert saraban("audit", "verify").exit_code == 0


def test_the_keys_are_apart_unless_asked_and_the_data_needs_them(instance, tmp_path, monkeypatch):
    home, fresh_database, _, _ = instance
    made = saraban("backup", tmp_path / "backups")
    assert made.exit_code == 0 and "saraban backup --keys-only" in made.output
    [data] = (tmp_path / "backups").iterdir()
    assert not (data / "keys").exists()
    assert (data.stat().st_mode & 0o077) == 0  # the database copy is for its owner alone
    together = saraban("backup", tmp_path / "together", "--with-keys")
    assert together.exit_code == 0
    [both] = (tmp_path / "together").iterdir()
    assert (both / "keys" / "audit-chain.key").stat().st_mode & 0o777 == 0o600

    default_engine().dispose()
    shutil.rmtree(home)
    use(monkeypatch, home, fresh_database)
    refused = saraban("restore", data)
    assert refused.exit_code == 1 and "--keys" in refused.output
    assert not (home / "saraban.db").exists() and not (home / "documents").exists()
    assert saraban("restore", both).exit_code == 0  # keys inside, as asked


def test_a_changed_backup_or_an_instance_with_data_is_refused_and_nothing_is_written(instance, tmp_path, monkeypatch):
    home, fresh_database, published, _ = instance
    data, keys = backups(tmp_path / "backups")
    refused = saraban("restore", data, "--keys", keys)
    assert refused.exit_code == 1 and "restore only onto an instance without data" in refused.output

    changed = data / "documents" / Path(published.announcement_pdf_path).relative_to(home / "documents")
    changed.write_bytes(changed.read_bytes() + b"%")
    default_engine().dispose()
    shutil.rmtree(home)
    use(monkeypatch, home, fresh_database)
    tampered = saraban("restore", data, "--keys", keys)
    assert tampered.exit_code == 1 and "changed since the backup" in tampered.output
    assert not home.exists() or not any(path.is_file() for path in home.rglob("*"))

    elsewhere = saraban("restore", data, "--keys", keys)  # (the same check, from another home)
    assert elsewhere.exit_code == 1


def test_a_restore_elsewhere_is_refused_because_the_database_names_its_files_by_path(instance, tmp_path, monkeypatch):
    home, fresh_database, _, _ = instance
    data, keys = backups(tmp_path / "backups")
    use(monkeypatch, tmp_path / "other-home", fresh_database)
    moved = saraban("restore", data, "--keys", keys)
    assert moved.exit_code == 1 and f"SARABAN_HOME={home}" in moved.output


def backups(into: Path) -> tuple[Path, Path]:
    assert saraban("backup", into).exit_code == 0
    assert saraban("backup", into, "--keys-only").exit_code == 0
    [data] = into.glob("saraban-2*")
    [keys] = into.glob("saraban-keys-*")
    return data, keys
