"""A case file opened or changed by hand is linked to the crime reports and custody records it
names through the core's links, as a charge links them (issue 10), over real HTTP on SQLite
and PostgreSQL: it shows in the report's crime view at once, a reference taken out by an edit
takes its link with it, a charge for that crime adds to that case, and the open case for a
crime is found through the links' index, never by reading every case file's lists."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from tests.fixtures.custody import Client as CustodyClient
from tests.fixtures.explain import postgres_plan, selects_sent
from tests.fixtures.journey import (
    arrest_and_book_in,
    case_file,
    charge,
    crime_view,
    read_report,
    report_with_suspect,
)
from tests.fixtures.live_server import (
    LiveServer,
    bearer,
)


def open_case(server: LiveServer, reference: str, **refs: list[str]) -> requests.Response:
    body = {
        "reference": reference,
        "file_type": "anticipated_guilty_plea",
        "suspects": [
            {
                "name": "Dale Testwick",
                "date_of_birth": "1993-08-14",
                "charges": [{"offence_code": "TH68010"}],
            }
        ],
        **refs,
    }
    return requests.post(
        f"{server.api_url}/casefiles",
        json=body,
        headers=bearer(server.token_for("detective"), "CID-1"),
        timeout=10,
    )


def change_case(server: LiveServer, case: dict[str, Any], **fields: Any) -> requests.Response:
    body = {
        "file_type": case["file_type"],
        "incident_refs": case["incident_refs"],
        "custody_refs": case["custody_refs"],
        "suspects": case["suspects"],
        **fields,
    }
    headers = bearer(server.token_for("detective"), "CID-1")
    headers["If-Match"] = f'"{case["version"]}"'
    return requests.put(
        f"{server.api_url}/casefiles/{case['reference']}", json=body, headers=headers, timeout=10
    )


def chain_of(server: LiveServer, crime: str, username: str = "detective") -> list[tuple[str, str]]:
    answer = crime_view(server, crime, username)
    assert answer.status_code == 200, answer.text
    return [(r["record_type"], r["reference"]) for r in answer.json()["records"]]


def test_a_case_opened_by_hand_shows_in_its_reports_crime_view_and_leaves_it_when_edited_out(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    crime = report_with_suspect(server)["reference"]
    other = report_with_suspect(server)["reference"]
    record = arrest_and_book_in(
        CustodyClient(server, "custody"), read_report(server, other, "custody")
    ).json()
    number = record["custody_number"]

    opened = open_case(server, "TST-26-0300", incident_refs=[crime], custody_refs=[number])

    assert opened.status_code == 201, opened.text
    chain = chain_of(server, crime)
    assert ("casefile", "TST-26-0300") in chain
    assert ("custody_record", number) in chain  # named on the case: linked through it
    shown = {r["reference"]: r for r in crime_view(server, crime, "detective").json()["records"]}
    assert shown["TST-26-0300"]["shown"] and shown["TST-26-0300"]["relation"] == "crime"
    assert ("casefile", "TST-26-0300") in chain_of(server, other)  # by its custody record

    # An edit that names the other report instead takes the first report's link back.
    changed = change_case(
        server, case_file(server, "TST-26-0300"), incident_refs=[other], custody_refs=[]
    )

    assert changed.status_code == 200, changed.text
    assert ("casefile", "TST-26-0300") not in chain_of(server, crime)
    assert [r for r in chain_of(server, other) if r[0] in ("casefile", "custody_record")] == [
        ("custody_record", number),  # its own arrest
        ("casefile", "TST-26-0300"),  # the case names the report now, not the custody record
    ]


def test_a_charge_for_a_crime_whose_case_was_opened_by_hand_adds_to_that_case(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    report = report_with_suspect(server)
    assert open_case(server, "TST-26-0310", incident_refs=[report["reference"]]).status_code == 201
    custody = CustodyClient(server, "custody")
    record = arrest_and_book_in(custody, read_report(server, report["reference"], "custody"))

    charged = charge(custody, record.json()["id"])

    assert charged.status_code == 201, charged.text
    assert custody.record(record.json()["id"])["case_files"] == ["TST-26-0310"]
    case = case_file(server, "TST-26-0310")
    assert case["custody_refs"] == [record.json()["custody_number"]]
    assert [s["name"] for s in case["suspects"]] == ["Dale Testwick"]  # the same defendant
    missing = requests.get(
        f"{server.api_url}/casefiles/{record.json()['custody_number']}-CF",
        headers=bearer(server.token_for("detective"), "CID-1"),
        timeout=10,
    )
    assert missing.status_code == 404  # no second file opened for the charge


SCAN = re.compile(r"(Seq Scan|Index Scan|Index Only Scan)(?: Backward)?(?: using \w+)? on (\w+)")


def reads_whole(plan: str, table: str) -> bool:
    """Whether the plan reads `table` whole: a sequential scan, or an index walked without
    an index condition (in id order, say, with every row filtered)."""
    lines = plan.splitlines()
    for number, line in enumerate(lines):
        found = SCAN.search(line)
        if found is None or found.group(2) != table:
            continue
        if found.group(1) == "Seq Scan":
            return True
        details = []
        for detail in lines[number + 1 :]:
            if "->" in detail:
                break
            details.append(detail)
        if not any("Index Cond" in detail for detail in details):
            return True
    return False


@pytest.mark.postgres
def test_a_charge_finds_the_open_case_without_reading_every_case_file(
    postgres_live_server: LiveServer,
) -> None:
    """The case a charge adds to is found through the links' index (record_relation), not by
    a LIKE over the text of every case file's lists (PostgreSQL plans, seq scans off)."""
    server = postgres_live_server
    report = report_with_suspect(server)
    assert open_case(server, "TST-26-0320", incident_refs=[report["reference"]]).status_code == 201
    custody = CustodyClient(server, "custody")
    record = arrest_and_book_in(custody, read_report(server, report["reference"], "custody"))
    engine = server.app.state.engine
    with selects_sent(engine, lambda statement: "case_file" in statement) as captured:
        assert charge(custody, record.json()["id"]).status_code == 201

    assert captured
    whole: list[str] = []
    for statement, parameters in captured:
        plan = postgres_plan(engine, statement, parameters)
        if reads_whole(plan, "case_file"):
            whole.append(f"{statement}\n{plan}")
    assert whole == [], "\n--\n".join(whole)
