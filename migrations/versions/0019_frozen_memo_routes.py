"""frozen memo routes

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06

Each memo's route (its organisation, its chain, the chain's steps and separation of duties) is
frozen when it is submitted, in an insert-only row the audit chain covers: publication and
`audit verify` decide from it, never from the memo's row or the chain's, which the application
may update. Memos submitted before this release get theirs from `saraban init`, which can write
the audit entries (models need the audit key; a migration does not have it).

Audit entries are found by subject (a memo's history is checked entry by entry at publication),
so the subject gets an index.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

TABLE = "memoroute"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("memo_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("steps_json", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("drafter_may_sign", sa.Boolean(), nullable=False),
        sa.Column("same_signer_consecutive_steps", sa.Boolean(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["memo_id"], ["memo.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["chain_id"], ["chain.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("memo_id"),
    )
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auditentry_subject"), ["subject"], unique=False)
    _make_insert_only()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_insert_only ON {TABLE}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete")
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditentry_subject"))
    op.drop_table(TABLE)


def _make_insert_only() -> None:
    # As for the other history tables (0001, 0007): saraban_refuse_change exists already.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {TABLE}_insert_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION saraban_refuse_change()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_{verb.lower()} BEFORE {verb} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, 'table {TABLE} is insert-only'); END"
        )
