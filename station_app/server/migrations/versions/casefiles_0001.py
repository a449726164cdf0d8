"""Case files: cases, their documents, workflow events, CPS submissions, and the
`file_standard` reference dataset.

Revision ID: casefiles_0001
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from station_app.server.core.models import UTCDateTime

revision = "casefiles_0001"
down_revision = "0001"
branch_labels = ("casefiles",)
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "case_file",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(40), nullable=False, unique=True),
        sa.Column("file_type", sa.String(40), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("incident_refs", sa.JSON(), nullable=False),
        sa.Column("custody_refs", sa.JSON(), nullable=False),
        sa.Column("suspects", sa.JSON(), nullable=False),
        sa.Column("officer_username", sa.String(150), nullable=False, index=True),
        sa.Column("officer_name", sa.String(200), nullable=False),
        sa.Column("hearing_date", sa.Date(), nullable=True),
        sa.Column("court_code", sa.String(60), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "case_document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("case_file.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(30), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("key", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_case_document_case", "case_document", ["case_id", "form"])
    op.create_table(
        "case_event",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("case_file.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("username", sa.String(150), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
    )
    op.create_table(
        "cps_submission",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("case_file.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("submission_id", sa.String(80), nullable=False, unique=True),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.Column("sent_by", sa.String(150), nullable=False),
        sa.Column("bundle_sha256", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
    )
    datasets = sa.table(
        "reference_dataset",
        sa.column("name", sa.String),
        sa.column("title", sa.String),
        sa.column("version", sa.Integer),
        sa.column("updated_at", UTCDateTime()),
    )
    op.bulk_insert(
        datasets,
        [
            {
                "name": "file_standard",
                "title": "File standard (case file rules)",
                "version": 0,
                "updated_at": datetime.now(UTC),
            }
        ],
    )


def downgrade() -> None:
    op.execute("DELETE FROM reference_row WHERE dataset_name = 'file_standard'")
    op.execute("DELETE FROM reference_dataset WHERE name = 'file_standard'")
    op.drop_table("cps_submission")
    op.drop_table("case_event")
    op.drop_index("ix_case_document_case", table_name="case_document")
    op.drop_table("case_document")
    op.drop_table("case_file")
