"""The incidents API over real HTTP on SQLite and PostgreSQL: numbering, idempotency,
If-Match, validation in the officer's words, duplicates, the list, audit rows and roles."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from station_app.domain.roles import Role
from station_app.server.core.audit import AuditEvent
from station_app.server.incidents.models import Incident
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import LiveServer, assert_problem, bearer


def count_incidents(server: LiveServer) -> int:
    with server.db_session() as session:
        return int(session.scalar(select(func.count(Incident.id))) or 0)


def test_a_report_gets_a_reference_with_station_and_year_and_the_same_key_gives_it_back(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    token = server.token_for("frontdesk")
    before = count_incidents(server)
    key = uuid.uuid4().hex
    first = post(server, token, walk_in(), key)
    assert first.status_code == 201, first.text
    body = first.json()
    year = datetime.now(UTC).year
    assert body["reference"].startswith(f"SW-{year}-")
    assert body["status"] == "reported"
    assert body["reporter"]["postcode"] == "SE1 9QX"  # normalised (formats.md)
    assert body["victim_is_reporter"] is True
    assert body["officer_name"] == "Priya Natarajan" and body["officer_number"] == "S300112"
    assert body["station"]["phone"] == "020 7946 0101"
    assert first.headers["ETag"] == '"1"'
    again = post(server, token, walk_in(), key)  # sent again: its answer was lost
    assert again.status_code == 200
    assert again.json()["reference"] == body["reference"]
    assert count_incidents(server) == before + 1
    other = post(server, token, walk_in(), uuid.uuid4().hex)
    assert other.status_code == 201
    assert other.json()["reference"] != body["reference"]


def test_problems_name_the_fields_in_the_officers_words(live_server: LiveServer) -> None:
    token = live_server.token_for("frontdesk")
    before = count_incidents(live_server)
    response = post(
        live_server,
        token,
        walk_in(
            location_postcode="QQ1 1AA",
            offence_code="NOPE999",
            victim_is_reporter=False,
            victim={"name": "", "postcode": "12345"},
        ),
    )
    body = assert_problem(response, 422)
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert "not a UK postcode format" in fields["location_postcode"]
    assert "not a UK postcode format" in fields["victim.postcode"]
    assert fields["victim.name"] == "Enter the victim's name."
    assert "not in the offence list" in fields["offence_code"]
    assert count_incidents(live_server) == before


def test_a_stale_version_gets_409_and_a_missing_one_428(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    token = server.token_for("frontdesk")
    created = post(server, token, walk_in()).json()
    url = f"{server.api_url}/incidents/{created['reference']}"
    headers = {**bearer(token), "If-Match": '"1"'}
    edited = requests.put(
        url, json=walk_in(account="Corrected account."), headers=headers, timeout=10
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 2 and edited.headers["ETag"] == '"2"'
    stale = requests.put(url, json=walk_in(account="Old view."), headers=headers, timeout=10)
    assert "Someone else changed" in assert_problem(stale, 409)["detail"]
    missing = requests.put(url, json=walk_in(), headers=bearer(token), timeout=10)
    assert_problem(missing, 428)
    assert (
        requests.get(url, headers=bearer(token), timeout=10).json()["account"]
        == "Corrected account."
    )


def test_status_workflow_follows_the_role_rules(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    created = post(server, server.token_for("frontdesk"), walk_in()).json()
    url = f"{server.api_url}/incidents/{created['reference']}/status"
    assert created["allowed_statuses"] == ["recorded", "transferred"]
    desk = {**bearer(server.token_for("frontdesk")), "If-Match": '"1"'}
    refused = requests.post(
        url, json={"status": "no_crime", "reason": "x"}, headers=desk, timeout=10
    )
    assert "Your role cannot" in assert_problem(refused, 403)["detail"]
    recorded = requests.post(url, json={"status": "recorded"}, headers=desk, timeout=10)
    assert recorded.status_code == 200, recorded.text
    body = recorded.json()
    assert body["status"] == "recorded" and body["recorded_at"] is not None
    assert [e["kind"] for e in body["timeline"]] == ["created", "status"]
    detective = {**bearer(server.token_for("detective")), "If-Match": '"2"'}
    back = requests.post(url, json={"status": "transferred"}, headers=detective, timeout=10)
    assert "cannot be moved" in assert_problem(back, 409)["detail"]
    closed = requests.post(url, json={"status": "closed"}, headers=detective, timeout=10)
    assert closed.json()["status"] == "closed"
    note = requests.post(
        f"{server.api_url}/incidents/{created['reference']}/notes",
        json={"text": "Victim told of the outcome by phone."},
        headers=bearer(server.token_for("detective")),
        timeout=10,
    )
    assert note.json()["timeline"][-1]["text"] == "Victim told of the outcome by phone."


def test_possible_duplicates_are_a_warning_not_an_error(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    token = server.token_for("frontdesk")
    first = post(server, token, walk_in()).json()
    assert first["warnings"] == []
    same_victim = post(server, token, walk_in(location_postcode="", location_address="Elsewhere"))
    assert same_victim.status_code == 201
    assert same_victim.json()["warnings"] == [
        {"reference": first["reference"], "reason": "Same victim name and date of birth."}
    ]
    same_place = post(server, token, walk_in(reporter={"name": "Someone Else Entirely"})).json()
    reasons = {w["reference"]: w["reason"] for w in same_place["warnings"]}
    assert reasons[first["reference"]] == "Same postcode and offence within 7 days."
    other_offence = post(
        server, token, walk_in(reporter={"name": "Third Person"}, offence_code="DMTH001")
    ).json()
    assert other_offence["warnings"] == []


def test_the_list_filters_sorts_and_pages_on_the_server(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    token = server.token_for("frontdesk")
    mark = uuid.uuid4().hex[:8]
    made = [
        post(server, token, walk_in(account=f"Case {mark} number {n}", flags=flags)).json()
        for n, flags in enumerate([["hate_crime"], [], ["hate_crime", "injury"], []])
    ]
    url = f"{server.api_url}/incidents"
    headers = bearer(server.token_for("detective"))

    def page(**params: Any) -> dict[str, Any]:
        response = requests.get(url, params=params, headers=headers, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    first = page(q=mark, limit=3)
    assert [i["reference"] for i in first["items"]] == [m["reference"] for m in made[::-1][:3]]
    assert first["has_more"] is True
    second = page(q=mark, limit=3, offset=3)
    assert [i["reference"] for i in second["items"]] == [made[0]["reference"]]
    assert second["has_more"] is False
    hate = page(q=mark, flag="hate_crime", sort="reported_at")
    assert [i["reference"] for i in hate["items"]] == [made[0]["reference"], made[2]["reference"]]
    assert len(page(q=f"{mark} wilhelmina", station="SW")["items"]) == 4
    another_station = {"q": mark, "station": "KN"}  # not the detective's (core/stations.py)
    assert_problem(requests.get(url, params=another_station, headers=headers, timeout=10), 403)
    assert len(page(q=made[1]["reference"])["items"]) == 1
    assert page(q=mark, status="recorded")["items"] == []
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert page(q=mark, reported_from=tomorrow)["items"] == []
    # The demo seed has reports 30 and 50 hours old still waiting for a decision.
    overdue = page(decision_overdue="true")["items"]
    assert overdue and all(i["decision_overdue"] for i in overdue)
    assert_problem(requests.get(url, params={"sort": "victim"}, headers=headers, timeout=10), 422)


def test_every_read_is_audited(live_server: LiveServer) -> None:
    token = live_server.token_for("frontdesk")
    created = post(live_server, token, walk_in()).json()
    reference = created["reference"]
    reader = bearer(live_server.token_for("supervisor"), "DESK-9")
    requests.get(f"{live_server.api_url}/incidents/{reference}", headers=reader, timeout=10)
    requests.get(
        f"{live_server.api_url}/incidents", params={"q": "ashgrove"}, headers=reader, timeout=10
    )
    with live_server.db_session() as session:
        rows = session.scalars(
            select(AuditEvent).where(
                AuditEvent.record_type == "incident", AuditEvent.username == "supervisor"
            )
        ).all()
    reads = [r for r in rows if r.action == "read"]
    assert [(r.action, r.record_id, r.workstation) for r in reads] == [
        ("read", reference, "DESK-9"),
        ("read", "list", "DESK-9"),
    ]
    assert "text=ashgrove" in reads[1].detail
    # The demo supervisor works at Kennington and covers Southwark: both reads are also
    # audited as cross-station (core/stations.py).
    crossed = {(r.record_id, r.detail) for r in rows if r.action == "cross_station"}
    assert (reference, "read it at SW; works at KN; allowed: covers SW") in crossed
    assert any(record_id == "list" and "SW" in detail for record_id, detail in crossed)


@pytest.mark.parametrize(
    ("role", "can_read", "can_create"),
    [
        (Role.FRONT_DESK, True, True),
        (Role.DETECTIVE, True, False),
        (Role.SUPERVISOR, True, False),
        (Role.ADMIN, True, False),
        # The custody officer reads reports to arrest and book in from them (issue 10).
        (Role.CUSTODY_OFFICER, True, False),
        (Role.INSPECTOR, False, False),
    ],
)
def test_roles(live_server: LiveServer, role: Role, can_read: bool, can_create: bool) -> None:
    live_server.create_user(f"only-{role.value}", [role])
    token = live_server.token_for(f"only-{role.value}")
    listed = requests.get(f"{live_server.api_url}/incidents", headers=bearer(token), timeout=10)
    assert listed.status_code == (200 if can_read else 403)
    created = post(live_server, token, walk_in())
    if can_create:
        assert created.status_code == 201
    else:
        assert "cannot take or edit crime reports" in assert_problem(created, 403)["detail"]
