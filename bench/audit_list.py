"""The audit list (GET /api/v1/audit's query, `audit.store.find_events`) over a large audit
trail on PostgreSQL, partitioned by month (migration 0004): p95 for the newest page, a
record's trail and a user's trail, against a primary-key lookup of one audit row measured
interleaved in the same run. Run at two sizes to see how it grows:

    python bench/audit_list.py [--rows 1000000,10000000] [--runs 200] [--fresh]

Rows are made by PostgreSQL itself (INSERT .. SELECT generate_series), spread over the last
24 months, 500 users, 200,000 records; each size is kept in a schema `bench_audit_<rows>`
and reused while the schema version and row count match (`--fresh` makes it again).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url

from bench._common import report, timed_ms
from bench.incidents_list import postgres_url
from station_app.server.audit.store import AuditFilter, find_events
from station_app.server.core.audit import AuditEvent
from station_app.server.core.audit_partitions import add_months
from station_app.server.core.db import (
    make_engine,
    make_session_factory,
    migrate_engine,
    schema_is_current,
)

TARGET_MS = 30.0
SPAN_SECONDS = 730 * 24 * 3600  # two years
RECORD_TYPES = ("incident", "custody_record", "casefile", "person")
BATCH = 1_000_000


def _fill(engine: Engine, rows: int) -> float:
    started = time.perf_counter()
    for first in range(1, rows + 1, BATCH):
        last = min(rows, first + BATCH - 1)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO audit_event (at, username, workstation, action, record_type, "
                    "record_id, detail) SELECT "
                    "now() - make_interval(secs => (:rows - i) * (CAST(:span AS float8) / :rows)), "
                    "'user' || (i % 500), 'WS-' || (i % 2000), 'read', "
                    "(ARRAY['incident','custody_record','casefile','person'])[i % 4 + 1], "
                    "'REF-' || (i % 200000), '' FROM generate_series(:first, :last) AS i"
                ),
                {"rows": rows, "span": SPAN_SECONDS, "first": first, "last": last},
            )
        print(f"  {last:,} rows", flush=True)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE audit_event"))
    return time.perf_counter() - started


def engine_for(url: str, rows: int, fresh: bool) -> Engine:
    schema = f"bench_audit_{rows}"
    admin = create_engine(url)
    with admin.begin() as connection:
        if fresh:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    admin.dispose()
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = make_engine(scoped.render_as_string(hide_password=False))
    try:
        if schema_is_current(engine):
            with engine.connect() as connection:
                held = connection.execute(select(func.count(AuditEvent.id))).scalar()
            if held == rows:
                print(f"\n{rows:,} audit rows from the kept schema {schema}")
                return engine
    except Exception:
        pass
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    engine = make_engine(scoped.render_as_string(hide_password=False))
    migrate_engine(engine)
    with engine.begin() as connection:  # the past 24 months, as before importing old rows
        today = datetime.now(UTC).date()
        add_months(connection, today, since=date(today.year - 2, today.month, 1))
    print(f"\nmaking {rows:,} audit rows over 24 months")
    print(f"made in {_fill(engine, rows):.0f} s")
    return engine


def measure(engine: Engine, rows: int, runs: int) -> None:
    sessions = make_session_factory(engine)
    chooser = random.Random(14)
    with engine.connect() as connection:
        low, high = connection.execute(
            select(func.min(AuditEvent.id), func.max(AuditEvent.id))
        ).one()
        partitions = connection.execute(
            text("SELECT count(*) FROM pg_inherits WHERE inhparent = 'audit_event'::regclass")
        ).scalar()
    print(f"PostgreSQL: {rows:,} audit rows in {partitions} partitions")
    shapes = {
        "newest 100": lambda: AuditFilter(),
        "one record's trail": lambda: AuditFilter(
            record_type=RECORD_TYPES[(n := chooser.randrange(200_000)) % 4],
            record_id=f"REF-{n}",
        ),
        "one user's trail": lambda: AuditFilter(username=f"user{chooser.randrange(500)}"),
    }
    with sessions() as session:
        for title, make_filter in shapes.items():
            measured: list[float] = []
            baseline: list[float] = []
            for _ in range(runs):
                filters = make_filter()
                measured.append(timed_ms(lambda f=filters: find_events(session, f)))
                wanted = chooser.randint(low, high)
                baseline.append(
                    timed_ms(
                        lambda w=wanted: session.execute(
                            select(AuditEvent.record_id).where(AuditEvent.id == w)
                        ).all()
                    )
                )
                session.expunge_all()
            report(f"  audit list, {title} vs one row by id", measured, baseline, TARGET_MS)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="1000000,10000000")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    url = postgres_url()
    if url is None:
        return
    for rows in (int(r) for r in args.rows.split(",")):
        engine = engine_for(url, rows, args.fresh)
        measure(engine, rows, args.runs)
        engine.dispose()


if __name__ == "__main__":
    main()
