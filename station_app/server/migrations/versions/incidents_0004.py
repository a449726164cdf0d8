"""Incidents: a timeline line may carry what a linked record's note says (issue 10): the
custody number of an arrest, the case file of a charge, the court's result for the
victim's update letter. Lines written before carry nothing (NULL).

Revision ID: incidents_0004
Revises: incidents_0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "incidents_0004"
down_revision = "incidents_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incident_event") as batch:
        batch.add_column(sa.Column("data", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incident_event") as batch:
        batch.drop_column("data")
