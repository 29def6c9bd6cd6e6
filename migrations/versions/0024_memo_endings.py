"""memos that end without publication: withdrawn, disapproved, cancelled

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06

A memo could only end by being published: a duplicate sent by mistake had to be approved to
publication. Now a drafter withdraws (ถอนเรื่อง) before any approval, a signer disapproves
(ไม่อนุมัติ, a decision of its own kind) and an administrator cancels a memo on its way. A
withdrawal or a cancellation is an insert-only `memoending` row, covered by the audit chain like
a decision; the memo's status (a string column) takes the new values.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.insert_only import dropped_insert_only_triggers, insert_only_triggers

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None
TABLE = "memoending"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("memo_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["memo_id"], ["memo.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("memo_id"),
    )
    # Insert-only, as the other history tables (0001, 0007, 0019, 0022).
    for statement in insert_only_triggers(op.get_bind().dialect.name, TABLE):
        op.execute(statement)


def downgrade() -> None:
    for statement in dropped_insert_only_triggers(op.get_bind().dialect.name, TABLE):
        op.execute(statement)
    op.drop_table(TABLE)
