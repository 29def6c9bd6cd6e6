"""keyed audit chain

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Audit entries carry the organisation they belong to (filled in for older entries from their
subject or actor) and the hashes of the history rows recorded with them; a publication records
the chain head it was published at, and becomes insert-only like the other history tables.
A chain written before the audit key existed is keyed now (models.audit_keying): trust on first
use. Run it with the instance's SARABAN_KEYS_DIR, the one every Saraban process uses.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.audit_keying import key_legacy_chain

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The same rules as models.audit_attribution.organisation_of, in SQL.
BACKFILL = (
    ("memo:%", "SELECT m.organisation_id FROM memo m WHERE 'memo:' || CAST(m.id AS VARCHAR) = auditentry.subject"),
    ("organisation:%", "SELECT o.id FROM organisation o WHERE 'organisation:' || o.code = auditentry.subject"),
    (
        "person:%",
        "SELECT p.organisation_id FROM person p WHERE 'person:' || CAST(p.id AS VARCHAR) = auditentry.subject",
    ),
)
BY_ACTOR = (
    "UPDATE auditentry SET org_id = (SELECT p.organisation_id FROM person p WHERE p.username = auditentry.actor) "
    "WHERE subject NOT LIKE 'memo:%' AND subject NOT LIKE 'organisation:%' AND subject NOT LIKE 'person:%'"
)


def upgrade() -> None:
    op.add_column("auditentry", sa.Column("org_id", sa.Integer(), nullable=True))
    op.add_column(
        "auditentry", sa.Column("records_json", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="[]")
    )
    op.create_index("ix_auditentry_org_id", "auditentry", ["org_id"], unique=False)
    op.add_column(
        "publication", sa.Column("audit_head", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
    )
    _drop_insert_only("auditentry")
    for pattern, organisation in BACKFILL:
        op.execute(f"UPDATE auditentry SET org_id = ({organisation}) WHERE subject LIKE '{pattern}'")
    op.execute(BY_ACTOR)
    _make_insert_only("auditentry")
    _make_insert_only("publication")
    key_legacy_chain(op.get_bind())


def downgrade() -> None:
    _drop_insert_only("publication")
    op.drop_column("publication", "audit_head")
    _drop_insert_only("auditentry")
    op.drop_index("ix_auditentry_org_id", table_name="auditentry")
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.drop_column("records_json")
        batch_op.drop_column("org_id")
    _make_insert_only("auditentry")


def _make_insert_only(table: str) -> None:
    # As in 0001: the function saraban_refuse_change exists already on PostgreSQL.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION saraban_refuse_change()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'table {table} is insert-only'); END"
        )


def _drop_insert_only(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}")
        return
    op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
    op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
