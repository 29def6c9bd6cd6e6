"""chains with versions, and memo routes per span of rounds

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06

A chain could not change while any memo was on it, and in an office that sends memos daily that
moment never comes. Now saving a changed chain adds an insert-only `chainversion` (its steps, each
with its rules, and its separation of duties), and a memo follows the version its route was
frozen from. An administrator may move a memo to the chain's current version from the round it is
in, before anyone signed in it: a memo may then have more than one route (the latest is in
force), so `memoroute` loses its one-per-memo uniqueness. Versions of chains as they stand are written by
`saraban init` with their audit entries (a migration has no audit key), as routes were (0019).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.insert_only import dropped_insert_only_triggers, insert_only_triggers

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

# SQLite's reflection gives the unique constraint of 0019 no name: this names it so batch mode
# can drop it.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "chainversion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("steps_json", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("drafter_may_sign", sa.Boolean(), nullable=False),
        sa.Column("same_signer_consecutive_steps", sa.Boolean(), nullable=False),
        sa.Column("made_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["chain_id"], ["chain.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chain_id", "number"),
    )
    op.create_index("ix_chainversion_chain_id", "chainversion", ["chain_id"])
    for statement in insert_only_triggers(dialect, "chainversion"):
        op.execute(statement)

    # SQLite's batch mode copies the table (the copy has no triggers): they go and come back.
    for statement in dropped_insert_only_triggers(dialect, "memoroute"):
        op.execute(statement)
    with op.batch_alter_table("memoroute", naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column("chain_version", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("from_round", sa.Integer(), nullable=False, server_default="1"))
        batch_op.drop_constraint(
            "memoroute_memo_id_key" if dialect == "postgresql" else "uq_memoroute_memo_id", type_="unique"
        )
        batch_op.create_index("ix_memoroute_memo_id", ["memo_id"])
    for statement in insert_only_triggers(dialect, "memoroute"):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in dropped_insert_only_triggers(dialect, "memoroute"):
        op.execute(statement)
    with op.batch_alter_table("memoroute") as batch_op:
        batch_op.drop_index("ix_memoroute_memo_id")
        batch_op.create_unique_constraint("memoroute_memo_id_key", ["memo_id"])
        batch_op.drop_column("from_round")
        batch_op.drop_column("chain_version")
    for statement in insert_only_triggers(dialect, "memoroute"):
        op.execute(statement)
    for statement in dropped_insert_only_triggers(dialect, "chainversion"):
        op.execute(statement)
    op.drop_index("ix_chainversion_chain_id", "chainversion")
    op.drop_table("chainversion")
