"""publication requests: the form the ITA asks for beside each published document

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07

One row per publication whose request form was made (insert-only, like the publication itself):
the address printed on it and the hashes of its .docx and signed PDF.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.insert_only import insert_only_triggers

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publicationrequest",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("publication_id", sa.Integer(), sa.ForeignKey("publication.id"), nullable=False, unique=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("docx_path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("docx_sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("pdf_path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("pdf_sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("made_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    for statement in insert_only_triggers(op.get_bind().dialect.name, "publicationrequest"):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("publicationrequest")
