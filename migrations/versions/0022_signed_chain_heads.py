"""signed chain heads

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07

The head printed with each publication was the audit chain's MAC, keyed by a secret of the
instance: whoever held the keys could rewrite history, recompute the chain and the heads, and
`audit verify` said intact. Each organisation now signs the head with its own signing key, in an
insert-only statement that names the previous one (models.head_statement); the statements are
published, so a citizen who kept one can prove history was not rewritten after it.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.insert_only import dropped_insert_only_triggers, insert_only_triggers

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

TABLE = "headstatement"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("previous_sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("made_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("statement", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("signature", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("certificate_pem", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("certificate_sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("timestamp_token", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["publication_id"], ["publication.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "seq"),
        sa.UniqueConstraint("organisation_id", "previous_sha256"),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_headstatement_organisation_id"), ["organisation_id"], unique=False)
    # As for the other history tables (0001, 0007, 0019): saraban_refuse_change exists already.
    for statement in insert_only_triggers(op.get_bind().dialect.name, TABLE):
        op.execute(statement)


def downgrade() -> None:
    for statement in dropped_insert_only_triggers(op.get_bind().dialect.name, TABLE):
        op.execute(statement)
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_headstatement_organisation_id"))
    op.drop_table(TABLE)
