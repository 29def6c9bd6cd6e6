"""the ITA year's work: one row per period of each catalogue item, opened once

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07

What the year opening made for each item and period (a saved draft for the responsible holder,
or a disclosure item's address), unique per item and period so that a second run opens nothing.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "itawork",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("itaitem.id"), nullable=False),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("period_title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("opened_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("position_id", sa.Integer(), sa.ForeignKey("position.id"), nullable=False),
        sa.Column("draft_id", sa.Integer(), sa.ForeignKey("saveddraft.id"), nullable=True),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("url_given_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("url_given_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.UniqueConstraint("item_id", "period"),
    )
    op.create_index("ix_itawork_item_id", "itawork", ["item_id"])
    op.create_index("ix_itawork_organisation_id", "itawork", ["organisation_id"])


def downgrade() -> None:
    op.drop_table("itawork")
