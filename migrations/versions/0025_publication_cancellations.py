"""published announcements can be cancelled or superseded

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06

A published announcement could not be cancelled (a wrong date, a measure withdrawn). An
administrator now cancels it, or marks it superseded by a later announcement: an insert-only
`publicationcancellation` row, covered by the audit chain; its number, files and public page
stay, marked, and `saraban verify` says so.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.insert_only import dropped_insert_only_triggers, insert_only_triggers

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None
TABLE = "publicationcancellation"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["publication_id"], ["publication.id"]),
        sa.ForeignKeyConstraint(["superseded_by_id"], ["publication.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("publication_id"),
    )
    # Insert-only, as the other history tables (0001, 0007, 0019, 0022).
    for statement in insert_only_triggers(op.get_bind().dialect.name, TABLE):
        op.execute(statement)


def downgrade() -> None:
    for statement in dropped_insert_only_triggers(op.get_bind().dialect.name, TABLE):
        op.execute(statement)
    op.drop_table(TABLE)
