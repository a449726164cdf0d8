"""Free-text search of the incident log over 1,000,000 reports (issue 14: p95 < 30 ms), on
SQLite (FTS5 trigram) and PostgreSQL (pg_trgm GIN), against an indexed exact lookup.

Each shape of free text is timed through the server's own list query
(`station_app.server.incidents.store.list_incidents`, first page of 50), interleaved with
the baseline measured in the same run: the list asked for one whole crime reference number
(answered by the unique index). The invented reports are those of bench/incidents_list.py,
inserted in bulk with the search index built once afterwards; the databases are kept under
build/bench-cache/ (SQLite) and in a kept PostgreSQL schema, migrated when the schema is
newer and reused while the row count matches (`--fresh` builds them again). Each is read
once before timing (bench/_common.py `warm_file`, `warm_postgres`), so the searches are timed
as a running server finds them, not as a first read from disk.

    python bench/incidents_search.py [--rows 1000000] [--runs 200] [--no-postgres] [--fresh]
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url

from bench._common import report, timed_ms, warm_file, warm_postgres
from bench.incidents_list import LAST, SEED, postgres_url, seed
from station_app.server.core.db import (
    make_engine,
    make_session_factory,
    migrate_engine,
    schema_is_current,
)
from station_app.server.incidents.models import Incident
from station_app.server.incidents.store import ListFilter, list_incidents
from station_app.server.migrations.versions import incidents_0003

CACHE = Path(__file__).resolve().parent.parent / "build" / "bench-cache"
TARGET_MS = 30.0


def _cached(engine: Engine, rows: int) -> bool:
    """Whether the kept database has its reports; one from an older schema is migrated."""
    try:
        if not schema_is_current(engine):
            migrate_engine(engine)
            if engine.dialect.name == "postgresql":  # statistics as the migration asks
                with engine.begin() as connection:
                    connection.execute(text("ANALYZE incident"))
        with engine.connect() as connection:
            return connection.execute(select(func.count(Incident.id))).scalar() == rows
    except Exception:
        return False


def _seed_sqlite(engine: Engine, rows: int) -> float:
    """Bulk insert with the search trigger off, then one FTS5 rebuild."""
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER incident_search_insert"))
    seed(engine, rows)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO incident_search(incident_search) VALUES ('rebuild')"))
        connection.execute(text(incidents_0003.SQLITE_UP[2]))  # the insert trigger again
    return time.perf_counter() - started


def _seed_postgres(engine: Engine, rows: int) -> float:
    """Bulk insert without the trigram index, then one index build."""
    started = time.perf_counter()
    with engine.begin() as connection:
        definition = connection.execute(
            text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = :name "
                "AND schemaname = current_schema()"
            ),
            {"name": incidents_0003.TRIGRAM_INDEX},
        ).scalar_one()
        connection.execute(text(f"DROP INDEX {incidents_0003.TRIGRAM_INDEX}"))
    seed(engine, rows)
    with engine.begin() as connection:
        connection.execute(text("SET maintenance_work_mem = '256MB'"))
        connection.execute(text(definition))
        connection.execute(text("ANALYZE incident"))
    return time.perf_counter() - started


def shapes(rows: int, year: int) -> dict[str, Callable[[random.Random], str]]:
    def nothing(chooser: random.Random) -> str:
        return "".join(chooser.choice(string.ascii_lowercase) for _ in range(8))

    def part_of_reference(chooser: random.Random) -> str:
        return f"{chooser.randrange(1, rows):07d}"[2:]  # the last five digits of a serial

    def surname_part(chooser: random.Random) -> str:
        return chooser.choice(LAST)[1:6]

    return {
        "a word in no report": nothing,
        "part of a reference number (5 digits)": part_of_reference,
        "a surname (1 report in 64)": lambda chooser: chooser.choice(LAST),
        "part of a surname": surname_part,
        "surname and postcode district": lambda c: f"{c.choice(LAST)} se{c.randrange(1, 28)}",
        "a common word (theft)": lambda _chooser: "theft",
    }


def measure(engine: Engine, rows: int, runs: int, label: str) -> None:
    sessions = make_session_factory(engine)
    with sessions() as session:
        newest = session.execute(select(Incident.reference).order_by(Incident.id.desc())).first()
    assert newest is not None
    year = int(newest[0].split("-")[1])
    stations = ("SW", "KN", "HX", "BW")
    chooser = random.Random(SEED + 7)
    print(f"\n{label}: {rows:,} incidents")
    with sessions() as session:
        for title, make_text in shapes(rows, year).items():
            measured: list[float] = []
            baseline: list[float] = []
            for _ in range(runs):
                typed = make_text(chooser)
                measured.append(
                    timed_ms(lambda t=typed: list_incidents(session, ListFilter(text=t)))
                )
                serial = chooser.randrange(1, rows)
                whole = f"{stations[serial % 4]}-{year}-{serial:07d}"
                baseline.append(
                    timed_ms(lambda w=whole: list_incidents(session, ListFilter(text=w)))
                )
                session.expunge_all()
            report(
                f"  free text, {title} vs a whole reference number", measured, baseline, TARGET_MS
            )


def sqlite_engine(rows: int, fresh: bool) -> Engine:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"incidents-search-{rows}.db"
    if fresh:
        path.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    if _cached(engine, rows):
        print(f"SQLite: {rows:,} incidents from {path.relative_to(CACHE.parent.parent)}")
        return engine
    engine.dispose()
    path.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    migrate_engine(engine)
    print(f"SQLite: seeded {rows:,} incidents in {_seed_sqlite(engine, rows):.1f} s")
    return engine


def postgres_engine(url: str, rows: int, fresh: bool) -> Engine:
    schema = f"bench_search_{rows}"
    admin = create_engine(url)
    with admin.begin() as connection:
        if fresh:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    admin.dispose()
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = make_engine(scoped.render_as_string(hide_password=False))
    if _cached(engine, rows):
        print(f"PostgreSQL: {rows:,} incidents from the kept schema {schema}")
        return engine
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    engine = make_engine(scoped.render_as_string(hide_password=False))
    migrate_engine(engine)
    print(f"PostgreSQL: seeded {rows:,} incidents in {_seed_postgres(engine, rows):.1f} s")
    return engine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="build the databases again")
    args = parser.parse_args()
    if not args.no_sqlite:
        engine = sqlite_engine(args.rows, args.fresh)
        warm_file(engine.url.render_as_string(hide_password=False))
        measure(engine, args.rows, args.runs, "SQLite (FTS5 trigram)")
        engine.dispose()
    url = None if args.no_postgres else postgres_url()
    if url is not None:
        engine = postgres_engine(url, args.rows, args.fresh)
        warm_postgres(engine.url.render_as_string(hide_password=False))
        measure(engine, args.rows, args.runs, "PostgreSQL (pg_trgm GIN)")
        engine.dispose()


if __name__ == "__main__":
    main()
