"""A known person kept up to date by the records that link them, over real HTTP on SQLite
and PostgreSQL: a booking or a report that picks a known person at another address gives
them that address from the record's own date and ends the one before on that date; the same
address written another way, or one they lived at before, is not added again; the person
search still finds them at the old address (people.md: old addresses count)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select

from station_app.domain.clock import london
from station_app.server.core.audit import AuditEvent
from tests.fixtures.custody import Client as CustodyClient
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import LiveServer
from tests.fixtures.people import import_index, read, search

SMYTH = {"surname": "Smyth", "forenames": "John Paul", "date_of_birth": "1984-07-02"}


def addresses_of(server: LiveServer, person_id: str) -> list[dict[str, Any]]:
    body = read(server, server.token_for("custody"), person_id).json()
    return [
        {key: entry[key] for key in ("address", "postcode", "date_from", "date_to", "current")}
        for entry in body["addresses"]
    ]


def book(server: LiveServer, days_ago: int, **person: Any) -> dict[str, Any]:
    booked = CustodyClient(server, "custody").book(
        arrived_ago=dt.timedelta(days=days_ago), person={**SMYTH, **person}
    )
    assert booked.status_code == 201, booked.text
    return dict(booked.json())


def local_date(days_ago: int) -> str:
    """The London date of a booking that arrived `days_ago` days ago (the record's time)."""
    arrived = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
    return arrived.astimezone(london()).date().isoformat()


def person_updates(server, person_id: str) -> list[str]:
    """The audit details of the updates written on a person."""
    with server.db_session() as session:
        return list(
            session.scalars(
                select(AuditEvent.detail).where(
                    AuditEvent.record_type == "person",
                    AuditEvent.record_id == person_id,
                    AuditEvent.action == "update",
                )
            )
        )


def test_a_booking_at_a_new_address_moves_the_known_person_and_the_old_one_still_finds_them(
    any_db_live_server: LiveServer, tmp_path: Path
) -> None:
    server = any_db_live_server
    smyth = import_index(server, tmp_path)["T-01"]
    moved_on = local_date(3)

    record = book(server, 3, person_id=smyth, address="3 Kiln Yard, Leeds", postcode="ls2 7ab")

    assert addresses_of(server, smyth) == [
        {
            "address": "3 Kiln Yard, Leeds",
            "postcode": "LS2 7AB",
            "date_from": moved_on,
            "date_to": None,
            "current": True,
        },
        {
            "address": "12 Mill Lane, Leeds",
            "postcode": "LS1 4AB",
            "date_from": None,
            "date_to": moved_on,
            "current": False,
        },
    ]
    # The person was written to, and the audit trail says by which record (no address in it).
    details = person_updates(server, smyth)
    assert details == [f"new current address from custody_record {record['custody_number']}"]

    desk = server.token_for("frontdesk")
    found = search(
        server, desk, surname="Smyth", forenames="John", address="12 Mill Lane", postcode="LS1 4AB"
    ).json()["candidates"]
    assert found[0]["person_id"] == smyth
    assert "lived at this address before" in found[0]["reasons"]
    assert found[0]["addresses"] == [
        "3 Kiln Yard, Leeds LS2 7AB",
        "12 Mill Lane, Leeds LS1 4AB",
    ]


def test_the_same_address_written_another_way_or_an_old_one_is_not_added_again(
    any_db_live_server: LiveServer, tmp_path: Path
) -> None:
    server = any_db_live_server
    smyth = import_index(server, tmp_path)["T-01"]
    held = addresses_of(server, smyth)

    # Case, spaces, commas and the postcode's spacing do not make a new address.
    book(server, 5, person_id=smyth, address="12  MILL lane leeds", postcode="ls14ab")
    book(server, 5, person_id=smyth, address="", postcode="")
    assert addresses_of(server, smyth) == held

    book(server, 4, person_id=smyth, address="3 Kiln Yard, Leeds", postcode="LS2 7AB")
    moved = addresses_of(server, smyth)
    assert len(moved) == 2
    # Booked again at the address they had before, and again at the new one: nothing added.
    book(server, 2, person_id=smyth, address="12 Mill Lane, Leeds", postcode="LS1 4AB")
    book(server, 1, person_id=smyth, address="3 kiln yard, leeds", postcode="LS2 7AB")
    assert addresses_of(server, smyth) == moved


def test_a_report_naming_a_known_person_at_a_new_address_moves_them_from_its_date(
    any_db_live_server: LiveServer, tmp_path: Path
) -> None:
    server = any_db_live_server
    jones = import_index(server, tmp_path)["T-05"]
    desk = server.token_for("frontdesk")
    suspect = {
        "name": "William Jones",
        "date_of_birth": "1975-01-09",
        "address": "61 Bute Street, Cardiff",
        "postcode": "CF10 5AA",
        "person_id": jones,
    }
    report = post(server, desk, walk_in(suspects=[suspect]))
    assert report.status_code == 201, report.text
    reported_on = (
        dt.datetime.fromisoformat(report.json()["reported_at"]).astimezone(london()).date()
    )

    current, old = addresses_of(server, jones)
    assert (current["address"], current["date_from"], current["current"]) == (
        "61 Bute Street, Cardiff",
        reported_on.isoformat(),
        True,
    )
    assert (old["address"], old["date_to"], old["current"]) == (
        "22 Station Road, Cardiff",
        reported_on.isoformat(),
        False,
    )


def aliases_of(server: LiveServer, person_id: str) -> list[tuple[str, str]]:
    body = read(server, server.token_for("custody"), person_id).json()
    return [(alias["surname"], alias["forenames"]) for alias in body["aliases"]]


def test_a_known_person_booked_under_another_name_is_known_by_it_at_the_next_search(
    any_db_live_server: LiveServer, tmp_path: Path
) -> None:
    server = any_db_live_server
    people = import_index(server, tmp_path)
    smyth, marsh = people["T-01"], people["T-13"]
    desk = server.token_for("frontdesk")
    before = search(server, desk, surname="Quillfeather", forenames="Jonty").json()
    assert smyth not in [found["person_id"] for found in before["candidates"]]

    record = book(server, 2, person_id=smyth, surname="Quillfeather", forenames="Jonty")

    assert aliases_of(server, smyth) == [("Quillfeather", "Jonty")]
    found = search(server, desk, surname="Quillfeather", forenames="Jonty").json()
    assert found["candidates"][0]["person_id"] == smyth
    details = person_updates(server, smyth)
    assert details == [f"alias from custody_record {record['custody_number']}"]

    # The alias again however written, their own name, one of their forenames, or an accent
    # and case away from it: nothing added.
    book(server, 1, person_id=smyth, surname="QUILLFEATHER", forenames=" jonty ")
    book(server, 1, person_id=smyth, surname="Smyth", forenames="John Paul")
    book(server, 1, person_id=smyth, surname="smyth", forenames="Paul")
    book(server, 1, person_id=smyth, surname="Smÿth", forenames="Jöhn")
    assert aliases_of(server, smyth) == [("Quillfeather", "Jonty")]

    # An alias imported with the person counts as a name they are known by.
    book(server, 1, person_id=marsh, surname="Marsh", forenames="Peggy", date_of_birth=None)
    assert aliases_of(server, marsh) == [("Marsh", "Peggy")]
