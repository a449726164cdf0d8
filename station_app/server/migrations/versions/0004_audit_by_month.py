"""The audit trail at scale: on PostgreSQL `audit_event` becomes partitioned by month of `at`
(core/audit_partitions.py), every partition append-only; on both databases the list's
indexes lead with what it filters on and end in time, so the newest rows come first from
the index.

Every read writes an audit row, so this is the largest table: a month is a partition that
can be exported and dropped whole at the end of its retention (never row by row), and the
list reads only the newest partitions. Rows already there are copied into the months.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import op
from sqlalchemy import text

from station_app.server.core.audit_partitions import (
    DEFAULT_PARTITION,
    GUARD_FUNCTION,
    MONTHS_AHEAD,
    add_months,
    month_start,
    next_month,
    partition_name,
    truncate_guard,
)

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OLD_INDEXES = ("ix_audit_event_record", "ix_audit_event_username")
NEW_INDEXES = {
    "ix_audit_event_at": "(at, id)",
    "ix_audit_event_record_at": "(record_type, record_id, at)",
    "ix_audit_event_username_at": "(username, at)",
}
COLUMNS = "id, at, username, workstation, action, record_type, record_id, detail"


def _sqlite_upgrade() -> None:
    for name in OLD_INDEXES:
        op.execute(f"DROP INDEX {name}")
    for name, columns in NEW_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON audit_event {columns}")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_upgrade()
        return
    sequence = bind.execute(text("SELECT pg_get_serial_sequence('audit_event', 'id')")).scalar()
    for name in OLD_INDEXES:
        op.execute(f"DROP INDEX {name}")
    op.execute("ALTER TABLE audit_event RENAME TO audit_event_unpartitioned")
    op.execute(
        "ALTER TABLE audit_event_unpartitioned "
        "RENAME CONSTRAINT audit_event_pkey TO audit_event_unpartitioned_pkey"
    )
    op.execute(f"ALTER SEQUENCE {sequence} OWNED BY NONE")
    op.execute(
        "CREATE TABLE audit_event ("
        f"id bigint NOT NULL DEFAULT nextval('{sequence}'), "
        "at timestamp with time zone NOT NULL, "
        "username varchar(150), workstation varchar(100), action varchar(40) NOT NULL, "
        "record_type varchar(60) NOT NULL, record_id varchar(200) NOT NULL, "
        "detail text NOT NULL, "
        "CONSTRAINT audit_event_pkey PRIMARY KEY (id, at)"
        ") PARTITION BY RANGE (at)"
    )
    for name, columns in NEW_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON audit_event {columns}")
    # Row guards on the parent are cloned onto every partition, made now or later.
    op.execute(
        "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
        f"FOR EACH ROW EXECUTE FUNCTION {GUARD_FUNCTION}()"
    )
    op.execute(truncate_guard("audit_event"))
    op.execute(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF audit_event DEFAULT")
    op.execute(truncate_guard(DEFAULT_PARTITION))
    oldest = bind.execute(text("SELECT min(at) FROM audit_event_unpartitioned")).scalar()
    now = datetime.now(UTC).date()
    first = month_start(oldest.date() if oldest is not None else now)
    op.execute(
        f"CREATE TABLE {partition_name(first)} PARTITION OF audit_event FOR VALUES FROM "
        f"('{first.isoformat()} 00:00:00+00') TO ('{next_month(first).isoformat()} 00:00:00+00')"
    )
    op.execute(truncate_guard(partition_name(first)))
    through = now
    for _ in range(MONTHS_AHEAD):
        through = next_month(through)
    add_months(bind, through)
    op.execute(
        f"INSERT INTO audit_event ({COLUMNS}) SELECT {COLUMNS} FROM audit_event_unpartitioned"
    )
    op.execute("DROP TABLE audit_event_unpartitioned")
    op.execute(f"ALTER SEQUENCE {sequence} OWNED BY audit_event.id")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in NEW_INDEXES:
            op.execute(f"DROP INDEX {name}")
        op.execute("CREATE INDEX ix_audit_event_record ON audit_event (record_type, record_id)")
        op.execute("CREATE INDEX ix_audit_event_username ON audit_event (username)")
        return
    sequence = bind.execute(text("SELECT pg_get_serial_sequence('audit_event', 'id')")).scalar()
    op.execute(f"ALTER SEQUENCE {sequence} OWNED BY NONE")
    op.execute("ALTER TABLE audit_event RENAME TO audit_event_partitioned")
    op.execute(
        "ALTER TABLE audit_event_partitioned "
        "RENAME CONSTRAINT audit_event_pkey TO audit_event_partitioned_pkey"
    )
    for name in NEW_INDEXES:
        op.execute(f"ALTER INDEX {name} RENAME TO {name}_partitioned")
    op.execute(
        "CREATE TABLE audit_event ("
        f"id bigint NOT NULL DEFAULT nextval('{sequence}') PRIMARY KEY, "
        "at timestamp with time zone NOT NULL, "
        "username varchar(150), workstation varchar(100), action varchar(40) NOT NULL, "
        "record_type varchar(60) NOT NULL, record_id varchar(200) NOT NULL, detail text NOT NULL)"
    )
    op.execute(f"INSERT INTO audit_event ({COLUMNS}) SELECT {COLUMNS} FROM audit_event_partitioned")
    op.execute("DROP TABLE audit_event_partitioned CASCADE")
    op.execute(f"ALTER SEQUENCE {sequence} OWNED BY audit_event.id")
    op.execute("CREATE INDEX ix_audit_event_record ON audit_event (record_type, record_id)")
    op.execute("CREATE INDEX ix_audit_event_username ON audit_event (username)")
    op.execute(
        "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
        f"FOR EACH ROW EXECUTE FUNCTION {GUARD_FUNCTION}()"
    )
    op.execute(truncate_guard("audit_event"))
