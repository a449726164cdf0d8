"""People from the records that name them, over real HTTP on SQLite and PostgreSQL: a
walk-in report's people become people linked by their role; booking in and a case file
link a known person the officer picked; corrections keep each person; an unknown person
is refused with nothing stored; a person's timeline shows every role; reads are audited."""

from __future__ import annotations

from typing import Any

import requests
from sqlalchemy import func, select

from station_app.server.core.audit import AuditEvent
from station_app.server.core.links import RecordLink
from station_app.server.custody.models import CustodyRecord
from station_app.server.people.models import Person
from tests.fixtures.custody import Client as CustodyClient
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import LiveServer, assert_problem, bearer
from tests.fixtures.people import every_record_reader, read, search

SUSPECT = {
    "name": "Dale Testwick",
    "date_of_birth": "1993-08-14",
    "address": "4 Lamplighter Street, London",
    "postcode": "SE1 7QP",
    "description": "Man, about 30, grey hooded top",
}
WITNESS = {"name": "Noor Halloway", "date_of_birth": "1988-01-30"}
MG11 = {
    "witness_name": "Ines Marwood",
    "over_18": True,
    "address": "1 Tithe Place, Exeter",
    "statement": "I saw a man take two bottles from the shelf and leave.",
    "declaration_made": True,
    "signed_by_witness": "Ines Marwood",
    "statement_date": "2026-11-30",
}


def count_people(server: LiveServer) -> int:
    with server.db_session() as session:
        return int(session.scalar(select(func.count(Person.id))) or 0)


def roles_of(server: LiveServer, token: str, person_id: str) -> list[tuple[str, str, str]]:
    body = read(server, token, person_id).json()
    return [(r["record_type"], r["reference"], r["role"]) for r in body["roles"]]


def case_body(reference: str, **suspect: Any) -> dict[str, Any]:
    return {
        "reference": reference,
        "file_type": "anticipated_guilty_plea",
        "suspects": [
            {"name": "Dale Testwick", "charges": [{"offence_code": "TH68010"}], **suspect}
        ],
    }


def test_one_person_from_report_to_custody_to_case_file(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    desk = server.token_for("frontdesk")
    before = count_people(server)

    report = post(server, desk, walk_in(suspects=[SUSPECT], witnesses=[WITNESS])).json()
    crime = report["reference"]

    # One person per appearance: the reporter (also the victim), the suspect, the witness.
    assert count_people(server) == before + 3
    found = search(server, desk, surname="Testwick", forenames="Dale").json()["candidates"]
    dale = found[0]["person_id"]
    assert found[0]["refs"] == [crime]
    assert found[0]["addresses"] == ["4 Lamplighter Street, London SE1 7QP"]
    reporter = search(server, desk, surname="Ashgrove", forenames="Wilhelmina").json()
    assert roles_of(server, desk, reporter["candidates"][0]["person_id"]) == [
        ("incident", crime, "reporting_person"),
        ("incident", crime, "victim"),
    ]

    # Booking in the person the custody officer picked links them; no new person.
    custody = CustodyClient(server, "custody")
    booked = custody.book(
        person={
            "surname": "Testwick",
            "forenames": "Dale",
            "date_of_birth": "1993-08-14",
            "person_id": dale,
        }
    )
    assert booked.status_code == 201, booked.text
    number = booked.json()["custody_number"]

    # The case file's defendant is the same person; an MG11 witness is a new one.
    detective = bearer(server.token_for("detective"))
    case = requests.post(
        f"{server.api_url}/casefiles",
        json=case_body("TST-26-0100", person_id=dale),
        headers=detective,
        timeout=10,
    )
    assert case.status_code == 201, case.text
    assert case.json()["suspects"][0]["person_id"] == dale
    statement = requests.post(
        f"{server.api_url}/casefiles/TST-26-0100/documents",
        json={"form": "MG11", "data": MG11},
        headers=detective,
        timeout=10,
    )
    assert statement.status_code == 201, statement.text
    assert count_people(server) == before + 4

    body = read(server, every_record_reader(server), dale).json()
    assert [(r["record_type"], r["reference"], r["role"]) for r in body["roles"]] == [
        ("incident", crime, "suspect"),
        ("custody_record", number, "detainee"),
        ("casefile", "TST-26-0100", "defendant"),
    ]
    assert [r["role_title"] for r in body["roles"]] == ["Suspect", "Detainee", "Defendant"]
    assert [r["record_title"] for r in body["roles"]] == [
        "crime report",
        "custody record",
        "case file",
    ]
    assert all(r["found"] is True for r in body["roles"])
    assert body["refs"] == [crime, number, "TST-26-0100"]
    assert body["description"] == "Man, about 30, grey hooded top"
    assert body["merged_into"] is None and body["merged_people"] == []
    # The front desk reads reports only: the custody record and the case are left out.
    at_desk = read(server, desk, dale).json()
    assert [r["record_type"] for r in at_desk["roles"]] == ["incident"]
    assert at_desk["refs"] == [crime] and at_desk["roles_not_shown"] == 2


def test_a_correction_keeps_each_person_and_drops_the_link_of_someone_taken_out(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    desk = server.token_for("frontdesk")
    created = post(server, desk, walk_in(suspects=[SUSPECT], witnesses=[WITNESS]))
    crime, version = created.json()["reference"], created.headers["ETag"]
    witness = search(server, desk, surname="Halloway", forenames="Noor").json()["candidates"][0]
    before = count_people(server)

    corrected = walk_in(suspects=[{**SUSPECT, "name": "Dale Testwicke"}], witnesses=[])
    answer = requests.put(
        f"{server.api_url}/incidents/{crime}",
        json=corrected,
        headers={**bearer(desk), "If-Match": version},
        timeout=10,
    )

    assert answer.status_code == 200, answer.text
    assert count_people(server) == before  # corrected in place; nobody new, nobody deleted
    found = search(server, desk, surname="Testwicke", forenames="Dale").json()["candidates"]
    assert found[0]["surname"] == "Testwicke" and found[0]["refs"] == [crime]
    assert roles_of(server, desk, witness["person_id"]) == []  # no longer in the report
    with server.db_session() as session:
        links = session.scalars(
            select(RecordLink.role).where(RecordLink.reference == crime).order_by(RecordLink.role)
        ).all()
    assert links == ["reporting_person", "suspect", "victim"]


def test_an_unknown_person_is_refused_and_nothing_is_stored(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    custody = CustodyClient(server, "custody")
    with server.db_session() as session:
        records = session.scalar(select(func.count(CustodyRecord.id)))
    people = count_people(server)

    refused = custody.book(
        person={"surname": "Testwick", "forenames": "Dale", "person_id": "P-999999"}
    )

    body = assert_problem(refused, 422)
    assert body["detail"].startswith("There is no person P-999999.")
    with server.db_session() as session:
        assert session.scalar(select(func.count(CustodyRecord.id))) == records
    assert count_people(server) == people


def test_reading_a_person_is_audited_and_an_unknown_one_is_404(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    token = server.token_for("custody")
    with server.db_session() as session:
        first = session.scalars(select(Person.id).order_by(Person.id)).first()
    person_id = f"P-{first:06d}"

    found = read(server, token, person_id)
    missing = read(server, token, "P-999999")
    nonsense = read(server, token, "nobody")

    assert found.status_code == 200
    assert found.json()["person_id"] == person_id
    assert assert_problem(missing, 404)["detail"] == (
        "There is no person P-999999. Check the person number (it looks like P-000123)."
    )
    assert_problem(nonsense, 404)
    with server.db_session() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.record_type == "person")).all()
    assert [(r.action, r.record_id, r.username) for r in rows] == [("read", person_id, "custody")]


def test_the_demo_tells_the_story_of_one_person_in_five_records(live_server: LiveServer) -> None:
    token = every_record_reader(live_server)

    found = search(live_server, token, surname="Pemberton", forenames="Dale").json()
    person = read(live_server, token, found["candidates"][0]["person_id"]).json()

    assert len(found["candidates"]) == 1  # merged by the demo supervisor: one person
    assert [(r["record_type"], r["role"]) for r in person["roles"]] == [
        ("incident", "suspect"),
        ("custody_record", "detainee"),
        ("casefile", "defendant"),
        # At court (issue 10): the first hearing's result adjourned the case to a second.
        ("hearing", "defendant"),
        ("hearing", "defendant"),
    ]
    assert all(r["found"] for r in person["roles"])
    assert "SW-26-0142" in person["refs"]
    assert len(person["merged_people"]) == 2 and person["merges"][0]["merged_by"] == "supervisor"


def test_a_different_name_in_a_slot_is_a_new_person_and_the_first_keeps_their_record(
    live_server: LiveServer,
) -> None:
    desk = live_server.token_for("frontdesk")
    created = post(live_server, desk, walk_in(suspects=[SUSPECT]))
    crime, version = created.json()["reference"], created.headers["ETag"]
    dale = search(live_server, desk, surname="Testwick", forenames="Dale").json()["candidates"]

    replaced = requests.put(
        f"{live_server.api_url}/incidents/{crime}",
        json=walk_in(suspects=[{"name": "Priya Quennell", "date_of_birth": "1991-05-05"}]),
        headers={**bearer(desk), "If-Match": version},
        timeout=10,
    )

    assert replaced.status_code == 200, replaced.text
    still = read(live_server, desk, dale[0]["person_id"]).json()
    assert (still["surname"], still["forenames"]) == ("Testwick", "Dale")  # not renamed
    assert still["roles"] == []
    quennell = search(live_server, desk, surname="Quennell", forenames="Priya").json()
    assert quennell["candidates"][0]["refs"] == [crime]


def test_an_mg11_witness_picked_from_the_people_index_is_linked_to_that_person(
    any_db_live_server: LiveServer,
) -> None:
    """Issue 10: an MG11's witness (or victim making a statement) picked by "known person?"
    is linked to that person, not made again; an unknown person is refused, nothing stored."""
    server = any_db_live_server
    desk = server.token_for("frontdesk")
    report = post(server, desk, walk_in(witnesses=[WITNESS])).json()
    found = search(server, desk, surname="Halloway", forenames="Noor").json()["candidates"]
    noor = found[0]["person_id"]
    detective = bearer(server.token_for("detective"))
    case = requests.post(
        f"{server.api_url}/casefiles",
        json=case_body("TST-26-0110"),
        headers=detective,
        timeout=10,
    )
    assert case.status_code == 201, case.text
    people = count_people(server)
    statement = {**MG11, "witness_name": "Noor Halloway", "person_id": noor}
    saved = requests.post(
        f"{server.api_url}/casefiles/TST-26-0110/documents",
        json={"form": "MG11", "data": statement},
        headers=detective,
        timeout=10,
    )
    assert saved.status_code == 201, saved.text
    assert count_people(server) == people  # linked, not made again
    assert roles_of(server, every_record_reader(server), noor) == [
        ("incident", report["reference"], "witness"),
        ("casefile", "TST-26-0110", "witness"),
    ]

    documents = len(
        requests.get(f"{server.api_url}/casefiles/TST-26-0110", headers=detective, timeout=10)
        .json()
        .get("documents", [])
    )
    for wrong, says in (("P-999999", "There is no person P-999999."), ("Noor", "person")):
        refused = requests.post(
            f"{server.api_url}/casefiles/TST-26-0110/documents",
            json={"form": "MG11", "data": {**statement, "person_id": wrong}},
            headers=detective,
            timeout=10,
        )
        body = assert_problem(refused, 422)
        assert says in body["detail"] + str(body.get("errors")), body
    after = requests.get(f"{server.api_url}/casefiles/TST-26-0110", headers=detective, timeout=10)
    assert len(after.json().get("documents", [])) == documents
