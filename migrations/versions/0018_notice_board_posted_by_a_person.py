"""notice board posted by a person

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02

The physical notice board is posted by a person, not by the system: its channel row records who
posted it (posted_by_id) and on which day (posted_on), entered by the officer with a button on the
memo page (audited). Plain ADD COLUMN, so no table is rebuilt on SQLite (a rebuild would drop
the triggers other migrations put on tables); publicationchannel is not insert-only.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None
FOREIGN_KEY = "fk_publicationchannel_posted_by_id_person"


def upgrade() -> None:
    op.add_column("publicationchannel", sa.Column("posted_by_id", sa.Integer(), nullable=True))
    op.add_column("publicationchannel", sa.Column("posted_on", sa.Date(), nullable=True))
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot add a constraint without a rebuild
        op.create_foreign_key(FOREIGN_KEY, "publicationchannel", "person", ["posted_by_id"], ["id"])
    # Boards marked posted by the system before this change: the day it recorded, so that the
    # publication card and the evidence still show when (nobody is named: nobody recorded it).
    op.execute(
        "UPDATE publicationchannel SET posted_on = (SELECT notice_board_posted_on FROM publication "
        "WHERE publication.id = publicationchannel.publication_id) "
        "WHERE channel = 'notice-board' AND status = 'posted' AND posted_on IS NULL"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(FOREIGN_KEY, "publicationchannel", type_="foreignkey")
    with op.batch_alter_table("publicationchannel", schema=None) as batch_op:
        batch_op.drop_column("posted_on")
        batch_op.drop_column("posted_by_id")
