"""Case files over real HTTP: the workflow through the file-drop adapter (with a rejection
and a resend), approval rules, MG6 numbering (more in test_casefiles_disclosure.py),
versions, roles and the audit trail."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from station_app.domain.roles import Role
from station_app.server.auth.feature import FEATURE as AUTH
from station_app.server.casefiles.feature import FEATURE as CASEFILES
from station_app.server.incidents.models import Incident
from station_app.services.api import ApiSession
from station_app.services.casefiles import CasefilesClient
from station_app.services.errors import ConflictError, ForbiddenError, ValidationProblem
from tests.fixtures.live_server import LiveServer, bearer, make_test_settings, sqlite_url
from tests.fixtures.pdfs import small_pdf

GUILTY_PLEA = {
    "reference": "TST-26-0001",
    "file_type": "anticipated_guilty_plea",
    "suspects": [{"name": "Rowan Testwick", "charges": [{"offence_code": "TH68010"}]}],
    "hearing_date": "2026-12-24",
    "court_code": "MC-RVS",
}
MG1 = {
    "defendant_name": "Rowan Testwick",
    "date_of_birth": "1990-02-03",
    "charges_summary": "Theft from a shop",
    "remand_status": "Bail",
    "officer_in_case": "DC Test",
}
MG4 = {
    "defendant_name": "Rowan Testwick",
    "charges": "Theft from a shop",
    "charged_on": "2026-11-20",
    "charging_officer": "PS Test",
}
MG5 = {"summary": "Seen on CCTV taking two bottles.", "officer_name": "DC Test"}


def client_for(server: LiveServer, username: str) -> Iterator[CasefilesClient]:
    with ApiSession(server.url, workstation="test-ws") as session:
        session.token = server.token_for(username)
        yield CasefilesClient(session)


@pytest.fixture
def people(any_db_live_server: LiveServer) -> tuple[LiveServer, CasefilesClient, CasefilesClient]:
    server = any_db_live_server
    server.create_user("dc-test", [Role.DETECTIVE], display_name="DC Test")
    server.create_user("ds-test", [Role.SUPERVISOR], display_name="DS Test")
    detective = ApiSession(server.url, workstation="test-ws")
    detective.token = server.token_for("dc-test")
    supervisor = ApiSession(server.url, workstation="test-ws")
    supervisor.token = server.token_for("ds-test")
    return server, CasefilesClient(detective), CasefilesClient(supervisor)


def use_exchange(server: LiveServer, folder: Path) -> None:
    server.app.state.settings = dataclasses.replace(
        server.app.state.settings, cps_exchange_dir=str(folder)
    )


def acknowledge(folder: Path, submission: str, outcome: str, reasons: list[str]) -> None:
    body = {
        "format": "station-cps-exchange",
        "submission_id": submission,
        "outcome": outcome,
        "reasons": reasons,
    }
    (folder / "inbox").mkdir(parents=True, exist_ok=True)
    (folder / "inbox" / f"{submission}.ack.json").write_text(json.dumps(body))


def complete_guilty_plea(detective: CasefilesClient) -> dict:
    detective.create(GUILTY_PLEA)
    ref = GUILTY_PLEA["reference"]
    detective.add_form(ref, "MG1", MG1)
    detective.add_form(ref, "MG4", MG4)
    detective.add_form(ref, "MG5", MG5)
    detective.attach(ref, "PREVIOUS_CONVICTIONS", "PNC print", small_pdf("No convictions"))
    return detective.case(ref)


def test_the_whole_workflow_through_the_file_drop_with_a_rejection_and_a_resend(
    people: tuple[LiveServer, CasefilesClient, CasefilesClient], tmp_path: Path
) -> None:
    server, detective, supervisor = people
    exchange = tmp_path / "exchange"
    use_exchange(server, exchange)
    ref = GUILTY_PLEA["reference"]
    case = complete_guilty_plea(detective)
    assert case["completeness"]["complete"], case["completeness"]

    case = detective.submit(ref, case["version"])
    case = supervisor.return_to_officer(ref, case["version"], "Add the charging officer's rank.")
    assert case["status"] == "returned"
    assert case["events"][-1]["comment"] == "Add the charging officer's rank."
    mg4 = next(d for d in case["documents"] if d["form"] == "MG4")
    detective.update_form(
        ref, mg4["id"], mg4["version"], "MG4", {**MG4, "charging_officer": "PS 2231 Test"}
    )
    case = detective.submit(ref, detective.case(ref)["version"])
    case = supervisor.approve(ref, case["version"])
    bundle = small_pdf("Bundle one")
    case = supervisor.send(ref, case["version"], bundle)
    assert case["status"] == "sent"

    first = case["submissions"][0]["submission_id"]
    manifest = json.loads((exchange / "outbox" / f"{first}.json").read_text())
    assert (exchange / "outbox" / f"{first}.pdf").read_bytes() == bundle
    assert manifest["bundle"]["sha256"] == hashlib.sha256(bundle).hexdigest()
    assert manifest["case"]["reference"] == ref
    assert {d["form"] for d in manifest["documents"]} == {
        "MG1",
        "MG4",
        "MG5",
        "PREVIOUS_CONVICTIONS",
    }
    pnc = next(d for d in manifest["documents"] if d["form"] == "PREVIOUS_CONVICTIONS")
    assert pnc["sha256"] == hashlib.sha256(small_pdf("No convictions")).hexdigest()
    assert not list((exchange / "outbox").glob(".partial-*"))

    acknowledge(exchange, first, "rejected", ["The MG5 does not mention the CCTV exhibit."])
    applied = supervisor.collect_acknowledgements()
    assert [(a["reference"], a["outcome"]) for a in applied] == [(ref, "rejected")]
    case = detective.case(ref)
    assert case["status"] == "rejected"
    assert case["submissions"][0]["reasons"] == ["The MG5 does not mention the CCTV exhibit."]
    assert (exchange / "inbox" / "processed" / f"{first}.ack.json").exists()

    mg5 = next(d for d in case["documents"] if d["form"] == "MG5")
    detective.update_form(
        ref,
        mg5["id"],
        mg5["version"],
        "MG5",
        {**MG5, "summary": "Seen on CCTV (exhibit JT/1) taking two bottles."},
    )
    case = detective.submit(ref, detective.case(ref)["version"])
    case = supervisor.approve(ref, case["version"])
    case = supervisor.send(ref, case["version"], small_pdf("Bundle two"))
    second = case["submissions"][1]["submission_id"]
    assert second != first and case["events"][-1]["comment"] == "resent"

    acknowledge(exchange, second, "accepted", [])
    supervisor.collect_acknowledgements()
    assert detective.case(ref)["status"] == "accepted"


def test_an_incomplete_file_cannot_be_approved_without_an_override(
    people: tuple[LiveServer, CasefilesClient, CasefilesClient],
) -> None:
    _server, detective, supervisor = people
    ref = GUILTY_PLEA["reference"]
    case = detective.create(GUILTY_PLEA)
    assert case["completeness"]["missing_count"] == 4
    case = detective.submit(ref, case["version"])

    with pytest.raises(ConflictError, match="missing 4 items"):
        supervisor.approve(ref, case["version"])
    with pytest.raises(ForbiddenError, match="Detective"):
        detective.approve(ref, case["version"], "I say so")
    case = supervisor.approve(ref, case["version"], "First hearing tomorrow; MG5 follows.")

    assert case["status"] == "approved"
    assert case["override_reason"] == "First hearing tomorrow; MG5 follows."
    with pytest.raises(ConflictError, match="Ask the administrator"):
        supervisor.send(ref, case["version"], small_pdf("x"))  # no exchange folder set


def test_schedule_items_are_numbered_on_their_schedules_and_a_nil_mg6d_must_be_signed(
    people: tuple[LiveServer, CasefilesClient, CasefilesClient],
) -> None:
    _server, detective, _supervisor = people
    ref = "TST-26-0002"
    detective.create({**GUILTY_PLEA, "reference": ref, "file_type": "anticipated_not_guilty_plea"})
    officer = {"disclosure_officer": "DC Test"}
    first = detective.add_form(
        ref, "MG6C", officer, items=[{"description": "Crime report"}, {"description": "999 call"}]
    )
    with pytest.raises(ValidationProblem, match="must be signed"):
        detective.add_form(ref, "MG6D", {**officer, "nil": True})
    detective.add_form(ref, "MG6D", {**officer, "nil": True, "signed_by": "DC Test"})
    later = detective.add_form(ref, "MG6C", officer, items=[{"description": "CCTV log"}])
    grown = detective.update_form(
        ref,
        first["id"],
        first["version"],
        "MG6C",
        officer,
        items=[*first["data"]["items"], {"description": "Draft statement of N Brook"}],
    )

    assert [i["number"] for i in first["data"]["items"]] == [1, 2]
    assert [i["number"] for i in later["data"]["items"]] == [3]
    assert [i["number"] for i in grown["data"]["items"]] == [1, 2, 4]
    with pytest.raises(ValidationProblem, match="does not belong"):
        detective.update_form(
            ref,
            later["id"],
            later["version"],
            "MG6C",
            officer,
            items=[{"number": 1, "description": "stolen number"}],
        )
    items = {i["id"]: i["status"] for i in detective.completeness(ref)["items"]}
    assert items["mg6c"] == "done" and items["mg6d"] == "done" and items["mg6e"] == "missing"
    report = {"disclosure_officer": "DC Test", "report": "Item 4 may assist the defence."}
    # CPS Disclosure Manual ch.10: by schedule and number (each schedule numbers its own).
    with pytest.raises(ValidationProblem, match="no item 9 on this case's MG6C"):
        detective.add_form(ref, "MG6E", {**report, "undermining_items": "MG6C 4, MG6C 9"})
    detective.add_form(ref, "MG6E", {**report, "undermining_items": "MG6C 4"})
    assert detective.completeness(ref)["complete"] is False  # the MG1 and others still due


def test_stale_versions_roles_and_audited_reads(
    people: tuple[LiveServer, CasefilesClient, CasefilesClient],
) -> None:
    server, detective, supervisor = people
    case = detective.create(GUILTY_PLEA)
    ref = GUILTY_PLEA["reference"]
    doc = detective.add_form(ref, "MG5", MG5)
    detective.update_form(ref, doc["id"], doc["version"], "MG5", {**MG5, "summary": "Newer."})

    with pytest.raises(ConflictError, match="Someone else changed"):
        detective.update_form(ref, doc["id"], doc["version"], "MG5", MG5)
    with pytest.raises(ConflictError, match="Someone else changed"):
        detective.submit(ref, case["version"])
    with pytest.raises(ForbiddenError):
        supervisor.add_form(ref, "MG5", MG5)
    with pytest.raises(ValidationProblem) as refused:
        detective.add_form(ref, "MG11", {"witness_name": "A"})
    assert "statement of truth" in refused.value.field_errors["data.declaration_made"]
    supervisor.case(ref)

    token = server.token_for("admin")
    events = requests.get(
        f"{server.api_url}/audit",
        params={"record_type": "casefile"},
        headers=bearer(token),
        timeout=10,
    ).json()["events"]
    reads = [(e["username"], e["action"]) for e in events if e["record_id"] == ref]
    assert ("ds-test", "read") in reads and ("dc-test", "create") in reads
    mine, total = detective.list_cases(mine=True)
    assert [c.reference for c in mine] == [ref] and total == 1
    assert mine[0].missing_count == 3
    front_desk = requests.get(
        f"{server.api_url}/casefiles", headers=bearer(server.token_for("frontdesk")), timeout=10
    )
    assert front_desk.status_code == 403


def test_the_rules_file_is_served_as_the_file_standard_dataset(live_server: LiveServer) -> None:
    token = live_server.token_for("detective")

    response = requests.get(
        f"{live_server.api_url}/reference/file_standard", headers=bearer(token), timeout=10
    )

    rows = {row["code"]: row for row in response.json()["rows"]}
    rules = json.loads(rows["_rules"]["attributes"]["rules_json"])
    assert rows["_rules"]["attributes"]["version"] == rules["version"] == "2025.2"
    assert rows["mg2"]["attributes"]["needed_for_anticipated_not_guilty_plea"] == (
        "special_measures_needed"
    )
    assert rows["mg7"]["attributes"]["needed_for_remand"] == "always"
    assert len(rows) == len(rules["items"]) + 1


def test_links_resolve_whichever_of_incidents_and_custody_is_installed(
    live_server: LiveServer,
) -> None:
    from sqlalchemy import inspect, text

    known: dict[str, str | None] = {}
    with live_server.db_session() as db:
        inspector = inspect(db.connection())
        for table, column in (("incident", "reference"), ("custody_record", "custody_number")):
            if inspector.has_table(table):
                known[table] = db.execute(text(f"SELECT {column} FROM {table} LIMIT 1")).scalar()
            else:
                known[table] = None
    live_server.create_user("dc-links", [Role.DETECTIVE])
    with ApiSession(live_server.url, workstation="test") as session:
        session.token = live_server.token_for("dc-links")
        refs = {"incident_refs": ["NO-SUCH-CRIME"], "custody_refs": ["NO-SUCH-CUSTODY"]}
        for table, key in (("incident", "incident_refs"), ("custody_record", "custody_refs")):
            if known[table]:
                refs[key].append(str(known[table]))
        case = CasefilesClient(session).create({**GUILTY_PLEA, **refs})

    for table, field, answer in (
        ("incident", "incident_refs", "incidents"),
        ("custody_record", "custody_refs", "custody_records"),
    ):
        found = {link["reference"]: link["found"] for link in case[answer]}
        example = known[table]
        if example:  # the feature is installed and has a record: looked up for real
            assert found == {refs[field][0]: False, example: True}
        else:  # not installed (None) or no record to find (False): never an error
            assert found[refs[field][0]] in (None, False)


def test_without_the_incidents_and_custody_features_links_are_not_known_here(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """A server made of case files alone (core/links.py): the references are kept and
    shown as not known here (found None), never looked up in another feature's tables."""
    database = tmp_path / "station.db"
    shutil.copyfile(sqlite_template, database)
    server = LiveServer(make_test_settings(sqlite_url(database)), features=(AUTH, CASEFILES))
    server.start()
    try:
        with server.db_session() as db:
            crime = db.scalars(select(Incident.reference).limit(1)).one()
        server.create_user("dc-alone", [Role.DETECTIVE])
        with ApiSession(server.url, workstation="test") as session:
            session.token = server.token_for("dc-alone")
            case = CasefilesClient(session).create(
                {**GUILTY_PLEA, "incident_refs": [crime], "custody_refs": ["SW-26-00871"]}
            )
    finally:
        server.close()

    assert case["incidents"] == [{"reference": crime, "found": None}]
    assert case["custody_records"] == [{"reference": "SW-26-00871", "found": None}]
