"""Loading synthetic people (bench/people_synth.py) straight into the people tables, in bulk,
with the blocking keys the server would give them (server/people/keys.py). For the
evaluation and the benchmark only: the server's own writes go through its store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from sqlalchemy import Engine, insert

from bench.people_synth import Person
from station_app.server.people.keys import person_keys
from station_app.server.people.models import Person as PersonRow
from station_app.server.people.models import PersonAddress, PersonAlias, PersonKey, PersonRef

CHUNK = 5000
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def person_id(person: Person, first_id: int) -> int:
    return first_id + person.number


def _rows(people: list[Person], first_id: int) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {
        "person": [],
        "address": [],
        "alias": [],
        "key": [],
        "ref": [],
    }
    for person in people:
        pid = person_id(person, first_id)
        rows["person"].append(
            {
                "id": pid,
                "surname": person.surname,
                "forenames": person.forenames,
                "date_of_birth": person.date_of_birth,
                "gender": person.gender,
                "description": "",
                "pnc_id": None,
                "cro": None,
                "markers": [],
                "merged_into_id": None,
                "origin_record_type": "import",
                "origin_reference": f"synthetic-{person.number}",
                "origin_slot": "row",
                "duplicates_checked_at": None,
                "version": 1,
                "created_at": NOW,
                "created_by": "bench",
                "updated_at": NOW,
            }
        )
        rows["ref"].append({"person_id": pid, "ref": f"synthetic-{person.number}"})
        for address in person.addresses:
            rows["address"].append(
                {
                    "person_id": pid,
                    "address": address.address,
                    "postcode": address.postcode,
                    "date_from": address.date_from,
                    "date_to": address.date_to,
                }
            )
        for surname, forenames in person.aliases:
            rows["alias"].append({"person_id": pid, "surname": surname, "forenames": forenames})
        names = [(person.surname, person.forenames), *person.aliases]
        postcodes = [address.postcode for address in person.addresses]
        for key in person_keys(names, person.date_of_birth, postcodes):
            rows["key"].append({"key": key, "person_id": pid})
    return rows


TABLES = {
    "person": PersonRow.__table__,
    "address": PersonAddress.__table__,
    "alias": PersonAlias.__table__,
    "key": PersonKey.__table__,
    "ref": PersonRef.__table__,
}


def _chunks(people: Iterable[Person]) -> Iterator[list[Person]]:
    iterator = iter(people)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _copy(connection: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL COPY of plain rows (JSON as text)."""
    import json

    columns = [column.name for column in table.columns if column.name in rows[0]]
    raw = connection.connection.driver_connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(
                [json.dumps(row[c]) if isinstance(row[c], list) else row[c] for c in columns]
            )


def load(engine: Engine, people: Iterable[Person], first_id: int = 1) -> int:
    """Insert the people (ids first_id + number); the number loaded."""
    loaded = 0
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as connection:
        for chunk in _chunks(people):
            rows = _rows(chunk, first_id)
            for name in ("person", "address", "alias", "ref", "key"):
                if not rows[name]:
                    continue
                if postgres:
                    _copy(connection, TABLES[name], rows[name])
                else:
                    connection.execute(insert(TABLES[name]), rows[name])
            loaded += len(chunk)
        if postgres:
            from sqlalchemy import text

            connection.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('person', 'id'), "
                    "(SELECT max(id) FROM person))"
                )
            )
    return loaded
