"""The incident log's filtered first page over 1,000,000 walk-in reports (target p95 < 30 ms).

Seeds a migrated database with invented reports in bulk (core INSERT in batches, one
transaction per batch), runs ANALYZE, then times the server's own list query
(`station_app.server.incidents.store.list_incidents`) for several filter shapes, each
interleaved with a baseline measured in the same run: a primary-key lookup of one
report (the least any query on that database costs). Runs on SQLite, and on PostgreSQL
when `STATION_TEST_POSTGRES_URL` (or the local default) answers, in a scratch schema.

    python bench/incidents_list.py [--rows 1000000] [--runs 200]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.engine import make_url

from bench._common import report, timed_ms
from station_app.server.core.db import make_engine, make_session_factory, migrate_engine
from station_app.server.incidents.models import FLAG_COLUMNS, Incident
from station_app.server.incidents.store import ListFilter, list_incidents

SEED = 20261126
BATCH = 20_000
STATIONS = ("SW", "KN", "HX", "BW")
OFFENCES = [
    ("DMTH001", "Theft"),
    ("DMTH002", "Theft from the person"),
    ("DMTH003", "Theft of a pedal cycle"),
    ("TH68010", "Theft from a shop"),
]
FIRST = [
    "Ada",
    "Barnaby",
    "Cressida",
    "Dorian",
    "Ezra",
    "Fenella",
    "Gideon",
    "Hester",
    "Ivo",
    "Juno",
]
LAST = [
    f"{a}{b}"
    for a in ("Ash", "Birch", "Cobble", "Dunn", "Elm", "Fern", "Gale", "Hollin")
    for b in ("grove", "wick", "stone", "ford", "more", "field", "ley", "by")
]
STATUSES = (
    "reported",
    "recorded",
    "recorded",
    "recorded",
    "no_crime",
    "transferred",
    "closed",
    "closed",
)


def rows(count: int, now: datetime) -> Any:
    chooser = random.Random(SEED)
    for n in range(1, count + 1):
        station = STATIONS[n % len(STATIONS)]
        code, label = OFFENCES[chooser.randrange(len(OFFENCES))]
        name = f"{chooser.choice(FIRST)} {chooser.choice(LAST)}"
        inward = (
            f"{chooser.randrange(1, 10)}{chooser.choice('ABDEFGHJ')}{chooser.choice('LNPQRSTU')}"
        )
        postcode = f"SE{chooser.randrange(1, 28)} {inward}"
        reported = now - timedelta(minutes=(count - n) * 2 + chooser.randrange(2))
        reference = f"{station}-{now.year}-{n:07d}"
        account = f"Invented account {n}: property taken near {postcode}."
        flags = {flag: chooser.random() < 0.04 for flag in FLAG_COLUMNS}
        yield {
            "id": n,
            "reference": reference,
            "idempotency_key": None,
            "version": 1,
            "station_code": station,
            "status": STATUSES[chooser.randrange(len(STATUSES))],
            "offence_code": code,
            "offence_label": label,
            "occurred_from": None,
            "occurred_to": None,
            "reported_at": reported,
            "recorded_at": None,
            "location_address": "",
            "location_postcode": postcode,
            "location_description": "",
            "account": account,
            "cctv": "",
            "people": [{"role": "reporter", "name": name}],
            "property": [],
            "victim_name": name,
            "victim_name_key": name.casefold(),
            "victim_dob": None,
            **flags,
            "search_text": f"{reference} {label} {name} {postcode} {account}".casefold(),
            "created_by": "bench",
            "officer_name": "Bench Officer",
            "officer_number": "B0001",
            "created_at": reported,
            "updated_at": reported,
        }


def _reference(n: int, now: datetime) -> str:
    return f"{STATIONS[n % len(STATIONS)]}-{now.year}-{n:07d}".lower()


def seed(engine: Engine, count: int) -> float:
    started = time.perf_counter()
    now = datetime.now(UTC)
    statement = insert(Incident.__table__)  # type: ignore[arg-type]
    batch: list[dict[str, Any]] = []
    for row in rows(count, now):
        batch.append(row)
        if len(batch) == BATCH:
            with engine.begin() as connection:
                connection.execute(statement, batch)
            batch = []
    if batch:
        with engine.begin() as connection:
            connection.execute(statement, batch)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return time.perf_counter() - started


def measure(engine: Engine, count: int, runs: int, label: str) -> None:
    sessions = make_session_factory(engine)
    now = datetime.now(UTC)
    chooser = random.Random(SEED + 1)
    shapes = {
        "station + status + last 7 days": lambda: ListFilter(
            stations=frozenset({chooser.choice(STATIONS)}),
            statuses=["recorded"],
            reported_from=now - timedelta(days=7),
        ),
        "offence": lambda: ListFilter(offence=chooser.choice(OFFENCES)[0]),
        "flag (domestic abuse)": lambda: ListFilter(flag="domestic_abuse"),
        "free text: a surname": lambda: ListFilter(text=chooser.choice(LAST)),
        "free text: a whole reference number": lambda: ListFilter(
            text=_reference(chooser.randrange(1, count), now)
        ),
        "decision overdue": lambda: ListFilter(decision_overdue=True),
    }
    print(f"\n{label}: {count:,} incidents")
    with sessions() as session:
        for title, make_filter in shapes.items():
            measured: list[float] = []
            baseline: list[float] = []
            for _ in range(runs):
                filters = make_filter()
                measured.append(timed_ms(lambda f=filters: list_incidents(session, f)))
                wanted = chooser.randrange(1, count)
                baseline.append(
                    timed_ms(
                        lambda w=wanted: session.execute(
                            select(Incident.reference).where(Incident.id == w)
                        ).all()
                    )
                )
                session.expunge_all()
            report(f"  first page (50), {title} vs primary-key lookup", measured, baseline, 30.0)


def postgres_url() -> str | None:
    url = os.environ.get(
        "STATION_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        print(f"\nPostgreSQL not reachable ({type(error).__name__}); skipped.")
        return None
    finally:
        engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate_engine(engine)
        print(f"SQLite: seeded {args.rows:,} incidents in {seed(engine, args.rows):.1f} s")
        measure(engine, args.rows, args.runs, "SQLite")
        engine.dispose()
    url = None if args.no_postgres else postgres_url()
    if url is None:
        return
    schema = f"bench_incidents_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        engine = make_engine(scoped.render_as_string(hide_password=False))
        migrate_engine(engine)
        print(f"PostgreSQL: seeded {args.rows:,} incidents in {seed(engine, args.rows):.1f} s")
        measure(engine, args.rows, args.runs, "PostgreSQL")
        engine.dispose()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
