"""which memo answers an ITA item's period: history, written by the submission

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07

The link from a period's work to the memo sent from its draft was a saved draft's field, set in
a transaction after the submission and editable by anyone who can write the database. It is now
an insert-only row written by the submission itself and recorded in its audit entry. Memos sent
from an ITA draft before this revision get their row here, from the drafts as they stand; the
next `saraban init` or `serve` records those rows in the audit chain once
(models.audit_keying.record_identity_rows).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.insert_only import insert_only_triggers

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "itaworkmemo",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("work_id", sa.Integer(), sa.ForeignKey("itawork.id"), nullable=False),
        sa.Column("memo_id", sa.Integer(), sa.ForeignKey("memo.id"), nullable=False, unique=True),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_itaworkmemo_work_id", "itaworkmemo", ["work_id"])
    op.create_index("ix_itawork_draft_id", "itawork", ["draft_id"])  # a submission looks its draft's work up
    op.execute(
        "INSERT INTO itaworkmemo (work_id, memo_id, recorded_at) "
        "SELECT itawork.id, memo.id, memo.created_at FROM itawork "
        "JOIN saveddraft ON saveddraft.id = itawork.draft_id JOIN memo ON memo.id = saveddraft.sent_memo_id"
    )
    for statement in insert_only_triggers(op.get_bind().dialect.name, "itaworkmemo"):
        op.execute(statement)


def downgrade() -> None:
    op.drop_index("ix_itawork_draft_id", "itawork")
    op.drop_table("itaworkmemo")
