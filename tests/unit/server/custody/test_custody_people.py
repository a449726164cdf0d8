"""The booking-in person search over real HTTP: people booked in before, found by name
prefixes in any order and by date of birth, ranked, limited, role-checked and audited;
the index it runs on, and the migration that fills it from records already kept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import requests
from sqlalchemy import func, select, text

from station_app.domain.custody_people import parse_people_query
from station_app.server.core.audit import AuditEvent
from station_app.server.core.db import alembic_config, make_engine
from station_app.server.custody.people import search_query
from tests.fixtures.custody import Client, booked
from tests.fixtures.live_server import LiveServer, assert_problem

H = timedelta(hours=1)


def person(surname: str, forenames: str, born: str, **more: Any) -> dict[str, Any]:
    return {"surname": surname, "forenames": forenames, "date_of_birth": born, **more}


def search(client: Client, q: str) -> requests.Response:
    return requests.get(client.url("/people"), params={"q": q}, headers=client.headers, timeout=10)


def names(client: Client, q: str) -> list[str]:
    response = search(client, q)
    assert response.status_code == 200, response.text
    return [f"{p['surname']}, {p['forenames']}" for p in response.json()["people"]]


def test_search_ranks_matches_any_order_and_date_of_birth(any_db_live_server: LiveServer) -> None:
    sergeant = Client(any_db_live_server, "custody")
    booked(sergeant, 9 * H, person=person("Bracken", "Sam", "1970-07-07"))
    booked(sergeant, 8 * H, person=person("Brackenridge", "Alex", "1990-03-12", address="1 Old Rd"))
    booked(sergeant, 7 * H, person=person("Brackenbury", "Jo", "1985-01-01"))
    booked(sergeant, 6 * H, person=person("Hale", "Bracken Lee", "1979-05-05"))
    again = booked(
        sergeant,
        5 * H,
        person=person("BRACKENRIDGE", "Alex", "1990-03-12", address="2 New St", postcode="ZZ1 1ZZ"),
    )

    # Surname typed in full first (however old), then surnames begun (newest first), then
    # forenames; the same person booked twice is one person with the latest details.
    assert names(sergeant, "bracken") == [
        "Bracken, Sam",
        "BRACKENRIDGE, Alex",
        "Brackenbury, Jo",
        "Hale, Bracken Lee",
    ]
    assert names(sergeant, "alex brack") == names(sergeant, "BRACK alex") == ["BRACKENRIDGE, Alex"]
    assert names(sergeant, "lee hale") == ["Hale, Bracken Lee"]
    assert names(sergeant, "12/03/1990") == ["BRACKENRIDGE, Alex"]
    assert names(sergeant, "brack 1985-01-01") == ["Brackenbury, Jo"]
    assert names(sergeant, "brackenridge 01/01/1985") == []
    assert names(sergeant, "brack 12/0") == names(sergeant, "brack")  # a date half typed
    assert names(sergeant, "-- ..") == []

    found = search(sergeant, "brackenr").json()["people"][0]
    assert found["address"] == "2 New St" and found["postcode"] == "ZZ1 1ZZ"
    assert found["date_of_birth"] == "1990-03-12" and found["bookings"] == 2
    assert found["last_custody_number"] == again["custody_number"]
    assert found["last_record_id"] == again["id"] and found["last_booked_at"]

    body = assert_problem(search(sergeant, "bracken 31/02/1990"), 422)
    assert "no such date as 31/02/1990" in body["detail"]


def test_at_most_ten_and_roles(live_server: LiveServer) -> None:
    sergeant = Client(live_server, "custody")
    for number in range(12):
        booked(sergeant, H, person=person("Quenby", f"Number {number}", f"19{50 + number}-02-03"))
    assert len(names(sergeant, "quenby")) == 10
    for username in ("inspector", "superintendent", "admin"):
        assert len(names(Client(live_server, username), "quenby num")) == 10
    body = assert_problem(search(Client(live_server, "detective"), "quenby"), 403)
    assert "read custody records" in body["detail"]
    assert_problem(search(sergeant, ""), 422)


def test_each_search_is_audited_with_who_was_shown(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    sergeant = Client(server, "custody")
    record = booked(sergeant, H, person=person("Aldwinckle", "Pat", "1966-06-06"))

    def audit_rows() -> list[AuditEvent]:
        with server.db_session() as session:
            query = select(AuditEvent).where(AuditEvent.record_type == "custody_person_search")
            return list(session.scalars(query.order_by(AuditEvent.id)))

    before = len(audit_rows())
    assert names(sergeant, "aldw") == ["Aldwinckle, Pat"]
    rows = audit_rows()
    assert len(rows) == before + 1
    row = rows[-1]
    assert (row.action, row.username, row.workstation) == ("read", "custody", "ws-custody")
    assert row.record_id == record["custody_number"]
    assert "Aldwinckle, Pat" in row.detail and "'aldw'" in row.detail
    assert names(sergeant, "nobodyatallhere") == []
    assert len(audit_rows()) == before + 2  # a search that finds nobody is still audited


def test_the_search_uses_the_indexes(live_server: LiveServer) -> None:
    engine = make_engine(live_server.database_url)
    try:
        with engine.connect() as connection:
            for q in ("brack alex", "12/03/1990"):
                statement = search_query(parse_people_query(q)).compile(
                    engine, compile_kwargs={"literal_binds": True}
                )
                plan = " ".join(
                    str(row[-1])
                    for row in connection.execute(text(f"EXPLAIN QUERY PLAN {statement}"))
                )
                assert "SCAN custody_person_name" not in plan, plan
                assert "SEARCH" in plan and "INDEX" in plan, plan
    finally:
        engine.dispose()


def test_the_migration_indexes_people_already_booked_in(live_server: LiveServer) -> None:
    from alembic import command

    engine = make_engine(live_server.database_url)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "custody@-1")  # the people index goes...
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")  # ...and comes back from the demo records
        with engine.connect() as connection:
            count = connection.execute(select(func.count()).select_from(text("custody_person")))
            assert count.scalar_one() >= 3
    finally:
        engine.dispose()
    found = search(Client(live_server, "custody"), "okonkwo tam").json()["people"]
    assert [p["surname"] for p in found] == ["Okonkwo-Bright"]
    assert found[0]["last_custody_number"].startswith("SW-")
