"""The audit trail by month on PostgreSQL (migration 0004; docs/deployment.md, "The audit
trail at scale"): `audit_event` is partitioned by range of `at`, one partition a month
(`audit_event_y2026m12`) and a default one for anything outside them, each with the
append-only guards. Run by the owner of the schema: the migration makes the months up to
`MONTHS_AHEAD` ahead, and `station-server audit add-months` more; `drop-before` removes whole
months past the force's retention, after they are exported."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, text

MONTHS_AHEAD = 24
PARENT = "audit_event"
DEFAULT_PARTITION = "audit_event_default"
_MONTH_NAME = re.compile(r"^audit_event_y(\d{4})m(\d{2})$")
GUARD_FUNCTION = "audit_event_append_only"


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{PARENT}_y{month.year:04d}m{month.month:02d}"


def _bound(month: date) -> str:
    return f"'{month.isoformat()} 00:00:00+00'"


def truncate_guard(table: str) -> str:
    """A TRUNCATE guard for one table: statement triggers are not cloned to partitions, and
    a partition can be truncated on its own, so each gets its own."""
    return (
        f'CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {GUARD_FUNCTION}()"
    )


def months(connection: Connection) -> list[date]:
    """The months the audit trail has a partition for, oldest first."""
    rows = connection.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace "
            "WHERE p.relname = :parent AND n.nspname = current_schema()"
        ),
        {"parent": PARENT},
    ).scalars()
    found = []
    for name in rows:
        match = _MONTH_NAME.match(str(name))
        if match:
            found.append(date(int(match[1]), int(match[2]), 1))
    return sorted(found)


def add_months(connection: Connection, through: date, since: date | None = None) -> list[str]:
    """Make a partition for each month up to and including `through` that has none, from
    `since` (default: after the newest there is); the names made. Row guards come with each
    partition by themselves (row triggers of a partitioned table are cloned); the TRUNCATE
    guard is added. A month whose rows already went to the default partition cannot be
    made (PostgreSQL refuses): move them first."""
    have = months(connection)
    if since is not None:
        month = month_start(since)
    else:
        month = next_month(have[-1]) if have else month_start(datetime.now(UTC).date())
    made = []
    while month <= month_start(through):
        if month in have:
            month = next_month(month)
            continue
        name = partition_name(month)
        connection.execute(
            text(
                f'CREATE TABLE "{name}" PARTITION OF {PARENT} '
                f"FOR VALUES FROM ({_bound(month)}) TO ({_bound(next_month(month))})"
            )
        )
        connection.execute(text(truncate_guard(name)))
        made.append(name)
        month = next_month(month)
    return made


@dataclass(frozen=True)
class Dropped:
    name: str
    rows: int


def drop_before(connection: Connection, before: date) -> list[Dropped]:
    """Detach and drop every whole month before `before` (retention, docs/deployment.md);
    their row counts. The default partition is never dropped."""
    dropped = []
    for month in months(connection):
        if next_month(month) > month_start(before):
            break
        name = partition_name(month)
        rows = int(connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
        connection.execute(text(f'ALTER TABLE {PARENT} DETACH PARTITION "{name}"'))
        connection.execute(text(f'DROP TABLE "{name}"'))
        dropped.append(Dropped(name, rows))
    return dropped


def is_partitioned(connection: Connection) -> bool:
    if connection.dialect.name != "postgresql":
        return False
    kind = connection.execute(
        text(
            "SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = :parent AND n.nspname = current_schema()"
        ),
        {"parent": PARENT},
    ).scalar()
    return kind == "p"
