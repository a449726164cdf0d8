"""Person search: look up the blocking keys of what was typed (keys.py), take the union of
the people they bring, capped, score each with the match model (scoring.py) and answer the
best first (shared/docs/people.md). Everything is read by index: the keys by the
(key, person) primary key, people and their details by id; never a scan of every person.

People merged into another are found by their own names and addresses, and answered as the
person they were merged into.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Row, TextClause, func, select, text
from sqlalchemy.orm import Session

from station_app.server.core.db import id_in
from station_app.server.people.compare import HeldAddress
from station_app.server.people.keys import Probe, search_probes
from station_app.server.people.models import Person, PersonAddress, PersonAlias
from station_app.server.people.scoring import (
    HeldName,
    HeldPerson,
    MatchModel,
    Scored,
    SearchQuery,
    match_model,
    score,
)
from station_app.server.people.store import MAX_MERGE_DEPTH, merged_into

MAX_CANDIDATES = 100
"""How many people a search scores at most: the ones most keys agree on."""


# Counted in the database: the people most keys bring first, and among those the one an
# earlier key brought, then the lower number (the order the count in Python gave).
# Only the `cap` people scored come back, not the hundreds of rows the keys bring.
_COUNTED = " GROUP BY person_id ORDER BY count(*) DESC, min(probe), person_id LIMIT :cap"


@lru_cache(maxsize=64)
def _probe_sql(count: int) -> TextClause:
    """One statement for `count` keys: each key's people (an index range on the (key, person)
    primary key, with its own limit), all together, counted. Written out once per number of
    keys: building it with the expression language each time cost more than running it."""
    parts = [
        f"SELECT person_id, {n} AS probe FROM (SELECT person_id FROM person_key "
        f'WHERE "key" = :key{n} LIMIT :limit{n}) AS probe{n}'
        for n in range(count)
    ]
    return text(f"SELECT person_id FROM ({' UNION ALL '.join(parts)}) AS found{_COUNTED}")


_POSTGRES_PROBES = text(
    "SELECT person_id FROM (SELECT found.person_id, probe.n AS probe "
    "FROM unnest(CAST(:keys AS text[]), CAST(:limits AS integer[])) WITH ORDINALITY "
    "AS probe(key, lim, n) CROSS JOIN LATERAL (SELECT person_id FROM person_key "
    f'WHERE "key" = probe.key LIMIT probe.lim) AS found) AS hits{_COUNTED}'
)
"""The same on PostgreSQL, with every key and limit in two arrays: one statement text for
any number of keys, which psycopg converts once and prepares (a union of forty parts with
eighty parameters was converted again on every search)."""


def candidate_ids(
    session: Session, probes: Sequence[Probe], cap: int = MAX_CANDIDATES
) -> list[int]:
    """The people the keys bring, those more keys agree on first, at most `cap`."""
    if not probes:
        return []
    connection = session.connection()
    values: dict[str, Any] = {"cap": cap}
    if connection.dialect.name == "postgresql":
        values.update(keys=[p.key for p in probes], limits=[p.limit for p in probes])
        statement = _POSTGRES_PROBES
    else:
        for n, probe in enumerate(probes):
            values[f"key{n}"], values[f"limit{n}"] = probe.key, probe.limit
        statement = _probe_sql(len(probes))
    return [int(person_id) for person_id in connection.execute(statement, values).scalars()]


def _survivors(session: Session, ids: Sequence[int]) -> dict[int, int]:
    """person id -> the id of the person they count as now (merges followed)."""
    parent: dict[int, int] = {}
    ask = set(ids)
    dialect = session.get_bind().dialect
    for _ in range(MAX_MERGE_DEPTH):
        if not ask:
            break
        rows = (
            session.connection()
            .execute(
                select(Person.id, Person.merged_into_id).where(
                    id_in(Person.id, ask, dialect), Person.merged_into_id.is_not(None)
                )
            )
            .all()
        )
        for person_id, into in rows:
            if into is not None:
                parent[person_id] = into
        ask = set(parent.values()) - parent.keys()

    def top(person_id: int) -> int:
        for _ in range(MAX_MERGE_DEPTH):
            if person_id not in parent:
                break
            person_id = parent[person_id]
        return person_id

    return {person_id: top(person_id) for person_id in ids}


_PERSON_COLUMNS = (
    Person.id,
    Person.merged_into_id,
    Person.surname,
    Person.forenames,
    Person.date_of_birth,
    Person.markers,
)


@dataclass(frozen=True)
class HeldAddressRow:
    id: int
    address: str
    postcode: str
    date_from: dt.date | None
    date_to: dt.date | None


@dataclass
class Reading:
    """What a search read of its candidates, kept for the answer (people/mapping.py) so
    it is not read twice: `held` for the scoring, keyed by the person each counts as now;
    `rows` (names, date of birth, markers) and `addresses` of those people and of everyone
    merged into them; `members`, who was merged into each."""

    held: dict[int, HeldPerson] = field(default_factory=dict)
    rows: dict[int, Row[int, int | None, str, str, dt.date | None, list[str]]] = field(
        default_factory=dict
    )
    addresses: dict[int, list[HeldAddressRow]] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)


def held_people(session: Session, ids: Sequence[int]) -> dict[int, HeldPerson]:
    """What Station holds of each candidate, as the person they count as now (merges
    followed): their names, aliases, dates of birth and addresses, with those of everyone
    merged into them. Keyed by that person's id."""
    return read_held(session, ids).held


def read_held(session: Session, ids: Sequence[int]) -> Reading:
    """`held_people`, with the rows it was made from."""
    connection = session.connection()
    rows = {
        row.id: row
        for row in connection.execute(
            select(*_PERSON_COLUMNS).where(id_in(Person.id, ids, connection.dialect))
        ).all()
    }
    merged = [person_id for person_id, row in rows.items() if row.merged_into_id is not None]
    tops = _survivors(session, merged) if merged else {}
    survivors = sorted({tops.get(person_id, person_id) for person_id in rows})
    members = merged_into(session, survivors)
    owner = {survivor: survivor for survivor in survivors}
    for survivor, merged_ids in members.items():
        owner.update((member, survivor) for member in merged_ids)
    missing = [person_id for person_id in owner if person_id not in rows]
    if missing:
        rows.update(
            (row.id, row)
            for row in connection.execute(
                select(*_PERSON_COLUMNS).where(id_in(Person.id, missing, connection.dialect))
            ).all()
        )
    held = {survivor: HeldPerson(survivor) for survivor in survivors}
    every = list(owner)
    for person_id in every:
        row = rows[person_id]
        person = held[owner[person_id]]
        alias = person_id != owner[person_id]
        person.names.append(HeldName(row.surname, row.forenames, alias=alias))
        if row.date_of_birth is not None and row.date_of_birth not in person.dates_of_birth:
            person.dates_of_birth.append(row.date_of_birth)
    for person_id, surname, forenames in connection.execute(
        select(PersonAlias.person_id, PersonAlias.surname, PersonAlias.forenames).where(
            id_in(PersonAlias.person_id, every, connection.dialect)
        )
    ).all():
        held[owner[person_id]].names.append(HeldName(surname, forenames, alias=True))
    addresses = connection.execute(
        select(
            PersonAddress.person_id,
            PersonAddress.id,
            PersonAddress.address,
            PersonAddress.postcode,
            PersonAddress.date_from,
            PersonAddress.date_to,
        )
        .where(id_in(PersonAddress.person_id, every, connection.dialect))
        .order_by(PersonAddress.person_id, PersonAddress.id)
    ).all()
    by_person: dict[int, list[HeldAddressRow]] = {person_id: [] for person_id in every}
    for person_id, address_id, address, postcode, date_from, date_to in addresses:
        by_person[person_id].append(
            HeldAddressRow(address_id, address, postcode, date_from, date_to)
        )
    for person_id, dated in by_person.items():
        for line, postcode, current in _with_current(dated):
            held[owner[person_id]].addresses.append(HeldAddress(line, postcode, current))
    return Reading(held, rows, by_person, members)


def _with_current(rows: Sequence[HeldAddressRow]) -> list[tuple[str, str, bool]]:
    """Which of one person's addresses they live at now: the last one not ended (the one
    with the latest start, or the last written down when none has dates)."""
    open_rows = [index for index, row in enumerate(rows) if row.date_to is None]
    if not open_rows:
        return [(row.address, row.postcode, False) for row in rows]
    latest = max(open_rows, key=lambda index: (rows[index].date_from or dt.date.min, index))
    return [(row.address, row.postcode, index == latest) for index, row in enumerate(rows)]


HELD_COUNT_SECONDS = 60.0
"""How long a worker keeps its reading of how many people are held (a prior of the match
model, where a minute's new people change nothing)."""

_held_counts: dict[str, tuple[float, int]] = {}


def people_held(session: Session) -> int:
    """About how many people are held: the highest person number (the primary key's last
    entry, not a count of every row), read again at most once a minute per database."""
    where = str(session.connection().engine.url)
    now = time.monotonic()
    kept = _held_counts.get(where)
    if kept is not None and now - kept[0] < HELD_COUNT_SECONDS:
        return kept[1]
    count = int(session.connection().execute(select(func.max(Person.id))).scalar() or 0)
    _held_counts[where] = (now, count)
    return count


def search(
    session: Session,
    query: SearchQuery,
    limit: int,
    model: MatchModel | None = None,
    held_count: int | None = None,
) -> list[Scored]:
    """The people most likely to be the one searched for, best first, at most `limit`."""
    return search_reading(session, query, limit, model, held_count)[0]


def search_reading(
    session: Session,
    query: SearchQuery,
    limit: int,
    model: MatchModel | None = None,
    held_count: int | None = None,
) -> tuple[list[Scored], Reading]:
    """`search`, with what it read of the people found (for the answer)."""
    model = model or match_model()
    probes = search_probes(query.surname, query.forenames, query.date_of_birth, query.postcode)
    ids = candidate_ids(session, probes)
    if not ids:
        return [], Reading()
    reading = read_held(session, ids)
    count = held_count if held_count is not None else people_held(session)
    people = reading.held.values()
    scored = [score(model, query, person, count) for person in people if person.names]
    scored.sort(key=lambda found: (-found.weight, found.person_id))
    return scored[:limit], reading
