"""Person search: look up the blocking keys of what was typed (keys.py), take the union of
the people they bring, capped, score each with the match model (scoring.py) and answer the
best first (shared/docs/people.md). Everything is read by index: the keys by the
(key, person) primary key, people and their details by id; never a scan of every person.

People merged into another are found by their own names and addresses, and answered as the
person they were merged into.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, func, select, text
from sqlalchemy.orm import Session

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


@lru_cache(maxsize=64)
def _probe_sql(count: int) -> TextClause:
    """One statement for `count` keys: each key's people (an index range on the (key, person)
    primary key, with its own limit), all together. Written out once per number of keys:
    building it with the expression language each time cost more than running it."""
    parts = [
        f'SELECT person_id FROM (SELECT person_id FROM person_key WHERE "key" = :key{n} '
        f"LIMIT :limit{n}) AS probe{n}"
        for n in range(count)
    ]
    return text(" UNION ALL ".join(parts))


def candidate_ids(
    session: Session, probes: Sequence[Probe], cap: int = MAX_CANDIDATES
) -> list[int]:
    """The people the keys bring, those more keys agree on first, at most `cap`."""
    if not probes:
        return []
    values: dict[str, Any] = {}
    for n, probe in enumerate(probes):
        values[f"key{n}"], values[f"limit{n}"] = probe.key, probe.limit
    found = session.connection().execute(_probe_sql(len(probes)), values).scalars()
    hits = Counter(int(person_id) for person_id in found)
    return [person_id for person_id, _count in hits.most_common(cap)]


def _survivors(session: Session, ids: Sequence[int]) -> dict[int, int]:
    """person id -> the id of the person they count as now (merges followed)."""
    parent: dict[int, int] = {}
    ask = set(ids)
    for _ in range(MAX_MERGE_DEPTH):
        if not ask:
            break
        rows = (
            session.connection()
            .execute(
                select(Person.id, Person.merged_into_id).where(
                    Person.id.in_(ask), Person.merged_into_id.is_not(None)
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
)


def held_people(session: Session, ids: Sequence[int]) -> dict[int, HeldPerson]:
    """What Station holds of each candidate, as the person they count as now (merges
    followed): their names, aliases, dates of birth and addresses, with those of everyone
    merged into them. Keyed by that person's id."""
    connection = session.connection()
    rows = {
        row.id: row
        for row in connection.execute(select(*_PERSON_COLUMNS).where(Person.id.in_(ids)))
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
            for row in connection.execute(select(*_PERSON_COLUMNS).where(Person.id.in_(missing)))
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
            PersonAlias.person_id.in_(every)
        )
    ):
        held[owner[person_id]].names.append(HeldName(surname, forenames, alias=True))
    addresses = connection.execute(
        select(
            PersonAddress.person_id,
            PersonAddress.address,
            PersonAddress.postcode,
            PersonAddress.date_from,
            PersonAddress.date_to,
        )
        .where(PersonAddress.person_id.in_(every))
        .order_by(PersonAddress.person_id, PersonAddress.id)
    )
    by_person: dict[int, list[tuple[str, str, dt.date | None, dt.date | None]]] = {}
    for person_id, address, postcode, date_from, date_to in addresses:
        by_person.setdefault(person_id, []).append((address, postcode, date_from, date_to))
    for person_id, dated in by_person.items():
        for address, postcode, current in _with_current(dated):
            held[owner[person_id]].addresses.append(HeldAddress(address, postcode, current))
    return held


def _with_current(
    rows: Sequence[tuple[str, str, dt.date | None, dt.date | None]],
) -> list[tuple[str, str, bool]]:
    """Which of one person's addresses they live at now: the last one not ended (the one
    with the latest start, or the last written down when none has dates)."""
    open_rows = [index for index, row in enumerate(rows) if row[3] is None]
    if not open_rows:
        return [(address, postcode, False) for address, postcode, _f, _t in rows]
    latest = max(open_rows, key=lambda index: (rows[index][2] or dt.date.min, index))
    return [
        (address, postcode, index == latest)
        for index, (address, postcode, _from, _to) in enumerate(rows)
    ]


def people_held(session: Session) -> int:
    """About how many people are held: the highest person number (the primary key's last
    entry, not a count of every row)."""
    return int(session.connection().execute(select(func.max(Person.id))).scalar() or 0)


def search(
    session: Session,
    query: SearchQuery,
    limit: int,
    model: MatchModel | None = None,
    held_count: int | None = None,
) -> list[Scored]:
    """The people most likely to be the one searched for, best first, at most `limit`."""
    model = model or match_model()
    probes = search_probes(query.surname, query.forenames, query.date_of_birth, query.postcode)
    ids = candidate_ids(session, probes)
    if not ids:
        return []
    held = held_people(session, ids)
    count = held_count if held_count is not None else people_held(session)
    scored = [score(model, query, person, count) for person in held.values() if person.names]
    scored.sort(key=lambda found: (-found.weight, found.person_id))
    return scored[:limit]
