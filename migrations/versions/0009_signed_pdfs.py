"""signed PDFs

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

The published PDFs carry a PAdES signature made with the organisation's key (kept in files, not
here); each publication records the certificate they were signed with, its fingerprint and subject.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = ("signing_certificate_pem", "signing_certificate_sha256", "signing_certificate_subject")


def upgrade() -> None:
    with op.batch_alter_table("publication", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("publication", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
