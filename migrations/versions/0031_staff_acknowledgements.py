"""staff acknowledge a published announcement (รับทราบ), with reminders

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07

A circular (หนังสือเวียน), or any published announcement the drafter or an administrator marks,
is to be acknowledged by each recipient in the app. `acknowledgementrequest` (who must, frozen
when asked) and `acknowledgement` (who did, when, which hashes, how) are evidence: insert-only,
covered by the audit chain. `acknowledgementreminder` is state: one reminder per person per day.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.insert_only import dropped_insert_only_triggers, insert_only_triggers

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None
HISTORY = ("acknowledgementrequest", "acknowledgement")
TEXT = sqlmodel.sql.sqltypes.AutoString
MOMENT = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "acknowledgementrequest",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("memo_id", sa.Integer(), sa.ForeignKey("memo.id"), nullable=False, unique=True),
        sa.Column("publication_id", sa.Integer(), sa.ForeignKey("publication.id"), nullable=False),
        sa.Column("revision_sha256", TEXT(), nullable=False),
        sa.Column("announcement_sha256", TEXT(), nullable=False),
        sa.Column("asked_by_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("scope", TEXT(), nullable=False),
        sa.Column("scope_codes", TEXT(), nullable=False),
        sa.Column("recipient_ids_json", TEXT(), nullable=False),
        sa.Column("remind_after_working_days", sa.Integer(), nullable=False),
        sa.Column("at", MOMENT(), nullable=False),
    )
    op.create_index("ix_acknowledgementrequest_organisation_id", "acknowledgementrequest", ["organisation_id"])
    op.create_table(
        "acknowledgement",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("acknowledgementrequest.id"), nullable=False),
        sa.Column("memo_id", sa.Integer(), sa.ForeignKey("memo.id"), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("revision_sha256", TEXT(), nullable=False),
        sa.Column("announcement_sha256", TEXT(), nullable=False),
        sa.Column("via", TEXT(), nullable=False),
        sa.Column("at", MOMENT(), nullable=False),
        sa.UniqueConstraint("request_id", "person_id"),
    )
    for column in ("request_id", "memo_id", "person_id"):
        op.create_index(f"ix_acknowledgement_{column}", "acknowledgement", [column])
    op.create_table(
        "acknowledgementreminder",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("memo_ids", TEXT(), nullable=False),
        sa.Column("state", TEXT(), nullable=False),
        sa.Column("channels", sa.Integer(), nullable=False),
        sa.Column("error", TEXT(), nullable=False),
        sa.Column("at", MOMENT(), nullable=False),
        sa.UniqueConstraint("person_id", "day"),
    )
    op.create_index("ix_acknowledgementreminder_organisation_id", "acknowledgementreminder", ["organisation_id"])
    # Insert-only, as the other history tables (0001, 0007, 0019, 0022, 0025).
    for table in HISTORY:
        for statement in insert_only_triggers(op.get_bind().dialect.name, table):
            op.execute(statement)


def downgrade() -> None:
    for table in HISTORY:
        for statement in dropped_insert_only_triggers(op.get_bind().dialect.name, table):
            op.execute(statement)
    op.drop_table("acknowledgementreminder")
    op.drop_table("acknowledgement")
    op.drop_table("acknowledgementrequest")
