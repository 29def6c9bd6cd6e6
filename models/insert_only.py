"""The triggers that make a history table insert-only, as the migrations since 0022 create them
(0001 made `saraban_refuse_change()` for PostgreSQL): on PostgreSQL one trigger calling it, on
SQLite one per verb. The table's owner could drop them; the application's role cannot
(models.db_roles)."""


def insert_only_triggers(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [
            f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION saraban_refuse_change()"
        ]
    return [
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'table {table} is insert-only'); END"
        for verb in ("UPDATE", "DELETE")
    ]


def dropped_insert_only_triggers(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}"]
    return [f"DROP TRIGGER IF EXISTS {table}_no_{verb}" for verb in ("update", "delete")]
