"""decisions keep the signature block they printed

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06

A published announcement and its public page printed the signer's name, rank and titles from
today's person and position rows: renaming a signer or a position, years later, changed what an
old announcement's page said. Each decision now keeps, in its audited row, the signature block
as it was when the signer decided. Decisions recorded before keep printing from the rows (which
the audit chain covers since 0019).
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("decision", sa.Column("printed_as", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_column("printed_as")
