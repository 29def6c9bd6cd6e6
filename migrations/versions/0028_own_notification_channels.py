"""people's own notification channels, one-time codes, the office's LINE account

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06

Each person adds, tests and removes their own channels on /account: a channel they add is used
only once the code of its test message comes back (`confirmed`); channels already configured
stay confirmed. `notificationcode` keeps those codes and the codes people send to the office's
LINE account, as HMACs. `lineaccount` keeps the office's LINE Messaging API channel, its secret
and token sealed. Plain ADD COLUMN with defaults, so no table is rebuilt on SQLite.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("notificationchannel", sa.Column("confirmed", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column(
        "notificationchannel",
        sa.Column("origin", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="organisation"),
    )
    op.add_column("notificationchannel", sa.Column("added_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.create_table(
        "notificationcode",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("channel_id", sa.Integer(), sa.ForeignKey("notificationchannel.id"), nullable=True),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    for column in ("organisation_id", "person_id", "channel_id", "code_hash"):
        op.create_index(f"ix_notificationcode_{column}", "notificationcode", [column])
    op.create_table(
        "lineaccount",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False, unique=True),
        sa.Column("basic_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("channel_secret_sealed", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("access_token_sealed", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("lineaccount")
    op.drop_table("notificationcode")
    with op.batch_alter_table("notificationchannel", schema=None) as batch_op:
        batch_op.drop_column("added_at")
        batch_op.drop_column("origin")
        batch_op.drop_column("confirmed")
