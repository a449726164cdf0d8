"""Case files: each case belongs to a station (core/stations.py; issue 12 #11), the
station of the officer in the case. Cases already open take their officer's station; a case
whose officer is no longer a user gets no station ("") and only force-wide roles see it.

Revision ID: casefiles_0002
Revises: casefiles_0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "casefiles_0002"
down_revision = "casefiles_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE on both databases: a copy of the table (SQLite batch mode) would
    # take its documents with it through ON DELETE CASCADE.
    op.add_column(
        "case_file", sa.Column("station_code", sa.String(50), nullable=False, server_default="")
    )
    op.create_index("ix_case_file_station", "case_file", ["station_code"])
    op.execute(
        "UPDATE case_file SET station_code = COALESCE((SELECT u.station_code FROM station_user u "
        "WHERE u.username = case_file.officer_username), '')"
    )


def downgrade() -> None:
    op.drop_index("ix_case_file_station", table_name="case_file")
    op.execute("ALTER TABLE case_file DROP COLUMN station_code")
