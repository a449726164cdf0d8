"""Text Station cannot store is refused at the edge (issue 12, #4 #5 #10): a lone surrogate,
a NUL, or a control character where a field is one line, in any body, query, path or
header of any route, is a 422 naming the field; nothing is stored, so every record stays
readable. Free text keeps its new lines and tabs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest
import requests
from sqlalchemy import select

from station_app.domain.roles import Role
from station_app.server.core.audit import AuditEvent
from station_app.server.core.deps import PUBLIC
from tests.fixtures.custody import Client, M, booked
from tests.fixtures.live_server import LiveServer, assert_problem, bearer
from tests.fixtures.openapi_samples import (
    field,
    json_body_schema,
    operations,
    parameters,
    replaced,
    sample,
    schema_types,
    text_places,
)

CANNOT_STORE = "has characters Station cannot store. Retype them or remove them."
LONE_SURROGATE = "x\ud800y"
NUL = "x\x00y"


def spec_of(server: LiveServer) -> dict[str, Any]:
    response = requests.get(f"{server.api_url}/openapi.json", timeout=10)
    response.raise_for_status()
    spec: dict[str, Any] = response.json()
    return spec


def url_of(server: LiveServer, template: str, **values: str) -> str:
    path = template
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return server.url + path.replace("{document_id}", "1").replace("{record_id}", "1")


def fill_path(template: str) -> str:
    return (
        template.replace("{reference}", "TST-26-0142")
        .replace("{name}", "stations")
        .replace("{document_id}", "1")
        .replace("{record_id}", "1")
        .replace("{person_id}", "P-000001")
    )


# Path parameters the router matches by their form (station_app/server/people/router.py): a
# value of another form is no such address, a 404, before any check of its characters.
ROUTED_BY_FORM = {"person_id"}


def test_every_text_field_of_every_body_refuses_what_station_cannot_store(
    live_server: LiveServer,
) -> None:
    server = live_server
    server.create_user("edge-all", list(Role))
    headers = bearer(server.token_for("edge-all"))
    spec = spec_of(server)
    checked: list[str] = []
    for method, template, operation in operations(spec):
        schema = json_body_schema(operation)
        if schema is None:
            continue
        body = sample(spec, schema)
        places = list(text_places(body))
        assert places, (method, template)
        cleans_itself = operation.get("x-station-cleans-its-own-text", False)
        for place in places:
            for bad in (LONE_SURROGATE, NUL):
                response = requests.request(
                    method,
                    server.url + fill_path(template),
                    json=replaced(body, place, bad),
                    headers=headers,
                    timeout=10,
                )
                if cleans_itself:
                    # The person search drops what it cannot keep: never refused for its form.
                    assert response.status_code < 500, (method, template, response.text)
                    assert CANNOT_STORE not in response.text, (method, template, place)
                    continue
                problem = assert_problem(response, 422)
                named = {e["field"]: e["message"] for e in problem["errors"]}
                assert field(place) in named, (method, template, place, problem)
                assert named[field(place)].endswith(CANNOT_STORE), named
            checked.append(f"{method} {template} {field(place)}")
    assert len(checked) > 100  # every feature's bodies, not a handful


def test_every_text_parameter_in_a_path_or_query_refuses_control_characters(
    live_server: LiveServer,
) -> None:
    server = live_server
    server.create_user("edge-all", list(Role))
    headers = bearer(server.token_for("edge-all"))
    spec = spec_of(server)
    checked = 0
    for method, template, operation in operations(spec):
        for where in ("path", "query"):
            for name, schema, _required in parameters(spec, operation, where):
                if "string" not in schema_types(spec, schema) or "enum" in schema:
                    continue
                for bad in ("SW\x00", "SW\x01"):
                    if where == "path":
                        url = server.url + fill_path(template.replace(f"{{{name}}}", quote(bad)))
                        params = {}
                    else:
                        url, params = server.url + fill_path(template), {name: bad}
                    response = requests.request(
                        method, url, params=params, headers=headers, timeout=10
                    )
                    if where == "path" and name in ROUTED_BY_FORM:
                        # A path whose id has a form (a person's P-000123) is not routed at all.
                        assert_problem(response, 404)
                        continue
                    problem = assert_problem(response, 422)
                    fields = [e["field"] for e in problem["errors"]]
                    assert f"{where}.{name}" in fields, (method, template, problem)
                    checked += 1
    assert checked >= 10


def test_a_lone_surrogate_in_a_custody_entry_is_refused_and_the_record_stays_readable(
    any_db_live_server: LiveServer,
) -> None:
    """#4: it was committed, then the record answered 500 for good."""
    officer = Client(any_db_live_server, "custody")
    record = booked(officer, M * 90)
    before = len(officer.record(record["id"])["events"])
    now = datetime.now(UTC)

    refused = officer.add(
        record["id"], "visit", now - M, response="comprehensive", notes=LONE_SURROGATE
    )
    in_a_key = officer.add(
        record["id"], "visit", now - M, response="comprehensive", **{"\ud800": "x"}
    )

    problem = assert_problem(refused, 422)
    assert problem["errors"] == [
        {"field": "data.notes", "message": f"Notes {CANNOT_STORE}"},
    ]
    assert problem["detail"] == f"Notes {CANNOT_STORE}"
    assert [e["field"] for e in assert_problem(in_a_key, 422)["errors"]] == ["data"]
    assert len(officer.record(record["id"])["events"]) == before
    # Free text keeps its new lines and tabs.
    kept = officer.add(
        record["id"], "visit", now - M, response="comprehensive", notes="Awake.\n\tAsked for water."
    )
    assert kept.status_code == 201, kept.text
    assert officer.record(record["id"])["events"][-1]["data"]["notes"] == (
        "Awake.\n\tAsked for water."
    )


def test_a_nul_in_a_case_files_crime_references_is_refused_on_both_databases(
    any_db_live_server: LiveServer,
) -> None:
    """#5: PostgreSQL stored the case, answered 500, and the case could no longer be read."""
    server = any_db_live_server
    server.create_user("dc-edge", [Role.DETECTIVE])
    headers = bearer(server.token_for("dc-edge"))
    case = {
        "reference": "TST-26-0142",
        "file_type": "anticipated_guilty_plea",
        "incident_refs": ["SW-2026-0000001\u0000"],
    }

    response = requests.post(f"{server.api_url}/casefiles", json=case, headers=headers, timeout=10)
    path_nul = requests.get(f"{server.api_url}/casefiles/SW%00", headers=headers, timeout=10)
    listed = requests.get(f"{server.api_url}/casefiles", headers=headers, timeout=10)

    problem = assert_problem(response, 422)
    assert [e["field"] for e in problem["errors"]] == ["incident_refs.0"]
    assert problem["detail"] == f"The list of crime references {CANNOT_STORE}"
    assert [e["field"] for e in assert_problem(path_nul, 422)["errors"]] == ["path.reference"]
    assert listed.status_code == 200
    assert "TST-26-0142" not in [c["reference"] for c in listed.json()["cases"]]


def test_names_refuse_control_characters_and_free_text_keeps_new_lines(
    live_server: LiveServer,
) -> None:
    from tests.fixtures.incidents import post, walk_in

    token = live_server.token_for("frontdesk")
    bell_in_a_name = walk_in(reporter={**walk_in()["reporter"], "name": "Wil\x07helmina"})
    lines_in_account = walk_in(account="Line one.\r\n\tLine two.")

    refused = assert_problem(post(live_server, token, bell_in_a_name), 422)
    taken = post(live_server, token, lines_in_account)

    assert [e["field"] for e in refused["errors"]] == ["reporter.name"]
    assert taken.status_code == 201, taken.text
    assert taken.json()["account"] == "Line one.\r\n\tLine two."


@pytest.mark.parametrize(
    "workstation",
    [
        pytest.param(b"DESK\t1", id="a tab"),
        pytest.param("Büro-PC".encode(), id="UTF-8 bytes, read as Latin-1"),
        pytest.param("Büro-PC".encode("latin-1"), id="Latin-1 bytes"),
        pytest.param(b"DESK-1\x7f", id="DEL"),
    ],
)
def test_a_workstation_name_must_be_printable_text(
    live_server: LiveServer, workstation: bytes
) -> None:
    """#10: control characters and mis-decoded UTF-8 went into audit rows unchanged."""
    token = live_server.token_for("admin")
    headers = {"Authorization": f"Bearer {token}", "X-Station-Workstation": workstation}

    read = requests.get(f"{live_server.api_url}/audit", headers=headers, timeout=10)
    login = requests.post(
        f"{live_server.api_url}/auth/login",
        json={"username": "admin", "password": "wrong"},
        headers={"X-Station-Workstation": workstation},
        timeout=10,
    )

    for response in (read, login):
        problem = assert_problem(response, 422)
        assert problem["errors"] == [
            {
                "field": "header.x-station-workstation",
                "message": "The workstation name can only have letters, digits, spaces and "
                "punctuation (A to Z, 0 to 9). Ask the service desk to check this "
                "workstation's name.",
            }
        ]
    with live_server.db_session() as session:
        recorded = set(session.scalars(select(AuditEvent.workstation)))
    assert not any(w and not w.isascii() for w in recorded)
    assert not any(w and not w.isprintable() for w in recorded)


def test_a_printable_workstation_name_is_recorded(live_server: LiveServer) -> None:
    token = live_server.token_for("admin")

    response = requests.get(
        f"{live_server.api_url}/audit", headers=bearer(token, "SW-DESK 01 (front)"), timeout=10
    )

    assert response.status_code == 200
    with live_server.db_session() as session:
        recorded = set(session.scalars(select(AuditEvent.workstation)))
    assert "SW-DESK 01 (front)" in recorded


def test_other_headers_with_control_characters_are_refused(live_server: LiveServer) -> None:
    token = live_server.token_for("custody")

    response = requests.get(
        f"{live_server.api_url}/custody/board",
        headers={**bearer(token), "If-None-Match": '"1"\t"2"'},
        timeout=10,
    )

    problem = assert_problem(response, 422)
    assert [e["field"] for e in problem["errors"]] == ["header.if-none-match"]


def test_a_500_never_says_nothing_was_changed(live_server: LiveServer) -> None:
    """A route may fail after its commit (as #4's did while writing its answer): the
    sentence must be true whether or not the change was saved."""
    server = live_server

    def saves_then_fails() -> None:
        with server.app.state.session_factory() as session:
            session.add(
                AuditEvent(
                    at=datetime.now(UTC),
                    username="edge-test",
                    workstation=None,
                    action="update",
                    record_type="test",
                    record_id="saved",
                    detail="",
                )
            )
            session.commit()
        raise RuntimeError("the answer could not be written")

    server.app.add_api_route(
        "/api/v1/saves-then-fails", saves_then_fails, methods=["POST"], dependencies=[PUBLIC]
    )
    response = requests.post(f"{server.api_url}/saves-then-fails", timeout=10)

    problem = assert_problem(response, 500)
    assert "nothing was changed" not in problem["detail"]
    assert problem["detail"].startswith(
        "Something went wrong on the server. Check whether your change was saved"
    )
    with server.db_session() as session:
        saved = session.scalars(select(AuditEvent).where(AuditEvent.record_id == "saved")).all()
    assert len(saved) == 1
