"""Case-file changes name the version they are based on (issue 12 #8): every update route
answers 428 without If-Match, and two detectives editing the same case never overwrite one
another silently: the second gets 409, through the real client."""

from __future__ import annotations

import base64

import pytest
import requests

from station_app.domain.roles import Role
from station_app.services.api import ApiSession
from station_app.services.casefiles import CasefilesClient
from station_app.services.errors import ConflictError
from tests.fixtures.live_server import LiveServer, assert_problem, bearer

CASE = {
    "reference": "TST-26-0801",
    "file_type": "anticipated_guilty_plea",
    "suspects": [{"name": "Rowan Testwick", "charges": [{"offence_code": "TH68010"}]}],
    "hearing_date": "2026-12-24",
    "court_code": "MC-RVS",
}
FIELDS = {key: value for key, value in CASE.items() if key != "reference"}
MG5 = {"summary": "Seen on CCTV taking two bottles.", "officer_name": "DC Test"}
REF = CASE["reference"]


def detective_client(server: LiveServer, username: str) -> CasefilesClient:
    session = ApiSession(server.url, workstation="test-ws")
    session.token = server.token_for(username)
    return CasefilesClient(session)


def test_every_case_file_change_without_if_match_is_428_with_a_sentence(
    live_server: LiveServer,
) -> None:
    server = live_server
    server.create_user("dc-428", [Role.DETECTIVE])
    server.create_user("ds-428", [Role.SUPERVISOR])
    detective = detective_client(server, "dc-428")
    detective.create(CASE)
    document = detective.add_form(REF, "MG5", MG5)
    base = f"{server.api_url}/casefiles/{REF}"
    as_detective = bearer(server.token_for("dc-428"))
    as_supervisor = bearer(server.token_for("ds-428"))
    pdf = base64.b64encode(b"%PDF-1.4 bundle").decode()
    changes = [
        ("PUT", base, as_detective, FIELDS),
        ("PUT", f"{base}/documents/{document['id']}", as_detective, {"form": "MG5", "data": MG5}),
        ("POST", f"{base}/submit", as_detective, {}),
        ("POST", f"{base}/return", as_supervisor, {"comment": "Check the MG5."}),
        ("POST", f"{base}/approve", as_supervisor, {"override_reason": ""}),
        ("POST", f"{base}/send", as_supervisor, {"bundle_base64": pdf}),
    ]

    for method, url, headers, body in changes:
        response = requests.request(method, url, headers=headers, json=body, timeout=10)

        problem = assert_problem(response, 428)
        assert problem["title"] == "Version needed"
        assert "version" in problem["detail"] and "Reload" in problem["detail"], problem
    case = detective.case(REF)
    assert case["version"] == 2 and case["status"] == "draft"  # the form's save only
    assert case["documents"][0]["data"] == MG5


def test_two_detectives_editing_the_same_case_the_second_gets_409_not_an_overwrite(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    server.create_user("dc-first", [Role.DETECTIVE])
    server.create_user("dc-second", [Role.DETECTIVE])
    first, second = detective_client(server, "dc-first"), detective_client(server, "dc-second")
    first.create(CASE)
    document = first.add_form(REF, "MG5", MG5)
    read_by_first, read_by_second = first.case(REF), second.case(REF)

    first.update(REF, {**FIELDS, "court_code": "MC-CWL"}, read_by_first["version"])
    with pytest.raises(ConflictError, match="Someone else changed this case file"):
        second.update(REF, {**FIELDS, "court_code": "MC-HGT"}, read_by_second["version"])
    first.update_form(REF, document["id"], document["version"], "MG5", {**MG5, "summary": "A"})
    with pytest.raises(ConflictError, match="Someone else changed this form"):
        second.update_form(REF, document["id"], document["version"], "MG5", {**MG5, "summary": "B"})

    case = first.case(REF)
    assert case["court_code"] == "MC-CWL"
    assert case["documents"][0]["data"]["summary"] == "A"


@pytest.mark.parametrize("unknown", [None, ""])
def test_the_client_never_sends_a_change_without_the_version_it_read(
    live_server: LiveServer, unknown: object
) -> None:
    """A version the client does not know is refused before anything is sent (no request
    without If-Match, so nothing is overwritten on a server that still accepted one)."""
    server = live_server
    server.create_user("dc-unknown", [Role.DETECTIVE])
    detective = detective_client(server, "dc-unknown")
    detective.create(CASE)
    document = detective.add_form(REF, "MG5", MG5)

    calls = [
        lambda: detective.update(REF, {**FIELDS, "court_code": "MC-HGT"}, unknown),
        lambda: detective.update_form(REF, document["id"], unknown, "MG5", {**MG5, "summary": "B"}),
        lambda: detective.submit(REF, unknown),
    ]
    for call in calls:
        with pytest.raises(ConflictError, match="which version"):
            call()

    case = detective.case(REF)
    assert (case["court_code"], case["status"]) == ("MC-RVS", "draft")
    assert case["documents"][0]["data"]["summary"] == MG5["summary"]
