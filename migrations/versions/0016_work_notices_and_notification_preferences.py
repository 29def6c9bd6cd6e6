"""work notices and notification preferences

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02 17:43:33.141545

Work arriving: each person's choice of immediate notices and/or the daily digest, the outbox of
arrivals (written in the transaction that moved a memo) and the immediate notices made from it,
one per memo wait, person and channel. None of them is history: they are settings and outboxes.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notificationpreference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id"),
    )
    op.create_table(
        "workarrival",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("memo_id", sa.Integer(), nullable=False),
        sa.Column("wait_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("claimed_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("resolved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["memo_id"],
            ["memo.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("workarrival", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workarrival_memo_id"), ["memo_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_workarrival_resolved_at"), ["resolved_at"], unique=False)

    op.create_table(
        "worknotice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("memo_id", sa.Integer(), nullable=False),
        sa.Column("wait_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("claimed_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["memo_id"],
            ["memo.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("memo_id", "wait_key", "person_id", "channel"),
    )
    with op.batch_alter_table("worknotice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_worknotice_memo_id"), ["memo_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_worknotice_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("worknotice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_worknotice_state"))
        batch_op.drop_index(batch_op.f("ix_worknotice_memo_id"))

    op.drop_table("worknotice")
    with op.batch_alter_table("workarrival", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workarrival_resolved_at"))
        batch_op.drop_index(batch_op.f("ix_workarrival_memo_id"))

    op.drop_table("workarrival")
    op.drop_table("notificationpreference")
