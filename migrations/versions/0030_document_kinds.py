"""kinds of document: orders, circulars and report memos, with their own registers

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07

A memo asked only for an announcement. It now asks for one kind of document (memo.document_kind):
an announcement, an order (คำสั่ง), a circular (หนังสือเวียน) or none for a report memo. Orders and
circulars are numbered per calendar year in their own registers (documentregistercounter, and the
insert-only documentregisterentry), and a publication records what it issued and its number.
Plain ADD COLUMN with defaults, so no table is rebuilt on SQLite.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.insert_only import dropped_insert_only_triggers, insert_only_triggers

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None
ENTRIES = "documentregisterentry"


def upgrade() -> None:
    op.add_column(
        "memo",
        sa.Column("document_kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="announcement"),
    )
    op.add_column(
        "publication",
        sa.Column("document_kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="announcement"),
    )
    op.add_column(
        "publication",
        sa.Column("document_number", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""),
    )
    op.create_table(
        "documentregistercounter",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("organisation_id", "kind", "year"),
    )
    op.create_table(
        ENTRIES,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("memo_id", sa.Integer(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("taken_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["memo_id"], ["memo.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "kind", "year", "number"),
        sa.UniqueConstraint("memo_id"),
    )
    op.create_index(op.f("ix_documentregisterentry_organisation_id"), ENTRIES, ["organisation_id"], unique=False)
    # Insert-only, as the memos' register (0001) and the other history tables.
    for statement in insert_only_triggers(op.get_bind().dialect.name, ENTRIES):
        op.execute(statement)


def downgrade() -> None:
    for statement in dropped_insert_only_triggers(op.get_bind().dialect.name, ENTRIES):
        op.execute(statement)
    op.drop_index(op.f("ix_documentregisterentry_organisation_id"), table_name=ENTRIES)
    op.drop_table(ENTRIES)
    op.drop_table("documentregistercounter")
    # SQLite's batch mode copies the table, without its triggers: they go and come back.
    dialect = op.get_bind().dialect.name
    for statement in dropped_insert_only_triggers(dialect, "publication"):
        op.execute(statement)
    with op.batch_alter_table("publication") as batch:
        batch.drop_column("document_number")
        batch.drop_column("document_kind")
    for statement in insert_only_triggers(dialect, "publication"):
        op.execute(statement)
    with op.batch_alter_table("memo") as batch:
        batch.drop_column("document_kind")
