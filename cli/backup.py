"""`saraban backup` and `saraban restore`: a consistent copy of an instance, and the proof that it restores."""

from pathlib import Path

import typer

from cli.common import EXIT_BAD_INPUT, EXIT_REFUSED, domain_errors
from models.backup import BackupProblem, make_backup, restore_backup
from models.db import default_engine
from models.db_roles import prepare_database
from models.instance_keys_check import check_instance_keys
from models.settings import get_settings
from services.audit.audit_verify import verify_audit

KEYS_APART = (
    "กุญแจไม่ได้อยู่ในชุดนี้: สำรองด้วย `saraban backup --keys-only` ไว้ในสื่ออื่น "
    "(the keys are not in this backup: make one with `saraban backup --keys-only` and keep it on another medium)"
)


def backup(
    into: Path = typer.Argument(..., help="the folder to put the backup in (a new folder is made inside it)"),
    keys_only: bool = typer.Option(False, "--keys-only", help="the keys folder alone, for another medium"),
    with_keys: bool = typer.Option(
        False, "--with-keys", help="the keys in the same folder as the data (whoever holds it may then sign)"
    ),
) -> None:
    """Copy the database (SQLite's online backup, or pg_dump), the documents and the
    organisations' files into a new folder with a manifest of every file's SHA-256; the keys
    go into a folder of their own (--keys-only) unless --with-keys."""
    if keys_only and with_keys:
        typer.echo("ข้อมูลไม่ถูกต้อง (bad input): --keys-only or --with-keys, not both", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        made = make_backup(get_settings(), into, data=not keys_only, keys=keys_only or with_keys)
    except BackupProblem as problem:
        typer.echo(f"สำรองไม่สำเร็จ (backup failed): {problem}", err=True)
        raise typer.Exit(EXIT_REFUSED) from problem
    what = "keys" if keys_only else f"database ({made.database}), documents" + (", keys" if with_keys else "")
    typer.echo(f"backup: {made.folder}\n  {what}: {made.files} files, {made.size} bytes")
    if made.audit_head:
        typer.echo(f"  audit head {made.audit_head[0]}:{made.audit_head[1]}")
    if not keys_only and not with_keys:
        typer.echo(KEYS_APART)


def restore(
    data: Path | None = typer.Argument(None, help="a backup folder made by `saraban backup`"),
    keys: Path | None = typer.Option(None, "--keys", help="a keys backup folder (`saraban backup --keys-only`)"),
) -> None:
    """Restore onto an instance without data: check every file against the manifest, put the
    database, documents and keys in place, upgrade the schema, and verify the audit trail."""
    if data is None and keys is None:
        typer.echo("ข้อมูลไม่ถูกต้อง (bad input): give a backup folder, --keys FOLDER, or both", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    settings = get_settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    try:
        manifest = restore_backup(settings, data, keys)
    except BackupProblem as problem:
        typer.echo(f"กู้คืนไม่สำเร็จ (restore failed): {problem}", err=True)
        raise typer.Exit(EXIT_REFUSED) from problem
    typer.echo(f"restored: {', '.join(str(folder) for folder in (data, keys) if folder)} (made {manifest['made_at']})")
    if data is None:
        return
    prepare_database(app_url=settings.resolved_database_url, owner_url=settings.resolved_migration_url)
    with domain_errors():
        check_instance_keys(default_engine())  # the data without its keys: say which folder to restore
    # The chain must still hold the head it had when the backup was made.
    report = verify_audit(head=tuple(manifest["audit_head"]) if manifest["audit_head"] else None)
    if not report.intact:
        problems = "\n".join(f"  {problem}" for problem in report.problems)
        typer.echo(f"audit trail BROKEN after restore ({len(report.problems)} problems):\n{problems}", err=True)
        raise typer.Exit(EXIT_REFUSED)
    typer.echo(f"audit trail intact: {report.entries} entries; head {report.head}")
