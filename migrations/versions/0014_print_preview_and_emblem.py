"""printed garuda paper and memo readings

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

An organisation may print on paper with the Garuda already on it (the emblem's room is then left
blank); without that and without an uploaded emblem, publication is refused. Each person's last
opened revision of a memo is kept (state, not history) so a revised memo shows what changed
since. Plain ADD COLUMN and a new table: no table is rebuilt on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "organisation", sa.Column("printed_garuda_paper", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "memoreading",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("memo_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("seen_revision", sa.Integer(), nullable=False),
        sa.Column("compared_from", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["memo_id"], ["memo.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("memo_id", "person_id"),
    )
    op.create_index(op.f("ix_memoreading_memo_id"), "memoreading", ["memo_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_memoreading_memo_id"), table_name="memoreading")
    op.drop_table("memoreading")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("printed_garuda_paper")
