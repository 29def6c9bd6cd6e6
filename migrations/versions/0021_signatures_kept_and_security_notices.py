"""decisions keep their signature block and any reset before them; security notices

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06

A published announcement and its public page printed the signer's name, rank and titles from
today's person and position rows: renaming a signer or a position, years later, changed what an
old announcement's page said. Each decision now keeps, in its audited row, the signature block
as it was when the signer decided. Decisions recorded before keep printing from the rows (which
the audit chain covers since 0019).

An administrator could reset a signer's password and PIN, sign as them, and nobody was told.
A decision now records an administrator's reset of the signer's credentials shortly before it,
and `securitynotice` keeps what each person (and each other administrator) is told of such
changes, to show and to send on their own channels.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("decision", sa.Column("printed_as", sa.String(), nullable=False, server_default=""))
    op.add_column("decision", sa.Column("after_reset", sa.String(), nullable=False, server_default=""))
    op.create_table(
        "securitynotice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("claimed_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    )
    op.create_index("ix_securitynotice_organisation_id", "securitynotice", ["organisation_id"])
    op.create_index("ix_securitynotice_person_id", "securitynotice", ["person_id"])
    op.create_index("ix_securitynotice_state", "securitynotice", ["state"])


def downgrade() -> None:
    op.drop_table("securitynotice")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_column("after_reset")
        batch_op.drop_column("printed_as")
