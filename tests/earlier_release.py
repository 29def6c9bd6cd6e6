"""A database as an earlier release left it: the schema of an earlier migration, holding the data
an instance of today holds, as that release would have written it.

An instance in use (built with today's code) is projected onto the schema of revision N:
- only the tables and columns revision N has are copied; a memo whose history needs a table N
  lacks (a stage return before 0007) is left out, with every row that refers to it;
- the audit chain is written again as that release wrote it: plain SHA-256 hashes before the
  keyed chain (0008), and from 0008 each entry's records hash only the columns N has (a column a
  later migration adds is not in an older row's hash), with each publication's recorded chain head
  pointing at the entry before its own, as `publish` records it.

What the upgrade then meets is what an office upgrading from release N has: rows missing every
later column, history tables guarded by their triggers, a chain in that release's form.
"""

import json
from collections.abc import Iterable

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, MetaData, Table, create_engine, insert, inspect, select
from sqlmodel import SQLModel

import models  # noqa: F401  # every table class, so that SQLModel.metadata knows them all
from models.audit import audit_key, canonical_json, entry_mac, plain_entry_hash
from models.audit_records import COVERED, IDENTITY_TABLES, row_hash
from models.migrate import alembic_config

CHAIN_TABLES = ("auditentry", "audithead")
KEYED_FROM = "0008"  # the first revision whose chain is keyed, with records and publication heads
ROUTES_FROM = "0019"  # the first whose memos have frozen routes and whose chain covers who may act
VERSIONS_FROM = "0027"  # the first whose chains have versions (rows the audit entries record)


def earlier_revisions() -> list[str]:
    """Every migration before the newest, oldest first: the releases an office may upgrade from."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    revisions = [r.revision for r in script.walk_revisions()]  # newest first
    return sorted(revisions)[:-1]


def project(source: Engine, target_url: str, revision: str) -> None:
    """Make target_url a database at `revision` holding source's data as that release wrote it."""
    command.upgrade(alembic_config(target_url), revision)
    target = create_engine(target_url)
    try:
        present = _columns(target)
        rows = _read(source, present)
        _leave_out_what_needs_later_tables(rows, set(rows) - set(present))
        if revision < VERSIONS_FROM:
            # Today's entries record chain versions an earlier release never wrote, so the chain
            # written again here is not the one today's instance signed heads of: its signed
            # statements (0022) cannot come along, and the projection has none.
            rows["headstatement"] = []
        entries = _chain_as_written_by(revision, rows, present)
        with target.begin() as connection:
            for table in SQLModel.metadata.sorted_tables:
                if table.name in present and table.name not in CHAIN_TABLES and rows[table.name]:
                    _insert(connection, table, _restricted(table, present), rows[table.name])
            if entries:
                connection.execute(insert(_restricted(_table("auditentry"), present)), entries)
                head = {"seq": entries[-1]["seq"], "hash": entries[-1]["hash"]}
                connection.execute(_table("audithead").update().where(_table("audithead").c.id == 1).values(**head))
            if connection.dialect.name == "postgresql":
                _advance_sequences(connection, present)
    finally:
        target.dispose()


def _insert(connection, model: Table, table: Table, rows: list[dict]) -> None:  # noqa: ANN001
    """Insert rows into `table` (`model` restricted), a row referring to another of the same
    table (a position reporting to another) without that reference first: PostgreSQL checks each
    key as the row goes in."""
    own = [
        fk.parent.name for fk in model.foreign_keys if fk.column.table.name == model.name and fk.parent.name in table.c
    ]
    connection.execute(insert(table), [row | dict.fromkeys(own) for row in rows])
    for row in rows:
        if any(row.get(name) is not None for name in own):
            key = table.c.id == row["id"]
            connection.execute(table.update().where(key).values({name: row.get(name) for name in own}))


def _advance_sequences(connection, present: dict[str, list[str]]) -> None:  # noqa: ANN001
    # Rows copied with their ids leave PostgreSQL's id sequences at 1; the release that wrote
    # them had advanced them, and the next memo must not take an id that is already there.
    for name, columns in present.items():
        if "id" in columns and name != "audithead":
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {name}"
            )


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _columns(engine: Engine) -> dict[str, list[str]]:
    inspector = inspect(engine)
    return {name: [c["name"] for c in inspector.get_columns(name)] for name in inspector.get_table_names()}


def _restricted(table: Table, present: dict[str, list[str]]) -> Table:
    # Today's column types (so values bind as today's code stores them), without today's Python
    # defaults, and only the columns the older schema has.
    return Table(
        table.name, MetaData(), *(Column(c.name, c.type) for c in table.columns if c.name in present[table.name])
    )


def _read(source: Engine, present: dict[str, list[str]]) -> dict[str, list[dict]]:
    """Every row of source (today's types), keeping only the columns revision N has; tables N
    lacks keep all their columns for now, to find what refers to them."""
    rows: dict[str, list[dict]] = {}
    with source.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            keep = present.get(table.name, [c.name for c in table.columns])
            rows[table.name] = [
                {k: v for k, v in row.items() if k in keep}
                for row in connection.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            ]
    return rows


def _leave_out_what_needs_later_tables(rows: dict[str, list[dict]], later_tables: set[str]) -> None:
    """A memo with history rows in a table revision N lacks could not exist then: leave it out,
    and every row that refers to a row left out (its revisions, decisions, publication...). Rows
    of other later tables (work notices, preferences) are simply not there."""
    gone: dict[str, set] = {name: set() for name in rows}
    # History an older release could not have written; a memo's frozen route (0019) is not such:
    # every memo had a route, only not frozen, and `saraban init` freezes it after the upgrade.
    for name in (later_tables & set(COVERED)) - {"memoroute"}:
        for row in rows[name]:
            if "memo_id" in row:
                gone["memo"].add(row["memo_id"])
    changed = True
    while changed:  # follow the foreign keys until nothing more refers to a row left out
        changed = False
        for table in SQLModel.metadata.sorted_tables:
            for foreign_key in table.foreign_keys:
                referred = foreign_key.column.table.name
                if not gone[referred]:
                    continue
                for row in rows[table.name]:
                    key = _key(table, row)
                    if key not in gone[table.name] and row.get(foreign_key.parent.name) in gone[referred]:
                        gone[table.name].add(key)
                        changed = True
    for name in later_tables:
        rows[name] = []
    for table in SQLModel.metadata.sorted_tables:
        rows[table.name] = [row for row in rows[table.name] if _key(table, row) not in gone[table.name]]
    left_out_memos = {f"memo:{memo_id}" for memo_id in gone["memo"]}
    rows["auditentry"] = [e for e in rows["auditentry"] if e["subject"] not in left_out_memos]


def _key(table: Table, row: dict) -> object:
    columns = [c.name for c in table.primary_key.columns]
    return row[columns[0]] if len(columns) == 1 else tuple(row[c] for c in columns)


def _chain_as_written_by(revision: str, rows: dict[str, list[dict]], present: dict[str, list[str]]) -> list[dict]:
    """The audit entries as release `revision` wrote them, numbered again from 1 (entries of
    memos left out are gone), each hashed over the one before."""
    keyed = revision >= KEYED_FROM
    key = audit_key() if keyed else b""
    by_id = {name: {row["id"]: row for row in rows[name]} for name in rows if rows[name] and "id" in rows[name][0]}
    entries, prev_hash = [], "0" * 64
    for seq, entry in enumerate(rows["auditentry"], start=1):
        fields = {
            "seq": seq,
            "at": entry["at"],
            "actor": entry["actor"],
            "action": entry["action"],
            "subject": entry["subject"],
            "data_json": entry["data_json"],
            "prev_hash": prev_hash,
        }
        if keyed:
            for publication_id in _recorded_ids(entry, "publication"):
                by_id["publication"][int(publication_id)]["audit_head"] = f"{seq - 1}:{prev_hash}"
            # Rows of who may act were first recorded by 0019's release.
            uncovered = IDENTITY_TABLES if revision < ROUTES_FROM else ()
            groups = [
                g for g in json.loads(entry["records_json"]) if g["table"] in present and g["table"] not in uncovered
            ]
            records = [_group_as_then(group, by_id, present) for group in groups]
            fields |= {"org_id": entry["org_id"], "records_json": canonical_json([g for g in records if g["rows"]])}
            fields["hash"] = entry_mac(key, **fields)
        else:
            fields["hash"] = plain_entry_hash(**fields)
        entries.append(fields)
        prev_hash = fields["hash"]
    return entries


def _recorded_ids(entry: dict, table: str) -> Iterable[str]:
    for group in json.loads(entry["records_json"]):
        if group["table"] == table:
            yield from group["rows"]


def _group_as_then(group: dict, by_id: dict[str, dict[int, dict]], present: dict[str, list[str]]) -> dict:
    columns = [c for c in group["cols"] if c in present[group["table"]]]
    kept = by_id.get(group["table"], {})
    rows = [kept[int(row_id)] for row_id in group["rows"] if int(row_id) in kept]
    return {
        "table": group["table"],
        "cols": columns,
        "rows": {str(row["id"]): row_hash({c: row[c] for c in columns}) for row in rows},
    }
