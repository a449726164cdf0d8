"""The OpenAPI document says what the server does (issue 12, #16), the interactive docs page
is off unless asked for (#14), and every answer carries the security headers."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from station_app.domain.roles import Role
from station_app.server.cli import build_parser
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import LiveServer, assert_problem, bearer
from tests.fixtures.openapi_samples import json_body_schema, operations, parameters

PROBLEM_JSON = "application/problem+json"


def spec_of(server: LiveServer) -> dict[str, Any]:
    response = requests.get(f"{server.api_url}/openapi.json", timeout=10)
    response.raise_for_status()
    spec: dict[str, Any] = response.json()
    return spec


# --- undecodable bodies: 400 -------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b'{"username": "admin", ', id="cut short"),
        pytest.param(b'{"username": "\xff\xfeadmin", "password": "x"}', id="not UTF-8"),
        pytest.param(b'{"username": "admin", "password": NaN}', id="NaN is not JSON"),
        pytest.param('{"username": "admin"}'.encode("utf-16"), id="UTF-16"),
    ],
)
def test_a_body_that_cannot_be_read_is_a_400(live_server: LiveServer, raw: bytes) -> None:
    response = requests.post(
        f"{live_server.api_url}/auth/login",
        data=raw,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )

    problem = assert_problem(response, 400)
    assert problem["detail"] == (
        "The request could not be read: it is not JSON in UTF-8. Tell the service desk."
    )


def test_every_operation_with_a_body_documents_the_400(live_server: LiveServer) -> None:
    spec = spec_of(live_server)
    with_body = [
        (method, path, op)
        for method, path, op in operations(spec)
        if json_body_schema(op) is not None
    ]

    assert len(with_body) > 10
    for method, path, operation in with_body:
        assert "400" in operation["responses"], (method, path)


# --- the resent Idempotency-Key: 200 beside 201 -----------------------------------------------


def test_a_resent_idempotency_key_documents_its_200(live_server: LiveServer) -> None:
    spec = spec_of(live_server)
    keyed = [
        (method, path, op)
        for method, path, op in operations(spec)
        if any(name == "idempotency-key" for name, *_ in parameters(spec, op, "header"))
    ]

    assert {f"{m} {p}" for m, p, _ in keyed} >= {
        "post /api/v1/incidents",
        "post /api/v1/custody/records",
        "post /api/v1/custody/records/{record_id}/events",
        "post /api/v1/casefiles/{reference}/documents",
        "post /api/v1/casefiles/{reference}/attachments",
        "post /api/v1/incidents/{reference}/notes",
        "post /api/v1/casefiles",
    }
    for method, path, operation in keyed:
        responses = operation["responses"]
        assert {"200", "201"} <= set(responses), (method, path)
        assert responses["200"]["content"] == responses["201"]["content"], (method, path)
    token = live_server.token_for("frontdesk")
    first = post(live_server, token, walk_in(), key="edge-resend-1")
    again = post(live_server, token, walk_in(), key="edge-resend-1")
    assert (first.status_code, again.status_code) == (201, 200)


# --- If-Match: required where 428 is answered --------------------------------------------------


def test_if_match_is_required_wherever_a_428_is_documented(live_server: LiveServer) -> None:
    spec = spec_of(live_server)
    with_428 = [(m, p, op) for m, p, op in operations(spec) if "428" in op["responses"]]

    assert {f"{m} {p}" for m, p, _ in with_428} >= {
        "put /api/v1/incidents/{reference}",
        "post /api/v1/incidents/{reference}/status",
        "put /api/v1/custody/records/{record_id}/placement",
    }
    for method, path, operation in with_428:
        if_match = [
            p for p in operation["parameters"] if p["in"] == "header" and p["name"] == "if-match"
        ]
        assert if_match and if_match[0]["required"] is True, (method, path)


# --- every error is problem+json ---------------------------------------------------------------


def test_every_documented_error_is_problem_json(live_server: LiveServer) -> None:
    spec = spec_of(live_server)
    errors = 0
    for method, path, operation in operations(spec):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert list(response.get("content", {})) == [PROBLEM_JSON], (method, path, status)
                errors += 1
        guarded = operation.get("security")
        if guarded:
            assert {"401", "403"} <= set(operation["responses"]), (method, path)
        if operation.get("parameters") or "requestBody" in operation:
            assert "422" in operation["responses"], (method, path)
    assert errors > 50
    assert "HTTPValidationError" not in json.dumps(spec)


# --- OPTIONS and other methods a path does not have: 405 with the right Allow ------------------


def test_methods_a_path_does_not_have_get_405_with_the_paths_methods(
    live_server: LiveServer,
) -> None:
    spec = spec_of(live_server)
    for path, item in spec["paths"].items():
        documented = {m.upper() for m in item if m in ("get", "put", "post", "delete", "patch")}
        url = live_server.url + (
            path.replace("{reference}", "SW-26-0142")
            .replace("{name}", "stations")
            .replace("{record_id}", "1")
            .replace("{document_id}", "1")
            .replace("{person_id}", "P-000001")
        )
        for method in ("OPTIONS", "HEAD", "PATCH", "DELETE"):
            if method in documented:
                continue
            response = requests.request(method, url, timeout=10)
            if method != "HEAD":  # a HEAD answer has no body
                assert_problem(response, 405)
            assert response.status_code == 405
            allowed = {m.strip() for m in response.headers["Allow"].split(",")}
            assert allowed == documented, (method, path, response.headers["Allow"])


# --- the interactive docs page (#14) -----------------------------------------------------------


def test_the_docs_page_is_off_by_default_and_the_openapi_stays(live_server: LiveServer) -> None:
    page = requests.get(f"{live_server.api_url}/docs", timeout=10)
    spec = requests.get(f"{live_server.api_url}/openapi.json", timeout=10)

    assert_problem(page, 404)
    assert "cdn" not in page.text.lower()
    assert spec.status_code == 200 and spec.json()["paths"]


@pytest.mark.server_settings(api_docs=True)
def test_the_docs_page_when_turned_on_has_a_strict_content_security_policy(
    live_server: LiveServer,
) -> None:
    page = requests.get(f"{live_server.api_url}/docs", timeout=10)

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_the_command_line_turns_the_docs_page_on() -> None:
    assert build_parser().parse_args(["serve"]).api_docs is False
    assert build_parser().parse_args(["serve", "--api-docs"]).api_docs is True


# --- security headers on every answer ----------------------------------------------------------


def test_every_answer_carries_the_security_headers(live_server: LiveServer) -> None:
    server = live_server
    server.create_user("headers-all", list(Role))
    headers = bearer(server.token_for("headers-all"))
    api = server.api_url
    answers = {
        "health": requests.get(f"{api}/health", timeout=10),
        "openapi": requests.get(f"{api}/openapi.json", timeout=10),
        "signed out": requests.get(f"{api}/incidents", timeout=10),
        "not found": requests.get(f"{api}/nothing-here", timeout=10),
        "wrong method": requests.delete(f"{api}/incidents", timeout=10),
        "me": requests.get(f"{api}/auth/me", headers=headers, timeout=10),
        "incidents": requests.get(f"{api}/incidents", headers=headers, timeout=10),
        "audit": requests.get(f"{api}/audit", headers=headers, timeout=10),
        "board": requests.get(f"{api}/custody/board", headers=headers, timeout=10),
        "people": requests.post(
            f"{api}/people/search", json={"surname": "Smith"}, headers=headers, timeout=10
        ),
        "officers": requests.get(f"{api}/reference/officers", headers=headers, timeout=10),
        "invalid": requests.get(f"{api}/incidents?limit=0", headers=headers, timeout=10),
    }

    for name, response in answers.items():
        assert response.headers.get("X-Content-Type-Options") == "nosniff", name
        assert response.headers.get("Referrer-Policy") == "no-referrer", name
        assert "frame-ancestors 'none'" in response.headers.get("Content-Security-Policy", ""), name
        assert response.headers.get("X-Frame-Options") == "DENY", name
    for name in ("me", "incidents", "audit", "board", "people", "officers", "signed out"):
        assert answers[name].headers.get("Cache-Control") == "no-store", name
