"""the announcement's own title and words on each publication

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

A publication records the announcement as published: its subject, its title as on paper
("ประกาศ<organisation> เรื่อง <subject>", not the internal memo's subject) and its words as JSON
(the text whose SHA-256 the signers approved), so the public page and the feed can title and show
it, and a drafter can start a new announcement from it. Rows published before this keep empty
values (their words can still be rendered from their revision). Plain ADD COLUMN, so the
insert-only triggers stay; the audit entries name the columns they hashed, so older rows verify.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

COLUMNS = ("announcement_subject", "announcement_title", "announcement_words_json")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column(
            "publication", sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("publication", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.drop_column(name)
