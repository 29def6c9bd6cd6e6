"""who may do what

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

Per organisation, the positions that may record each preparation stage; per chain, its
separation of duties; on each decision, the announcement text the signer approved (its SHA-256)
and the position whose title prints under an escalated signer.

The decision table is insert-only by triggers: its columns are added with plain ADD COLUMN
(no table rebuild on SQLite, which would drop the triggers).
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stagepermission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "stage", sa.Enum("ร่าง", "พิมพ์", "ทาน", "ตรวจ", name="stage", native_enum=False, length=32), nullable=False
        ),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["position.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "stage", "position_id"),
    )
    op.create_index("ix_stagepermission_organisation_id", "stagepermission", ["organisation_id"], unique=False)
    op.add_column("chain", sa.Column("drafter_may_sign", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column(
        "chain", sa.Column("same_signer_consecutive_steps", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    # Chains made before this rule let one person sign two steps in a row (the 004 clerk signs
    # step 2, then step 3 as acting mayor). Turning that off under them would leave such a memo
    # in flight with nobody able to sign its next step: they keep what they allowed, and an
    # administrator may forbid it on the chain's page. New chains forbid it unless told.
    op.execute(sa.text("UPDATE chain SET same_signer_consecutive_steps = :allowed").bindparams(allowed=True))
    op.add_column("decision", sa.Column("announcement_sha256", sa.String(), nullable=False, server_default=""))
    op.add_column("decision", sa.Column("signed_as_position_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("chain") as batch_op:
        batch_op.drop_column("same_signer_consecutive_steps")
        batch_op.drop_column("drafter_may_sign")
    op.drop_column("decision", "signed_as_position_id")
    op.drop_column("decision", "announcement_sha256")
    op.drop_index("ix_stagepermission_organisation_id", table_name="stagepermission")
    op.drop_table("stagepermission")
