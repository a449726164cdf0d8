"""The person view answers only what the caller's roles read (issue 10), over real HTTP on
SQLite and PostgreSQL: the demo's Dale Pemberton is in a crime report, a custody record, a
case file and two court hearings, and each role gets the lines of the record types it reads
(each record type's `readers`, the same rule as the crime view), with the number held back.
The search's `refs` stay every reference naming the person (shared/docs/people.md)."""

from __future__ import annotations

from typing import Any

import pytest

from station_app.domain.roles import Role
from tests.fixtures.live_server import LiveServer
from tests.fixtures.people import read, search

CASE = "SW-26-0142"
HEARINGS = [f"{CASE}/H1", f"{CASE}/H2"]


def demo_person(server: LiveServer, username: str) -> tuple[dict[str, Any], dict[str, Any]]:
    token = server.token_for(username)
    found = search(server, token, surname="Pemberton", forenames="Dale").json()["candidates"]
    answer = read(server, token, found[0]["person_id"])
    assert answer.status_code == 200, answer.text
    return found[0], answer.json()


def kinds(person: dict[str, Any]) -> list[str]:
    return [r["record_type"] for r in person["roles"]]


@pytest.mark.parametrize(
    ("username", "shown", "not_shown"),
    [
        # The custody suite reads reports (to arrest from) and custody records.
        ("custody", ["incident", "custody_record"], 3),
        # The front desk reads reports only.
        ("frontdesk", ["incident"], 4),
        # A detective reads reports, case files and hearings; not custody records.
        ("detective", ["incident", "casefile", "hearing", "hearing"], 1),
    ],
)
def test_a_person_read_holds_only_the_records_the_role_reads(
    any_db_live_server: LiveServer, username: str, shown: list[str], not_shown: int
) -> None:
    candidate, person = demo_person(any_db_live_server, username)

    assert kinds(person) == shown
    assert person["roles_not_shown"] == not_shown
    references = {r["reference"] for r in person["roles"]}
    readable_case = "casefile" in shown
    assert (CASE in references) is readable_case
    assert (CASE in person["refs"]) is readable_case
    assert all((h in person["refs"]) is readable_case for h in HEARINGS)
    # The search is the public contract: every reference naming the person, whoever asks.
    assert CASE in candidate["refs"]


def test_a_user_with_both_roles_reads_the_whole_timeline(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    server.create_user("cid-custody", [Role.DETECTIVE, Role.CUSTODY_OFFICER])

    _candidate, person = demo_person(server, "cid-custody")

    assert kinds(person) == ["incident", "custody_record", "casefile", "hearing", "hearing"]
    assert person["roles_not_shown"] == 0
    assert [r["reference"] for r in person["roles"]][2:] == [CASE, *HEARINGS]
