"""Idempotency keys per user, for every feature: (user name, key) with the hash of the
request each key made (core/idempotency.py; issue 12 #9). The features' migrations
(incidents_0002, custody_0003) carry their keys over into it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from station_app.server.core.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idempotency_key",
        sa.Column("username", sa.String(150), primary_key=True),
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=True),
        sa.Column("record_type", sa.String(60), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=False),
        sa.Column("record_label", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("idempotency_key")
