"""accounts: one-time codes to replace, and login attempts

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

An administrator's reset leaves a person with a one-time password or PIN that must be replaced
(`person.password_must_change`, `person.pin_must_change`). Login attempts move from each web
process's memory into `loginattempt`, shared by every process; the typed username is kept only
as a keyed hash.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_must_change", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("pin_must_change", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "loginattempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("username_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("loginattempt", schema=None) as batch_op:
        batch_op.create_index("ix_loginattempt_address_at", ["address", "at"], unique=False)
        batch_op.create_index("ix_loginattempt_username_key_at", ["username_key", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("loginattempt", schema=None) as batch_op:
        batch_op.drop_index("ix_loginattempt_username_key_at")
        batch_op.drop_index("ix_loginattempt_address_at")
    op.drop_table("loginattempt")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("pin_must_change")
        batch_op.drop_column("password_must_change")
