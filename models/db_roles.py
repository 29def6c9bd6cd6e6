"""PostgreSQL: the application's role may add history, never rewrite it.

Migrations run as the tables' owner (SARABAN_MIGRATION_DATABASE_URL, or `saraban init
--owner-url`); every Saraban process connects as another role (SARABAN_DATABASE_URL) that
`grant_app_role` allows to read and to INSERT into the history tables, and to change only the
tables that hold current state. Not being the owner, it can neither ALTER a table nor drop or
disable a trigger; without UPDATE, DELETE and TRUNCATE it cannot touch a history row.
"""

from sqlalchemy import Connection, Engine, make_url, text

from models.db import make_engine
from models.migrate import upgrade

# Insert-only: what happened. (auditentry's head moves in audithead, which may be updated.)
HISTORY_TABLES = (
    "auditentry",
    "memoroute",
    "revision",
    "stagerecord",
    "decision",
    "stagereturn",
    "registerentry",
    "documentregisterentry",
    "publication",
    "headstatement",
    "memoending",
    "publicationcancellation",
    "chainversion",
    "memoattachment",
    "publicationrequest",
    "acknowledgementrequest",
    "acknowledgement",
    "itaworkmemo",
)
# Tables with their own rule; every other table holds current state: read and write.
SPECIAL = {"audithead": "SELECT, UPDATE", "publicationchannel": "SELECT, INSERT, UPDATE", "alembic_version": "SELECT"}
STATE = "SELECT, INSERT, UPDATE, DELETE"


class RoleProblem(RuntimeError):
    """The roles are set up so that the application could rewrite history."""


def privileges_for(table: str) -> str:
    return "SELECT, INSERT" if table in HISTORY_TABLES else SPECIAL.get(table, STATE)


def prepare_database(*, app_url: str, owner_url: str) -> str | None:
    """Migrate as the owner, then grant the application's role what it may do. The role's name,
    or None when there is no separate role to grant to (SQLite, or one URL for both)."""
    upgrade(owner_url)
    app_role = make_url(app_url).username
    if not (owner_url.startswith("postgresql") and app_url.startswith("postgresql")):
        return None
    if owner_url == app_url or app_role == make_url(owner_url).username:
        return None
    engine = make_engine(owner_url)
    try:
        grant_app_role(engine, app_role)
    finally:
        engine.dispose()
    return app_role


def grant_app_role(owner: Engine, role: str) -> None:
    """Give `role` exactly its privileges on every table of the schema (again after each migration)."""
    with owner.begin() as connection:
        _refuse_powerful(connection, role)
        quoted = connection.dialect.identifier_preparer.quote(role)
        tables = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
        schema = connection.dialect.identifier_preparer.quote(
            connection.execute(text("SELECT current_schema()")).scalar()
        )
        connection.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {quoted}"))
        for (table,) in tables.all():
            connection.execute(text(f'GRANT {privileges_for(table)} ON "{table}" TO {quoted}'))
        connection.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {quoted}"))
        connection.execute(text(f"REVOKE CREATE ON SCHEMA {schema} FROM {quoted}"))
        connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}"))
        _refuse_create(connection, role)


def _refuse_powerful(connection: Connection, role: str) -> None:
    found = connection.execute(
        text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :r"), {"r": role}
    ).first()
    if found is None:
        raise RoleProblem(
            f"ไม่พบบทบาท {role} ในฐานข้อมูล (no role '{role}': create it first, "
            f"e.g. CREATE ROLE {role} LOGIN PASSWORD '...')"
        )
    if found[0]:
        raise RoleProblem(
            f"บทบาท {role} เป็น superuser (role '{role}' is a superuser: it could drop the triggers "
            "and rewrite history; connect the application as an ordinary role)"
        )
    owned = connection.execute(
        text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tableowner = :r"), {"r": role}
    ).scalar()
    if owned:
        raise RoleProblem(
            f"บทบาท {role} เป็นเจ้าของตาราง (role '{role}' owns {owned} tables: run the migrations as "
            "the owner with SARABAN_MIGRATION_DATABASE_URL, and the application as another role)"
        )


def _refuse_create(connection: Connection, role: str) -> None:
    # CREATE on the schema would let the role make objects of its own (PUBLIC had it before PostgreSQL 15).
    if connection.execute(text("SELECT has_schema_privilege(:r, current_schema(), 'CREATE')"), {"r": role}).scalar():
        raise RoleProblem(
            f"บทบาท {role} สร้างตารางใน schema ได้ (role '{role}' may CREATE in the schema through "
            "PUBLIC: run REVOKE CREATE ON SCHEMA public FROM PUBLIC as its owner)"
        )
