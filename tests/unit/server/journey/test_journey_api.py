"""The journey from report to court over real HTTP, on SQLite and PostgreSQL (issue 10): a
suspect of a walk-in report is arrested and booked in (the custody record linked to the
report through the core, the report's timeline showing the arrest); the charge opens the
case file with everything custody knows and the report's victim and witness; a second charge
adds to it; the court's result updates the case and the report; the crime view shows the
chain as each role may see it; one person is linked in every record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import func, select

from station_app.domain.clock import london
from station_app.server.core.audit import AuditEvent
from station_app.server.core.links import RecordRelation
from station_app.server.custody.models import CustodyRecord
from tests.fixtures.custody import Client as CustodyClient
from tests.fixtures.custody import iso
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.journey import (
    SUSPECT,
    WORDING,
    arrest_and_book_in,
    case_file,
    charge,
    crime_view,
    read_report,
    record_results,
    report_with_suspect,
)
from tests.fixtures.live_server import LiveServer, assert_problem
from tests.fixtures.people import every_record_reader, read


def count(server: LiveServer, model: type) -> int:
    with server.db_session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_arrest_and_book_in_links_the_report_and_puts_the_arrest_on_its_timeline(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    report = report_with_suspect(server)
    custody = CustodyClient(server, "custody")

    # The custody officer reads the report (to arrest from it) and sees the suspect's person.
    seen = read_report(server, report["reference"], "custody")
    assert seen["suspects"][0]["person_id"], seen["suspects"][0]
    booked = arrest_and_book_in(custody, seen)

    assert booked.status_code == 201, booked.text
    record = booked.json()
    assert record["incidents"] == [report["reference"]]
    timeline = read_report(server, report["reference"])["timeline"]
    arrest = [line for line in timeline if line["kind"] == "arrest"]
    assert len(arrest) == 1
    assert record["custody_number"] in arrest[0]["text"]
    assert "Dale Testwick" in arrest[0]["text"]
    assert arrest[0]["data"]["custody_number"] == record["custody_number"]
    with server.db_session() as session:
        noted = session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.record_type == "incident",
                AuditEvent.record_id == report["reference"],
                AuditEvent.action == "update",
            )
        ).all()
    assert noted == [f"arrest noted: custody record {record['custody_number']}"]
    # The detainee is the suspect's person: one person in both records.
    person = read(server, server.token_for("custody"), seen["suspects"][0]["person_id"]).json()
    roles = {(r["record_type"], r["reference"], r["role"]) for r in person["roles"]}
    assert ("incident", report["reference"], "suspect") in roles
    assert ("custody_record", record["custody_number"], "detainee") in roles


def test_a_booking_for_a_report_that_does_not_exist_is_refused_with_nothing_stored(
    live_server: LiveServer,
) -> None:
    report = report_with_suspect(live_server)
    custody = CustodyClient(live_server, "custody")
    records, relations = count(live_server, CustodyRecord), count(live_server, RecordRelation)

    refused = arrest_and_book_in(custody, {**report, "reference": "SW-2026-9999999"})

    body = assert_problem(refused, 422)
    assert body["detail"].startswith("There is no crime report SW-2026-9999999.")
    assert count(live_server, CustodyRecord) == records
    assert count(live_server, RecordRelation) == relations


def test_charging_opens_the_case_file_with_everything_known_and_a_second_charge_adds_to_it(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    report = report_with_suspect(server)
    seen = read_report(server, report["reference"], "custody")
    custody = CustodyClient(server, "custody")
    record = arrest_and_book_in(custody, seen).json()
    hearing_at = (datetime.now(UTC) + timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )

    charged = charge(custody, record["id"], first_hearing=hearing_at)

    assert charged.status_code == 201, charged.text
    after = custody.record(record["id"])
    assert len(after["case_files"]) == 1
    reference = after["case_files"][0]
    case = case_file(server, reference)
    (defendant,) = case["suspects"]
    assert defendant["name"] == SUSPECT["name"]
    assert defendant["date_of_birth"] == SUSPECT["date_of_birth"]
    assert defendant["address"] == SUSPECT["address"]
    assert defendant["person_id"] == seen["suspects"][0]["person_id"]
    assert defendant["charges"] == [{"offence_code": "TH68010", "wording": WORDING}]
    assert defendant["custody_number"] == record["custody_number"]
    booked_in = record["events"][0]["data"]
    assert datetime.fromisoformat(defendant["arrested_at"]) == datetime.fromisoformat(
        booked_in["arrested_at"]
    )
    assert datetime.fromisoformat(defendant["arrived_at"]) == datetime.fromisoformat(
        booked_in["arrived_at"]
    )
    assert defendant["charged_at"] and defendant["after_charge"] == "bail"
    assert (case["officer_username"], case["officer_name"]) == ("detective", "Sam Okafor")
    assert case["court_code"] == "MC-RVS"
    assert case["incident_refs"] == [report["reference"]]
    assert case["custody_refs"] == [record["custody_number"]]
    assert [
        (h["court_code"], datetime.fromisoformat(h["sitting_at"])) for h in case["hearings"]
    ] == [("MC-RVS", hearing_at)]
    # Victim and witness come from the report, as the people the report links.
    people = {(p["role"], p["name"]): p for p in case["people"]}
    assert set(people) == {("victim", "Wilhelmina Ashgrove"), ("witness", "Noor Halloway")}
    assert people[("victim", "Wilhelmina Ashgrove")]["person_id"] == seen["victim"]["person_id"]
    assert people[("witness", "Noor Halloway")]["person_id"] == seen["witnesses"][0]["person_id"]
    timeline = read_report(server, report["reference"])["timeline"]
    (charge_line,) = [line for line in timeline if line["kind"] == "charge"]
    assert reference in charge_line["text"] and "Theft from a shop" in charge_line["text"]

    # A second charge adds to the open case, never a second file.
    second = charge(
        custody,
        record["id"],
        offence={"code": "DMTH005", "label": "Robbery"},
        wording="Robbed the shop assistant.",
    )
    assert second.status_code == 201, second.text
    again = case_file(server, reference)
    assert [c["offence_code"] for c in again["suspects"][0]["charges"]] == ["TH68010", "DMTH005"]
    assert custody.record(record["id"])["case_files"] == [reference]
    assert len(again["hearings"]) == 1


def charged_case(server: LiveServer) -> tuple[dict, dict, str]:
    report = report_with_suspect(server)
    seen = read_report(server, report["reference"], "custody")
    custody = CustodyClient(server, "custody")
    record = arrest_and_book_in(custody, seen).json()
    assert charge(custody, record["id"]).status_code == 201
    reference = custody.record(record["id"])["case_files"][0]
    return report, record, reference


def test_a_court_result_updates_the_case_and_the_report_for_the_victims_letter(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    report, _record, reference = charged_case(server)
    case = case_file(server, reference)

    result = record_results(
        server,
        case,
        [
            {
                "defendant": 1,
                "offence_code": "TH68010",
                "plea": "guilty",
                "outcome": "convicted",
                "sentence": "Community order for 12 months with 80 hours of unpaid work",
            }
        ],
    )

    assert result.status_code == 200, result.text
    (row,) = result.json()["results"]
    assert row["defendant_name"] == "Dale Testwick" and row["offence"] == "Theft from a shop"
    after = case_file(server, reference)
    assert after["status"] == "finalised"
    assert after["events"][-1]["action"] == "result"
    assert "pleaded guilty" in after["events"][-1]["comment"]
    timeline = read_report(server, report["reference"])["timeline"]
    (court,) = [line for line in timeline if line["kind"] == "court_result"]
    assert "Riverside Magistrates' Court" in court["text"]
    assert court["data"]["results"][0]["sentence"].startswith("Community order")
    assert court["data"]["finished"] is True
    # The same result twice is refused: the next hearing takes the next result.
    again = record_results(
        server, after, [{"defendant": 1, "offence_code": "TH68010", "outcome": "withdrawn"}]
    )
    assert_problem(again, 409)


def test_an_adjournment_lists_the_next_hearing_and_bad_results_are_refused_in_words(
    live_server: LiveServer,
) -> None:
    _report, _record, reference = charged_case(live_server)
    case = case_file(live_server, reference)
    later = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)

    missing = record_results(
        live_server,
        case,
        [
            {"defendant": 1, "offence_code": "TH68010", "outcome": "adjourned"},
            {"defendant": 2, "offence_code": "TH68010", "outcome": "withdrawn"},
            {"defendant": 1, "offence_code": "DMTH005", "outcome": "convicted"},
        ],
    )
    body = assert_problem(missing, 422)
    said = {e["field"]: e["message"] for e in body["errors"]}
    assert said["results.0.remand"].startswith("Say whether the defendant was bailed")
    assert said["results.0.next_hearing_at"] == "Enter the date and time of the next hearing."
    assert "there is no defendant 2" in said["results.1.defendant"]
    assert said["results.2.offence_code"].startswith("DMTH005 is not a charge of defendant 1")
    assert "sentence in words" in said["results.2.sentence"]
    assert case_file(live_server, reference)["hearings"][0]["results"] == []

    adjourned = record_results(
        live_server,
        case,
        [
            {
                "defendant": 1,
                "offence_code": "TH68010",
                "plea": "not_guilty",
                "outcome": "adjourned",
                "remand": "bail",
                "next_hearing_at": iso(later),
            }
        ],
    )
    assert adjourned.status_code == 200, adjourned.text
    after = case_file(live_server, reference)
    assert [datetime.fromisoformat(h["sitting_at"]) for h in after["hearings"]][1] == later
    assert after["hearing_date"] == later.astimezone(london()).date().isoformat()
    assert after["status"] == "draft"


def test_the_crime_view_shows_the_chain_as_each_role_may_see_it(live_server: LiveServer) -> None:
    report, record, reference = charged_case(live_server)

    detective = crime_view(live_server, report["reference"], "detective")
    desk = crime_view(live_server, report["reference"], "frontdesk")

    assert detective.status_code == 200, detective.text
    chain = [(r["record_type"], r["reference"], r["shown"]) for r in detective.json()["records"]]
    assert chain[0] == ("incident", report["reference"], True)
    assert ("custody_record", record["custody_number"], False) in chain  # not a detective's
    assert ("casefile", reference, True) in chain
    assert ("hearing", f"{reference}/H1", True) in chain
    by_type = {r["record_type"]: r for r in desk.json()["records"]}
    assert by_type["custody_record"]["shown"] is False
    assert by_type["custody_record"]["reason"] == "Your role does not open custody records."
    assert by_type["casefile"]["shown"] is False
    custody = crime_view(live_server, report["reference"], "custody").json()["records"]
    shown = {r["record_type"]: r for r in custody if r["shown"]}
    assert "Detainee: Dale Testwick" in shown["custody_record"]["lines"]
    assert_problem(crime_view(live_server, "SW-2026-9999999", "detective"), 404)


def test_one_person_is_linked_from_report_to_hearing(live_server: LiveServer) -> None:
    report, record, reference = charged_case(live_server)
    person_id = read_report(live_server, report["reference"])["suspects"][0]["person_id"]

    person = read(live_server, every_record_reader(live_server), person_id).json()

    roles = {(r["record_type"], r["reference"], r["role"]) for r in person["roles"]}
    assert roles >= {
        ("incident", report["reference"], "suspect"),
        ("custody_record", record["custody_number"], "detainee"),
        ("casefile", reference, "defendant"),
        ("hearing", f"{reference}/H1", "defendant"),
    }
    requests.Session().close()


def test_a_charge_naming_an_unknown_officer_or_court_is_refused_with_nothing_stored(
    live_server: LiveServer,
) -> None:
    report = report_with_suspect(live_server)
    seen = read_report(live_server, report["reference"], "custody")
    custody = CustodyClient(live_server, "custody")
    record = arrest_and_book_in(custody, seen).json()

    refused = charge(custody, record["id"], officer_in_case="nobody-here")
    no_court = charge(custody, record["id"], court="MC-NOPE")

    body = assert_problem(refused, 422)
    assert body["detail"].startswith("There is no officer with the user name nobody-here.")
    assert assert_problem(no_court, 422)["errors"] == [
        {"field": "data.court", "message": "Enter a court code from the list."}
    ]
    after = custody.record(record["id"])
    assert [e["kind"] for e in after["events"]] == ["booked_in"] and after["case_files"] == []
    assert [line["kind"] for line in read_report(live_server, report["reference"])["timeline"]] == [
        "created",
        "arrest",
    ]


def test_a_second_suspect_charged_for_the_same_crime_joins_the_open_case_before_its_hearing(
    live_server: LiveServer,
) -> None:
    desk = live_server.token_for("frontdesk")
    second = {"name": "Kit Marlowe-Brent", "date_of_birth": "1996-02-29"}
    made = post(live_server, desk, walk_in(offence_code="TH68010", suspects=[SUSPECT, second]))
    crime = read_report(live_server, made.json()["reference"], "custody")
    custody = CustodyClient(live_server, "custody")
    first_record = arrest_and_book_in(custody, crime).json()
    soon = (datetime.now(UTC) + timedelta(days=2)).replace(hour=10, minute=0, microsecond=0)
    assert charge(custody, first_record["id"], first_hearing=soon).status_code == 201
    other = {**crime, "suspects": crime["suspects"][1:]}
    second_record = arrest_and_book_in(custody, other).json()

    later = charge(custody, second_record["id"], first_hearing=soon + timedelta(days=5))

    assert later.status_code == 201, later.text
    (reference,) = custody.record(first_record["id"])["case_files"]
    assert custody.record(second_record["id"])["case_files"] == [reference]
    case = case_file(live_server, reference)
    assert [s["name"] for s in case["suspects"]] == ["Dale Testwick", "Kit Marlowe-Brent"]
    assert case["custody_refs"] == [first_record["custody_number"], second_record["custody_number"]]
    # The hearing to come is where the second defendant goes too: one hearing, its date.
    assert len(case["hearings"]) == 1
    assert case["hearing_date"] == soon.astimezone(london()).date().isoformat()
