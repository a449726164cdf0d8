"""Times and dates at the edge (issue 12, #16): a time only with its time zone, and no
impossible dates: nobody was born before 1900 or in the future, and no event time falls
outside 1900 to 2100. Refusals are 422s naming the field in the officer's words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from station_app.domain.roles import Role
from tests.fixtures.custody import Client, M, booked, iso
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import LiveServer, assert_problem, bearer

NEEDS_ZONE = "must be a date and time with its time zone, for example 2026-11-26T09:40:00Z."


def fields(response: requests.Response) -> dict[str, str]:
    problem = assert_problem(response, 422)
    return {e["field"]: e["message"] for e in problem["errors"]}


@pytest.mark.parametrize(
    "when",
    [
        pytest.param("2026-01-02T10:00:00", id="no zone"),
        pytest.param(1767348000, id="a number"),
        pytest.param("1767348000", id="digits"),
        pytest.param("2026-01-02", id="a date only"),
    ],
)
def test_a_time_without_its_zone_is_refused(live_server: LiveServer, when: object) -> None:
    token = live_server.token_for("frontdesk")

    refused = post(live_server, token, walk_in(occurred_from=when))

    assert fields(refused) == {"occurred_from": f"The start of when it happened {NEEDS_ZONE}"}


def test_a_list_filter_time_needs_its_zone(live_server: LiveServer) -> None:
    token = live_server.token_for("frontdesk")

    for when in ("2026-01-02T10:00:00", "1767348000"):
        response = requests.get(
            f"{live_server.api_url}/incidents",
            params={"reported_from": when},
            headers=bearer(token),
            timeout=10,
        )
        assert list(fields(response)) == ["query.reported_from"]


def test_impossible_dates_are_refused(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    token = server.token_for("frontdesk")
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    witness = {"name": "Perpetua Longlived", "date_of_birth": "6593-03-01"}

    born_later = post(server, token, walk_in(witnesses=[witness]))
    born_1850 = post(
        server, token, walk_in(suspects=[{"name": "Old Suspect", "date_of_birth": "1850-01-01"}])
    )
    born_tomorrow = post(
        server, token, walk_in(reporter={**walk_in()["reporter"], "date_of_birth": tomorrow})
    )
    year_125 = post(server, token, walk_in(occurred_from="0125-06-01T10:00:00Z"))

    assert fields(born_later) == {
        "witnesses.0.date_of_birth": "The date of birth must be between 1900-01-01 and today. "
        "Check the year."
    }
    assert list(fields(born_1850)) == ["suspects.0.date_of_birth"]
    assert list(fields(born_tomorrow)) == ["reporter.date_of_birth"]
    assert fields(year_125) == {
        "occurred_from": "The start of when it happened must be between 1900 and 2100. "
        "Check the year."
    }


def test_impossible_dates_in_custody_and_case_files(live_server: LiveServer) -> None:
    server = live_server
    officer = Client(server, "custody")
    person = {"surname": "Testperson", "forenames": "Alex", "date_of_birth": "0125-01-02"}
    server.create_user("dc-dates", [Role.DETECTIVE])
    detective = bearer(server.token_for("dc-dates"))

    booking = officer.book(person=person)
    record = booked(officer, M * 90)
    entry = officer.add(record["id"], "visit", datetime(6593, 1, 1, tzinfo=UTC))
    case = requests.post(
        f"{server.api_url}/casefiles",
        json={
            "reference": "TST-26-0150",
            "file_type": "anticipated_guilty_plea",
            "hearing_date": "0125-01-01",
            "suspects": [{"name": "R Testwick", "date_of_birth": "6593-01-01"}],
        },
        headers=detective,
        timeout=10,
    )
    requests.post(
        f"{server.api_url}/casefiles",
        json={"reference": "TST-26-0151", "file_type": "anticipated_guilty_plea"},
        headers=detective,
        timeout=10,
    ).raise_for_status()
    witness = requests.post(
        f"{server.api_url}/casefiles/TST-26-0151/documents",
        json={
            "form": "MG11",
            "data": {
                "witness_name": "Perpetua Longlived",
                "address": "1 Test Row, London",
                "date_of_birth": "0125-03-01",
                "statement": "I saw it.",
                "declaration_made": True,
                "signed_by_witness": "P Longlived",
                "statement_date": iso(datetime.now(UTC))[:10],
            },
        },
        headers=detective,
        timeout=10,
    )

    assert list(fields(booking)) == ["person.date_of_birth"]
    assert list(fields(entry)) == ["occurred_at"]
    assert set(fields(case)) == {"hearing_date", "suspects.0.date_of_birth"}
    assert fields(witness)["data.date_of_birth"] == (
        "Date of birth (if under 18) must be between 1900-01-01 and today. Check the year."
    )
