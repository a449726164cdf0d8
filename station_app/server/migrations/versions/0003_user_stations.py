"""The stations a user covers besides their own (core/stations.py; issue 12 #11).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_station",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("station_user.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("station_code", sa.String(50), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("user_station")
