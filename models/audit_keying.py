"""Keying a chain written before the audit key existed: trust on first use (migration 0008); and
recording the rows of who may act that an instance made before they were covered (`saraban init`).

The entries already there keep their plain SHA-256 hashes. One keyed entry, `audit.keyed`, is
appended after them: its MAC covers the last of their hashes (so the whole of them), the
organisation each was attributed to, and every history row already in the database. From then
on nothing of it can change without the key; what happened to it before the upgrade cannot be
proved, only what it was at the upgrade.
"""

import hashlib
import json

from sqlalchemy import Connection, insert, inspect, select, text
from sqlmodel import Session

from models.audit import (
    KEYED_ACTION,
    STATE_RECORDED_ACTION,
    AuditEntry,
    append,
    audit_key,
    canonical_json,
    entry_mac,
    first_use_subject,
)
from models.audit_records import (
    CHANGED_TABLES,
    COVERED,
    IDENTITY_TABLES,
    hashed_columns,
    note_rows,
    read_rows,
    record_group,
    table_of,
)
from models.clock import utcnow


def legacy_org_digest(entries: list[tuple[int, int | None]]) -> str:
    """SHA-256 of each legacy entry's organisation: the attribution the upgrade filled in."""
    return hashlib.sha256("\n".join(f"{seq}:{org or ''}" for seq, org in entries).encode()).hexdigest()


def key_legacy_chain(connection: Connection) -> int | None:
    """Append `audit.keyed` after entries written without the key; its seq, or None when the
    chain is empty or already keyed."""
    entries = connection.execute(text("SELECT seq, org_id, action FROM auditentry ORDER BY seq")).all()
    if not entries or any(action == KEYED_ACTION for _, _, action in entries):
        return None
    head_seq, head_hash = connection.execute(text("SELECT seq, hash FROM audithead WHERE id = 1")).one()
    data = {
        "legacy_entries": len(entries),
        "legacy_head": f"{head_seq}:{head_hash}",
        "legacy_org_ids": legacy_org_digest([(seq, org) for seq, org, _ in entries]),
    }
    fields = {
        "seq": head_seq + 1,
        "at": utcnow(),
        "actor": "system",
        "action": KEYED_ACTION,
        "subject": "audit",
        "data_json": canonical_json(data),
        "org_id": None,
        "records_json": canonical_json(_existing_records(connection)),
        "prev_hash": head_hash,
    }
    fields["hash"] = entry_mac(audit_key(), **fields)
    table = AuditEntry.__table__  # type: ignore[attr-defined]  # SQLModel sets it on every table class
    connection.execute(insert(table).values(**fields))  # the model's types store `at` as append does
    connection.execute(
        text("UPDATE audithead SET seq = :seq, hash = :hash WHERE id = 1"),
        {"seq": fields["seq"], "hash": fields["hash"]},
    )
    return fields["seq"]


def _existing_records(connection: Connection) -> list[dict]:
    # Only the columns this database has now: a later migration's columns are not in these rows' hash.
    # Nor a table a later migration adds (memoroute, 0019): keying runs in migration 0008.
    inspector = inspect(connection)
    present = {name: {c["name"] for c in inspector.get_columns(name)} for name in COVERED if inspector.has_table(name)}
    groups = []
    for name in present:
        columns = [c for c in hashed_columns(name) if c in present[name]]
        group = record_group(name, columns, read_rows(connection, name, columns))
        if group["rows"]:
            groups.append(group)
    return groups


IDENTITY_RECORDED = STATE_RECORDED_ACTION
# Rows recorded on first use, table by table: state rows (who may act, the ITA year's work) and
# the links migration 0034 made from the drafts as they stood (itaworkmemo).
FIRST_USE_TABLES = (*CHANGED_TABLES, "itaworkmemo")


def record_identity_rows(session: Session) -> int:
    """Record every row of a table in FIRST_USE_TABLES that no entry records yet, the first time
    this instance runs with that table covered (an upgrade from before 0019 for who may act, from
    before 0034 for the ITA work): one entry per table (subject "audit:<table>"), trust on first
    use as for the key itself. Once only: a row added out of band after that stays unrecorded, so
    `audit verify` names it and no restart vouches for it. The number of rows recorded."""
    done = set(
        session.execute(
            select(AuditEntry.subject).where(AuditEntry.action == IDENTITY_RECORDED)  # type: ignore[call-overload]
        ).scalars()
    )
    if "audit" in done:  # this instance recorded who may act in one entry, before tables were told apart
        done |= {first_use_subject(name) for name in IDENTITY_TABLES}
    tables = [name for name in FIRST_USE_TABLES if first_use_subject(name) not in done]
    if not tables:
        return 0
    recorded: set[tuple[str, int]] = set()
    for (records_json,) in session.execute(select(AuditEntry.records_json)):  # type: ignore[call-overload]
        for group in json.loads(records_json):
            if group["table"] in tables:
                recorded.update((group["table"], int(row_id)) for row_id in group["rows"])
    total = 0
    for name in tables:
        missing = [
            (name, row_id)
            for (row_id,) in session.execute(select(table_of(name).c.id))
            if (name, row_id) not in recorded
        ]
        note_rows(session, missing)
        # Appended even with nothing to record: it marks the table as recorded once and for all.
        append(
            session,
            actor="system",
            action=IDENTITY_RECORDED,
            subject=first_use_subject(name),
            data={"rows": len(missing)},
        )
        total += len(missing)
    return total
