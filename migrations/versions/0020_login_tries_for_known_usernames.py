"""login tries for known usernames

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06

The login throttle blocks an address after too many failed tries, but only tries for usernames
somebody has count toward that block: made-up usernames sprayed from an office's shared address
(or from the TLS proxy's) no longer lock everyone behind it out. Each try records whether its
username was known when it was made; tries from before count as unknown (they expire within the
throttle's 15-minute window).
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("loginattempt", sa.Column("known_username", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("loginattempt", schema=None) as batch_op:
        batch_op.drop_column("known_username")
