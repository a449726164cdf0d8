"""Custody: custody records, their append-only event log, and custody record numbers.

Revision ID: custody_0001
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from station_app.server.core.models import UTCDateTime

revision = "custody_0001"
down_revision = "0001"
branch_labels = ("custody",)
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

APPEND_ONLY = "custody_event is append-only: custody record entries cannot be changed or deleted"


def upgrade() -> None:
    op.create_table(
        "custody_record",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("custody_number", sa.String(40), nullable=False, unique=True),
        sa.Column("station_code", sa.String(50), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("surname", sa.String(100), nullable=False),
        sa.Column("forenames", sa.String(200), nullable=False),
        sa.Column("cell", sa.String(60), nullable=False),
        sa.Column("observation_level", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("last_event_id", BigId, nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("idempotency_key", sa.String(100), nullable=True),
        sa.UniqueConstraint("created_by", "idempotency_key", name="uq_custody_record_idempotency"),
    )
    op.create_index("ix_custody_record_board", "custody_record", ["station_code", "status"])
    op.create_table(
        "custody_event",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("record_id", BigId, sa.ForeignKey("custody_record.id"), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("entered_at", UTCDateTime(), nullable=False),
        sa.Column("officer_username", sa.String(150), nullable=False),
        sa.Column("officer_name", sa.String(200), nullable=False),
        sa.Column("officer_staff_number", sa.String(50), nullable=False),
        sa.Column("officer_rank", sa.String(50), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("idempotency_key", sa.String(100), nullable=True),
        sa.UniqueConstraint("record_id", "sequence", name="uq_custody_event_sequence"),
        sa.UniqueConstraint("record_id", "idempotency_key", name="uq_custody_event_idempotency"),
    )
    op.create_table(
        "custody_number_counter",
        sa.Column("station_code", sa.String(50), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("last_number", sa.Integer(), nullable=False),
    )
    _make_events_append_only()


def _make_events_append_only() -> None:
    """A custody record is evidence (Code C 2): the database refuses to change an entry."""
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER custody_event_no_{event.lower()} BEFORE {event} ON custody_event "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION custody_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END; $$"
    )
    op.execute(
        "CREATE TRIGGER custody_event_no_change BEFORE UPDATE OR DELETE ON custody_event "
        "FOR EACH ROW EXECUTE FUNCTION custody_event_append_only()"
    )
    op.execute(
        "CREATE TRIGGER custody_event_no_truncate BEFORE TRUNCATE ON custody_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION custody_event_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER custody_event_no_truncate ON custody_event")
        op.execute("DROP TRIGGER custody_event_no_change ON custody_event")
        op.execute("DROP FUNCTION custody_event_append_only()")
    for table in ("custody_number_counter", "custody_event", "custody_record"):
        op.drop_table(table)
