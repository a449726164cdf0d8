"""Custody: the keys of bookings and entries already made move to the per-user
idempotency table (migration 0002). An entry's key was unique per record, not per user
(issue 12 #9); from now on it is one per user. Carried-over keys have no request hash: they
still give back their record or entry, whatever is sent with them; where one officer had
used the same entry key on two records, the first is kept.

The entries themselves are not touched: custody_event is append-only.

Revision ID: custody_0003
Revises: custody_0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "custody_0003"
down_revision = "custody_0002"
branch_labels = None
depends_on = "0002"


def upgrade() -> None:
    op.execute(
        "INSERT INTO idempotency_key "
        "(username, key, request_hash, record_type, record_id, record_label, created_at) "
        "SELECT created_by, idempotency_key, NULL, 'custody_record', "
        "CAST(id AS VARCHAR(40)), 'custody record ' || custody_number, opened_at "
        "FROM custody_record WHERE idempotency_key IS NOT NULL ON CONFLICT DO NOTHING"
    )
    op.execute(
        "INSERT INTO idempotency_key "
        "(username, key, request_hash, record_type, record_id, record_label, created_at) "
        "SELECT e.officer_username, e.idempotency_key, NULL, 'custody_entry', "
        "CAST(e.id AS VARCHAR(40)), "
        "'entry ' || CAST(e.sequence AS VARCHAR(12)) || ' of custody record ' "
        "|| r.custody_number, e.entered_at "
        "FROM custody_event e JOIN custody_record r ON r.id = e.record_id "
        "WHERE e.idempotency_key IS NOT NULL ORDER BY e.id ON CONFLICT DO NOTHING"
    )


def downgrade() -> None:
    op.execute(
        "DELETE FROM idempotency_key WHERE record_type IN ('custody_record', 'custody_entry')"
    )
