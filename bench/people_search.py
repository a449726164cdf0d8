"""Person search over 1,000,000 synthetic people: p95 of POST /api/v1/people/search through
the real server (target < 50 ms), on SQLite and on PostgreSQL when it is reachable. The
server is `station-server serve` in a process of its own, as a force runs it: in this
process its threads and the timing client would share one interpreter lock, which no
workstation does (a server thread here added 15-25 ms to both the search and the lookup).

The baseline, timed interleaved in the same run, is an indexed exact lookup: GET
/api/v1/people/{person_id} of the person searched for (primary key, with its audit row, like
the search). Both are also timed in process, without HTTP: the store's `search` against a
select of one person by primary key. Searches are corrupted copies of held people (typing
errors, sound-alikes, nicknames, swapped names, dates of birth with slips, old addresses,
missing fields: bench/people_synth.py).

    python bench/people_search.py [--people 1000000] [--searches 300] [--rebuild]
                                  [--postgres-url URL] [--no-postgres] [--no-sqlite]
                                  [--drop-postgres]

The people are built once and kept for the next run (a SQLite file in the user's cache
folder; a schema `bench_people_<n>` on PostgreSQL) while the generator and the keys are
unchanged; --rebuild builds them again, --drop-postgres drops the schema afterwards.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.engine import make_url

from bench._common import report, serving, timed_ms, warm_file, warm_postgres
from bench.people_load import load
from bench.people_synth import SEED, Population, queries
from station_app.domain.roles import Role
from station_app.server.auth.passwords import hash_password
from station_app.server.auth.store import add_user
from station_app.server.core.db import make_engine, make_session_factory, migrate_engine
from station_app.server.core.identity import User
from station_app.server.people.keys import person_keys, search_probes
from station_app.server.people.models import (
    Person,
    PersonAddress,
    PersonAlias,
    PersonKey,
    PersonRef,
)
from station_app.server.people.scoring import SearchQuery
from station_app.server.people.search import candidate_ids, search

PASSWORD = "Bench-Password-1"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SAMPLE = 20_000  # searches are made for people among the first SAMPLE held
TARGET_MS = 50.0


def fingerprint(people: int) -> str:
    """Changes when the people or their keys would come out differently (the generator, the
    name lists, the keys, the folding): then the data is built again."""
    digest = hashlib.sha256(str(people).encode())
    for person in Population(SEED).people(2000):
        names = [(person.surname, person.forenames), *person.aliases]
        postcodes = [address.postcode for address in person.addresses]
        digest.update(repr(person).encode())
        digest.update(
            " ".join(sorted(person_keys(names, person.date_of_birth, postcodes))).encode()
        )
    return f"bench:{people}:{digest.hexdigest()[:16]}"


def prepare(url: str, people: int, rebuild: bool) -> None:
    """The people, built unless the same build is already there; a front-desk user."""
    engine = make_engine(url)
    marker = fingerprint(people)
    try:
        migrate_engine(engine)
        with make_session_factory(engine)() as session:
            built = session.scalar(select(PersonRef.person_id).where(PersonRef.ref == marker))
            if built is None or rebuild:
                print(f"  building {people:,} people (once; kept for the next run)...", flush=True)
                started = time.perf_counter()
                for table in (PersonKey, PersonRef, PersonAddress, PersonAlias, Person):
                    session.execute(delete(table))
                session.commit()
                load(engine, Population(SEED).people(people))
                session.add(PersonRef(person_id=1, ref=marker))
                session.commit()
                # Statistics for the planner; on PostgreSQL also the visibility map a freshly
                # loaded table lacks (autovacuum's work on a live server), so the key lookups
                # can be index-only.
                with engine.connect() as connection:
                    connection = connection.execution_options(isolation_level="AUTOCOMMIT")
                    postgres = engine.dialect.name == "postgresql"
                    connection.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))
                print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
            if session.scalar(select(User.id).where(User.username == "bench")) is None:
                add_user(
                    session,
                    username="bench",
                    password_hash=hash_password(PASSWORD),
                    display_name="Bench Desk",
                    staff_number="B0001",
                    rank="PC",
                    station_code="SW",
                    roles=[Role.FRONT_DESK],
                )
                session.commit()
    finally:
        engine.dispose()


def run(name: str, url: str, people: int, searches: int) -> None:
    print(f"{name}: person search over {people:,} people", flush=True)
    if make_url(url).get_backend_name() == "sqlite":
        warm_file(url)
    else:
        warm_postgres(url)
    sample = list(Population(SEED).people(SAMPLE))
    from bench.people_eval import as_search, nickname_table  # the evaluation's own reading

    asked = queries(Population(SEED + 7), sample, max(1, searches // 15), nickname_table())
    asked = asked[:searches]
    engine = make_engine(url)
    session = make_session_factory(engine)()
    held = int(session.scalar(select(func.max(Person.id))) or 0)
    with (
        tempfile.TemporaryDirectory(prefix="people-bench-") as folder,
        serving(url, Path(folder), quiet=True) as server_url,
    ):
        http = requests.Session()
        token = http.post(
            f"{server_url}/api/v1/auth/login",
            json={"username": "bench", "password": PASSWORD},
            timeout=30,
        ).json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        # The 20,000 sample people and their searches live to the end: out of the collector's
        # way, as the server's start-up objects are (core/factory.ready_to_serve), so a full
        # collection in the timing client does not land on one of the timings.
        gc.collect()
        gc.freeze()
        searched, looked_up, store_search, store_lookup, candidates = [], [], [], [], []
        search_cpu: list[float] = []  # this process's CPU time: what a busy machine cannot add
        right = 0
        for round_number, query in enumerate(asked):
            target = f"P-{query.target + 1:06d}"
            body = {
                "surname": query.surname,
                "forenames": query.forenames,
                "date_of_birth": query.date_of_birth.isoformat() if query.date_of_birth else None,
                "address": query.address,
                "postcode": query.postcode,
            }
            answers: list[requests.Response] = []

            def ask(
                body: dict[str, object] = body, answers: list[requests.Response] = answers
            ) -> None:
                answers.append(http.post(f"{server_url}/api/v1/people/search", json=body))

            def exact(target: str = target) -> None:
                http.get(f"{server_url}/api/v1/people/{target}").raise_for_status()

            typed: SearchQuery = as_search(query)

            def in_process(typed: SearchQuery = typed) -> None:
                started = time.process_time()
                search(session, typed, 10, held_count=held)
                search_cpu.append((time.process_time() - started) * 1000)

            def by_key(number: int = query.target + 1) -> None:
                session.execute(select(Person).where(Person.id == number)).scalar_one()
                session.expunge_all()

            # Interleaved, the order alternating, so both see the same machine.
            pairs = [(searched, ask), (looked_up, exact)]
            pairs += [(store_search, in_process), (store_lookup, by_key)]
            if round_number % 2:
                pairs.reverse()
            for samples, action in pairs:
                samples.append(timed_ms(action))
            found = answers[-1].json()["candidates"]
            right += bool(found) and found[0]["person_id"] == target
            probes = search_probes(
                typed.surname, typed.forenames, typed.date_of_birth, typed.postcode
            )
            candidates.append(len(candidate_ids(session, probes)))
    gc.unfreeze()
    session.close()
    engine.dispose()
    warm = 10  # the first few pay for connections and caches
    report(
        f"  HTTP POST /people/search vs GET /people/{{id}} ({len(asked) - warm} searches)",
        searched[warm:],
        looked_up[warm:],
        TARGET_MS,
    )
    report(
        "  in process: search() vs select of one person by primary key",
        store_search[warm:],
        store_lookup[warm:],
        TARGET_MS,
    )
    cpu = sorted(search_cpu[warm:])
    print(
        f"  in process, CPU time of search() alone: p50 {statistics.median(cpu):.2f} ms, "
        f"p95 {cpu[round(0.95 * len(cpu)) - 1]:.2f} ms (wall time above includes waiting for "
        "a shared CPU)"
    )
    print(
        f"  candidates scored per search: median {statistics.median(candidates):.0f}, "
        f"max {max(candidates)}; right person first: {right / len(asked):.1%}",
        flush=True,
    )


def postgres_reachable(url: str) -> bool:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--postgres-url", default=os.environ.get("STATION_BENCH_POSTGRES_URL"))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--drop-postgres", action="store_true")
    args = parser.parse_args()

    import platformdirs

    cache = Path(platformdirs.user_cache_dir("station-bench"))
    cache.mkdir(parents=True, exist_ok=True)
    sqlite = f"sqlite:///{cache / f'people-{args.people}.db'}"
    if not args.no_sqlite:
        prepare(sqlite, args.people, args.rebuild)
        run("SQLite", sqlite, args.people, args.searches)

    if args.no_postgres:
        return
    base = args.postgres_url or DEFAULT_POSTGRES
    if not postgres_reachable(base):
        print(f"PostgreSQL: not reachable at {make_url(base)!r}; skipped")
        return
    schema = f"bench_people_{args.people}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    scoped = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    url = scoped.render_as_string(hide_password=False)
    try:
        prepare(url, args.people, args.rebuild)
        run("PostgreSQL", url, args.people, args.searches)
    finally:
        if args.drop_postgres:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
