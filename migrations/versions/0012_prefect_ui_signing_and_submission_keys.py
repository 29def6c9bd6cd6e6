"""prefect ui signing and submission keys

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

Signing through the Prefect UI's resume form is off unless an organisation turns it on. A memo
keeps the one-time key of the form (or the API's Idempotency-Key) it was submitted with, unique
per drafter: a second submission with the same key finds the memo instead of making another and
taking another register number. Plain ADD COLUMN and an index, so no table is rebuilt on SQLite
(a rebuild would drop the triggers other migrations put on these tables).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEX = "uq_memo_drafter_submission_key"


def upgrade() -> None:
    op.add_column(
        "organisation", sa.Column("prefect_ui_signing", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("memo", sa.Column("submission_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.create_index(INDEX, "memo", ["drafter_id", "submission_key"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="memo")
    with op.batch_alter_table("memo", schema=None) as batch_op:
        batch_op.drop_column("submission_key")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("prefect_ui_signing")
