"""Case files in the journey to court (issue 10): the victims and witnesses a charge brings
from the linked crime reports (`case_file.people`), and the case's court hearings with their
results per charge (`case_hearing`). Existing cases have no hearings and no such people.

Revision ID: casefiles_0004
Revises: casefiles_0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from station_app.server.core.models import UTCDateTime

revision = "casefiles_0004"
down_revision = "casefiles_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_file") as batch:
        batch.add_column(sa.Column("people", sa.JSON(), nullable=True))
    op.create_table(
        "case_hearing",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("case_file.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("court_code", sa.String(60), nullable=False),
        sa.Column("sitting_at", UTCDateTime(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("result_by", sa.String(150), nullable=False),
        sa.Column("result_at", UTCDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_case_hearing_case", "case_hearing", ["case_id", "sequence"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_case_hearing_case", table_name="case_hearing")
    op.drop_table("case_hearing")
    with op.batch_alter_table("case_file") as batch:
        batch.drop_column("people")
