"""person contact

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02

An administrator keeps how to reach each person (an e-mail address and a telephone number),
edited on the person's admin page. Plain ADD COLUMN with an empty default, so no table is
rebuilt on SQLite (a rebuild would drop the triggers other migrations put on tables).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("person", sa.Column("email", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""))
    op.add_column("person", sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("phone")
        batch_op.drop_column("email")
