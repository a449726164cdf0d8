"""Incidents: the keys of reports already taken move to the per-user idempotency table
(migration 0002). Their request was never kept, so they carry no request hash: such a key
still gives back its report, whatever is sent with it.

Revision ID: incidents_0002
Revises: incidents_0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "incidents_0002"
down_revision = "incidents_0001"
branch_labels = None
depends_on = "0002"


def upgrade() -> None:
    # Keys were already unique per user here (uq_incident_idempotency); DO NOTHING only
    # guards against a key the same user also used elsewhere first.
    op.execute(
        "INSERT INTO idempotency_key "
        "(username, key, request_hash, record_type, record_id, record_label, created_at) "
        "SELECT created_by, idempotency_key, NULL, 'incident', reference, "
        "'report ' || reference, created_at FROM incident "
        "WHERE idempotency_key IS NOT NULL ON CONFLICT DO NOTHING"
    )


def downgrade() -> None:
    op.execute("DELETE FROM idempotency_key WHERE record_type = 'incident'")
