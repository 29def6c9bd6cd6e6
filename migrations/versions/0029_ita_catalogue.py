"""the ITA catalogue an organisation adopts for a fiscal year, its items and their positions

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07

`itacatalogue` is one catalogue (examples/ita/*.yaml) adopted by one organisation for one fiscal
year; `itaitem` its items (O1 ..., MOIT1 ...), each with the position that answers for it and
where that choice came from; `itapositionchoice` the organisation file's `ita:` section (item code
-> position), applied to whichever catalogue the organisation adopts. New tables only.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "itacatalogue",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("scheme", _TEXT(), nullable=False),
        sa.Column("agency_title", _TEXT(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("source_file", _TEXT(), nullable=False),
        sa.Column("content_sha256", _TEXT(), nullable=False),
        sa.Column("content_json", _TEXT(), nullable=False),
        sa.Column("adopted_by", _TEXT(), nullable=False),
        sa.Column("adopted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.UniqueConstraint("organisation_id", "fiscal_year"),
    )
    op.create_index("ix_itacatalogue_organisation_id", "itacatalogue", ["organisation_id"])
    op.create_table(
        "itaitem",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("catalogue_id", sa.Integer(), sa.ForeignKey("itacatalogue.id"), nullable=False),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("code", _TEXT(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("title", _TEXT(), nullable=False),
        sa.Column("indicator", _TEXT(), nullable=False),
        sa.Column("shape", _TEXT(), nullable=False),
        sa.Column("cadence", _TEXT(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("due_days_after_opening", sa.Integer(), nullable=True),
        sa.Column("due_in_working_days", sa.Boolean(), nullable=False),
        sa.Column("document_kinds", _TEXT(), nullable=False),
        sa.Column("templates", _TEXT(), nullable=False),
        sa.Column("attachments_json", _TEXT(), nullable=False),
        sa.Column("circular_required", sa.Boolean(), nullable=False),
        sa.Column("publication_request_required", sa.Boolean(), nullable=False),
        sa.Column("responsible_json", _TEXT(), nullable=False),
        sa.Column("position_id", sa.Integer(), sa.ForeignKey("position.id"), nullable=False),
        sa.Column("position_source", _TEXT(), nullable=False),
        sa.Column("uncertain", _TEXT(), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.UniqueConstraint("catalogue_id", "code"),
    )
    op.create_index("ix_itaitem_catalogue_id", "itaitem", ["catalogue_id"])
    op.create_index("ix_itaitem_organisation_id", "itaitem", ["organisation_id"])
    op.create_table(
        "itapositionchoice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("item_code", _TEXT(), nullable=False),
        sa.Column("position_id", sa.Integer(), sa.ForeignKey("position.id"), nullable=False),
        sa.UniqueConstraint("organisation_id", "item_code"),
    )
    op.create_index("ix_itapositionchoice_organisation_id", "itapositionchoice", ["organisation_id"])


def downgrade() -> None:
    op.drop_table("itapositionchoice")
    op.drop_table("itaitem")
    op.drop_table("itacatalogue")
