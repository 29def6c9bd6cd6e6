"""a saved draft once sent leads to the memo it became

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06

A saved draft was deleted when it was sent, so Back to its form (or its link in another tab)
showed "ไม่พบร่างนี้" (404), as if the work were lost. It is now kept, naming the memo it was sent
as, and its form leads there.
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None
FOREIGN_KEY = "fk_saveddraft_sent_memo_id_memo"


def upgrade() -> None:
    op.add_column("saveddraft", sa.Column("sent_memo_id", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot add a constraint without a rebuild
        op.create_foreign_key(FOREIGN_KEY, "saveddraft", "memo", ["sent_memo_id"], ["id"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(FOREIGN_KEY, "saveddraft", type_="foreignkey")
    with op.batch_alter_table("saveddraft", schema=None) as batch_op:
        batch_op.drop_column("sent_memo_id")
