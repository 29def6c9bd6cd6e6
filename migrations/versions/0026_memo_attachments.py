"""memos carry attachments (สิ่งที่ส่งมาด้วย)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07

A memo could carry no file: not the letter it answers, nor a draft order, plan or report. Each
revision now names its attached files in its content (so its hash, which each signer approves,
covers them) and records one insert-only `memoattachment` row per file, covered by the audit
chain: its name, the kind judged from its content, size, SHA-256 (the stored file's name) and
whether it is published with the announcement.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.insert_only import dropped_insert_only_triggers, insert_only_triggers

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None
TABLE = "memoattachment"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("memo_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["memo_id"], ["memo.id"]),
        sa.ForeignKeyConstraint(["revision_id"], ["revision.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("revision_id", "number"),
        sa.UniqueConstraint("revision_id", "sha256"),
    )
    op.create_index(op.f("ix_memoattachment_memo_id"), TABLE, ["memo_id"], unique=False)
    op.create_index(op.f("ix_memoattachment_revision_id"), TABLE, ["revision_id"], unique=False)
    # Insert-only, as the other history tables (0001, 0007, 0019, 0022, 0024, 0025).
    for statement in insert_only_triggers(op.get_bind().dialect.name, TABLE):
        op.execute(statement)


def downgrade() -> None:
    for statement in dropped_insert_only_triggers(op.get_bind().dialect.name, TABLE):
        op.execute(statement)
    op.drop_index(op.f("ix_memoattachment_revision_id"), table_name=TABLE)
    op.drop_index(op.f("ix_memoattachment_memo_id"), table_name=TABLE)
    op.drop_table(TABLE)
