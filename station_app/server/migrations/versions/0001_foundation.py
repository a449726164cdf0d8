"""Foundation: users and roles, tokens, sign-in throttling, append-only audit trail and
versioned reference data.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from station_app.server.core.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

DATASETS = [
    ("offences", "Offences"),
    ("stations", "Police stations"),
    ("cells", "Cells"),
    ("courts", "Courts"),
    ("ethnicity_self", "Ethnicity (self-defined)"),
    ("ethnicity_officer", "Ethnicity (officer-defined)"),
    ("nationalities", "Nationalities"),
    ("officers", "Officers"),
]

APPEND_ONLY_MESSAGE = "audit_event is append-only: audit rows cannot be changed or deleted"


def upgrade() -> None:
    op.create_table(
        "station_user",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(150), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("staff_number", sa.String(50), nullable=False),
        sa.Column("rank", sa.String(50), nullable=False),
        sa.Column("station_code", sa.String(50), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "user_role",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("station_user.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("role", sa.String(40), primary_key=True),
    )
    op.create_table(
        "auth_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("station_user.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("workstation", sa.String(100), nullable=True),
    )
    op.create_table(
        "login_throttle",
        sa.Column("username", sa.String(150), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", UTCDateTime(), nullable=True),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("username", sa.String(150), nullable=True),
        sa.Column("workstation", sa.String(100), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("record_type", sa.String(60), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_audit_event_record", "audit_event", ["record_type", "record_id"])
    op.create_index("ix_audit_event_username", "audit_event", ["username"])
    datasets = op.create_table(
        "reference_dataset",
        sa.Column("name", sa.String(60), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "reference_row",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "dataset_name",
            sa.String(60),
            sa.ForeignKey("reference_dataset.name", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("label", sa.String(500), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("dataset_name", "code", name="uq_reference_row_code"),
    )
    op.create_index("ix_reference_row_version", "reference_row", ["dataset_name", "version"])

    now = datetime.now(UTC)
    op.bulk_insert(
        datasets,
        [{"name": n, "title": t, "version": 0, "updated_at": now} for n, t in DATASETS],
    )
    _make_audit_append_only()


def _make_audit_append_only() -> None:
    """Audit rows are evidence: the database itself refuses to change or delete them."""
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_event_no_{event.lower()} BEFORE {event} ON audit_event "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END; $$"
    )
    op.execute(
        "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER audit_event_no_truncate ON audit_event")
        op.execute("DROP TRIGGER audit_event_no_change ON audit_event")
        op.execute("DROP FUNCTION audit_event_append_only()")
    for table in (
        "reference_row",
        "reference_dataset",
        "audit_event",
        "login_throttle",
        "auth_token",
        "user_role",
        "station_user",
    ):
        op.drop_table(table)
