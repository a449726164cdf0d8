"""Incidents: walk-in crime reports and their timeline, with the list's indexes.

Revision ID: incidents_0001
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from station_app.server.core.models import UTCDateTime

revision = "incidents_0001"
down_revision = "0001"
branch_labels = ("incidents",)
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

INDEXES = {
    "ix_incident_reported": ["reported_at"],
    "ix_incident_station_reported": ["station_code", "reported_at"],
    "ix_incident_status_reported": ["status", "reported_at"],
    "ix_incident_station_status_reported": ["station_code", "status", "reported_at"],
    "ix_incident_offence_reported": ["offence_code", "reported_at"],
    "ix_incident_victim": ["victim_name_key", "victim_dob"],
    "ix_incident_postcode_offence": ["location_postcode", "offence_code", "reported_at"],
}


def upgrade() -> None:
    op.create_table(
        "incident",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(40), nullable=False, unique=True),
        sa.Column("idempotency_key", sa.String(100), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("station_code", sa.String(50), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("offence_code", sa.String(60), nullable=False),
        sa.Column("offence_label", sa.String(500), nullable=False),
        sa.Column("occurred_from", UTCDateTime(), nullable=True),
        sa.Column("occurred_to", UTCDateTime(), nullable=True),
        sa.Column("reported_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=True),
        sa.Column("location_address", sa.String(500), nullable=False),
        sa.Column("location_postcode", sa.String(10), nullable=True),
        sa.Column("location_description", sa.String(500), nullable=False),
        sa.Column("account", sa.Text(), nullable=False),
        sa.Column("cctv", sa.String(500), nullable=False),
        sa.Column("people", sa.JSON(), nullable=False),
        sa.Column("property", sa.JSON(), nullable=False),
        sa.Column("victim_name", sa.String(200), nullable=False),
        sa.Column("victim_name_key", sa.String(200), nullable=False),
        sa.Column("victim_dob", sa.Date(), nullable=True),
        sa.Column("repeat_victim", sa.Boolean(), nullable=False),
        sa.Column("vulnerable", sa.Boolean(), nullable=False),
        sa.Column("child_involved", sa.Boolean(), nullable=False),
        sa.Column("domestic_abuse", sa.Boolean(), nullable=False),
        sa.Column("hate_crime", sa.Boolean(), nullable=False),
        sa.Column("injury", sa.Boolean(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("officer_name", sa.String(200), nullable=False),
        sa.Column("officer_number", sa.String(50), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("created_by", "idempotency_key", name="uq_incident_idempotency"),
    )
    for name, columns in INDEXES.items():
        op.create_index(name, "incident", columns)
    op.create_table(
        "incident_event",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column(
            "incident_id",
            BigId,
            sa.ForeignKey("incident.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("by_username", sa.String(150), nullable=False),
        sa.Column("by_name", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=True),
    )
    op.create_index("ix_incident_event_incident", "incident_event", ["incident_id"])


def downgrade() -> None:
    op.drop_index("ix_incident_event_incident", table_name="incident_event")
    op.drop_table("incident_event")
    for name in INDEXES:
        op.drop_index(name, table_name="incident")
    op.drop_table("incident")
