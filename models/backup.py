"""Backups that restore: a consistent copy of the database and the documents, and apart from
them the keys, each with a manifest of every file's SHA-256.

The database is copied first (SQLite's online backup, or one `pg_dump` snapshot), the documents
after it: every file a row of the copy refers to was written before that row was committed, so
it is in the copy. The keys folder is what makes a copy of the database harmless (the audit key,
the PIN pepper, the signing keys): it goes into a folder of its own, for another medium, unless
the operator asks for both together.

A restore checks the manifest before it writes anything, refuses to write over an instance that
has data, and leaves upgrading and verifying to the caller (`saraban restore` runs both).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, make_url, text
from sqlalchemy.engine import URL

from models.audit import KEY_NAME
from models.clock import utcnow
from models.settings import Settings

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_FILE = "database.sqlite"
PG_DUMP_FILE = "database.pgdump"
DOCUMENTS = "documents"
KEYS = "keys"
# What the instance keeps under its home besides the database: the Garuda images the
# administrators uploaded and the organisations' own templates.
HOME_FOLDERS = ("organisations", "templates")
PG_TIMEOUT_SECONDS = 3600


class BackupProblem(RuntimeError):
    """Said in Thai and English; nothing was written (or, for a backup, nothing is left half-made)."""


@dataclass(frozen=True)
class Backup:
    folder: Path
    files: int
    size: int
    database: str  # sqlite | postgresql | "" (keys only)
    audit_head: tuple[int, str] | None


def make_backup(settings: Settings, into: Path, *, data: bool = True, keys: bool = False) -> Backup:
    """A new folder under `into`, named by the time, holding what was asked for and its manifest."""
    if not data and not keys:
        raise BackupProblem("ไม่ได้เลือกสิ่งที่จะสำรอง (nothing to back up: data, keys or both)")
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    folder = into / (f"saraban-{stamp}" if data else f"saraban-keys-{stamp}")
    partial = folder.with_name(folder.name + ".partial")
    partial.mkdir(parents=True, mode=0o700)
    try:
        database, head = _copy_data(settings, partial) if data else ("", None)
        if keys:
            _copy_tree(settings.keys_dir, partial / KEYS, private=True)
        files = _write_manifest(partial, database=database, audit_head=head, places=_places(settings) if data else {})
        partial.rename(folder)  # a folder without ".partial" is whole
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Backup(folder, len(files), sum(entry["size"] for entry in files.values()), database, head)


def _copy_data(settings: Settings, folder: Path) -> tuple[str, tuple[int, str] | None]:
    url = make_url(settings.resolved_migration_url)
    head = _audit_head(url)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(Path(url.database or ""), folder / SQLITE_FILE)
        database = "sqlite"
    elif url.get_backend_name() == "postgresql":
        _pg(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(folder / PG_DUMP_FILE)], url)
        database = "postgresql"
    else:
        raise BackupProblem(f"สำรองฐานข้อมูลชนิดนี้ไม่ได้ (cannot back up a {url.get_backend_name()} database)")
    _copy_tree(settings.documents_dir, folder / DOCUMENTS, private=False)
    for name in HOME_FOLDERS:
        _copy_tree(settings.home / name, folder / "home" / name, private=False)
    return database, head


def read_manifest(folder: Path) -> dict:
    """The manifest, once every file it lists is there with its recorded SHA-256."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupProblem(
            f"อ่าน {MANIFEST} ใน {folder} ไม่ได้ (no readable manifest in {folder}: is it a Saraban backup?)"
        ) from error
    if manifest.get("format") != FORMAT:
        raise BackupProblem(f"รูปแบบสำรองไม่รู้จัก (unknown backup format {manifest.get('format')!r})")
    problems = [
        name
        for name, entry in manifest["files"].items()
        if not (folder / name).is_file() or _sha256(folder / name) != entry["sha256"]
    ]
    if problems:
        raise BackupProblem(
            f"ไฟล์ในสำรองไม่ตรงกับบันทึก {len(problems)} ไฟล์ ไม่ได้กู้คืนสิ่งใด "
            f"({len(problems)} files missing or changed since the backup, nothing restored: {', '.join(problems[:5])})"
        )
    return manifest


def restore_backup(settings: Settings, data: Path | None, keys: Path | None) -> dict:
    """Put a checked backup's database and documents (and/or keys) where `settings` says; the
    instance must have no data there yet. Everything is checked before anything is written.
    Returns the data manifest (or the keys' one)."""
    manifests = {part: read_manifest(folder) for part, folder in (("data", data), ("keys", keys)) if folder}
    if keys and not (keys / KEYS).is_dir():
        raise BackupProblem(f"{keys} ไม่มีโฟลเดอร์กุญแจ (holds no keys folder)")
    if data:
        keys = keys or (data if (data / KEYS).is_dir() else None)  # a backup made --with-keys
        _check_data(settings, data, manifests["data"], has_keys=keys is not None)
    _refuse_to_overwrite(settings, data=data is not None, keys=keys is not None)
    if keys:
        _copy_tree(keys / KEYS, settings.keys_dir, private=True)
    if data:
        _restore_database(settings, data, manifests["data"]["database"])
        _copy_tree(data / DOCUMENTS, settings.documents_dir, private=False)
        for name in HOME_FOLDERS:
            _copy_tree(data / "home" / name, settings.home / name, private=False)
    return manifests.get("data") or manifests["keys"]


def _check_data(settings: Settings, folder: Path, manifest: dict, *, has_keys: bool) -> None:
    database = manifest["database"]
    if not database:
        raise BackupProblem(f"{folder} มีแต่กุญแจ (holds keys only: give it as --keys)")
    here = make_url(settings.resolved_migration_url).get_backend_name()
    if here != database:
        raise BackupProblem(
            f"สำรองนี้เป็นฐานข้อมูล {database} แต่ที่นี่ตั้งไว้เป็น {here} "
            f"(the backup holds a {database} database; this instance is configured for {here})"
        )
    _refuse_other_places(settings, manifest["places"])
    if not has_keys and manifest["audit_head"] and not (settings.keys_dir / f"{KEY_NAME}.key").exists():
        raise BackupProblem(
            "ฐานข้อมูลนี้ต้องใช้กุญแจของเครื่องเดิม: ระบุ --keys ด้วยสำรองกุญแจ "
            "(this database needs the instance's keys: give the keys backup with --keys FOLDER)"
        )


def _restore_database(settings: Settings, folder: Path, database: str) -> None:
    url = make_url(settings.resolved_migration_url)
    if database == "sqlite":
        target = Path(url.database or "")
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(folder / SQLITE_FILE, target)
    else:
        _pg(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", str(folder / PG_DUMP_FILE)], url)


def _refuse_other_places(settings: Settings, recorded: dict[str, str]) -> None:
    here = _places(settings)
    if here != recorded:
        raise BackupProblem(
            "ฐานข้อมูลอ้างถึงไฟล์ด้วยตำแหน่งเดิม จึงต้องกู้คืนไว้ที่เดิม: ตั้ง SARABAN_HOME="
            f"{recorded['home']} และ SARABAN_DOCUMENTS_DIR={recorded['documents']} "
            "(the database refers to its files by their full paths: restore with SARABAN_HOME="
            f"{recorded['home']} and SARABAN_DOCUMENTS_DIR={recorded['documents']}; here they are "
            f"{here['home']} and {here['documents']})"
        )


def _refuse_to_overwrite(settings: Settings, *, data: bool, keys: bool) -> None:
    taken = []
    if data and _has_tables(settings.resolved_migration_url):
        taken.append("ฐานข้อมูล (the database)")
    if data and any(_non_empty(settings.home / name) for name in HOME_FOLDERS):
        taken.append(f"โฟลเดอร์ของหน่วยงาน (the organisations' folders under {settings.home})")
    if data and _non_empty(settings.documents_dir):
        taken.append(f"โฟลเดอร์เอกสาร (the documents folder {settings.documents_dir})")
    if keys and _non_empty(settings.keys_dir):
        taken.append(f"โฟลเดอร์กุญแจ (the keys folder {settings.keys_dir})")
    if taken:
        raise BackupProblem(
            "กู้คืนทับข้อมูลที่มีอยู่ไม่ได้: " + ", ".join(taken) + " มีข้อมูลแล้ว "
            "(restore only onto an instance without data: point SARABAN_HOME, SARABAN_DATABASE_URL, "
            "SARABAN_DOCUMENTS_DIR and SARABAN_KEYS_DIR at empty places)"
        )


def _has_tables(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists():
        return False
    engine = create_engine(parsed)
    try:
        return bool(inspect(engine).get_table_names())
    except Exception as error:  # noqa: BLE001  (whatever stops the connection, the operator must fix it)
        raise BackupProblem(
            f"ต่อฐานข้อมูลที่จะกู้คืนไม่ได้ (cannot reach the database to restore into: {type(error).__name__}; "
            "create it empty first)"
        ) from error
    finally:
        engine.dispose()


def _audit_head(url: URL) -> tuple[int, str] | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(text("SELECT seq, hash FROM audithead WHERE id = 1")).first()
    except Exception as error:  # noqa: BLE001  (no database there: nothing to back up)
        raise BackupProblem(
            f"อ่านฐานข้อมูลไม่ได้ (cannot read the database: {type(error).__name__}; run `saraban init` first?)"
        ) from error
    finally:
        engine.dispose()
    return (row.seq, row.hash) if row else None


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while others write (they wait a moment)."""
    if not source.is_file():
        raise BackupProblem(f"ไม่พบไฟล์ฐานข้อมูล {source} (no database file at {source})")
    reader, writer = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        reader.close()
        writer.close()


def _pg(command: list[str], url: URL) -> None:
    """pg_dump or pg_restore with the URL's connection in the environment: a password on the
    command line would show in `ps` to every local user."""
    env = {
        **os.environ,
        "PGHOST": url.host or "",
        "PGPORT": str(url.port or 5432),
        "PGUSER": url.username or "",
        "PGPASSWORD": url.password or "",
        "PGDATABASE": url.database or "",
    }
    if command[0] == "pg_restore":
        command = [*command[:1], "--dbname", url.database or "", *command[1:]]
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=PG_TIMEOUT_SECONDS)
    except FileNotFoundError as error:
        raise BackupProblem(
            f"ไม่พบคำสั่ง {command[0]} (install PostgreSQL's client programs: apt-get install postgresql-client)"
        ) from error
    if result.returncode != 0:
        raise BackupProblem(f"{command[0]} ไม่สำเร็จ ({command[0]} failed): {result.stderr.strip()[-800:]}")


def _copy_tree(source: Path, target: Path, *, private: bool) -> None:
    if not source.is_dir():
        target.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
        return
    shutil.copytree(source, target, dirs_exist_ok=True)
    if private:
        for path in [target, *target.rglob("*")]:
            path.chmod(0o700 if path.is_dir() else 0o600)


def _places(settings: Settings) -> dict[str, str]:
    """Where the database says its files are: it records them by their full paths (publications,
    the Garuda image), so a restored instance keeps its home and documents folder where they were."""
    return {"home": str(settings.home.resolve()), "documents": str(settings.documents_dir.resolve())}


def _write_manifest(
    folder: Path, *, database: str, audit_head: tuple[int, str] | None, places: dict[str, str]
) -> dict[str, dict]:
    files = {
        path.relative_to(folder).as_posix(): {"sha256": _sha256(path), "size": path.stat().st_size}
        for path in sorted(_files(folder))
    }
    manifest = {
        "format": FORMAT,
        "made_at": utcnow().isoformat(),
        "database": database,
        "audit_head": list(audit_head) if audit_head else None,
        "places": places,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return files


def _files(folder: Path) -> Iterator[Path]:
    return (path for path in folder.rglob("*") if path.is_file())


def _non_empty(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())


def _sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
