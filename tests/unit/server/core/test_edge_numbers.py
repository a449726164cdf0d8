"""Every integer in a path or query is bounded (issue 12, #6): a number past what the
database can hold is a 422 naming the parameter, never a 500, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import requests

from station_app.domain.roles import Role
from tests.fixtures.live_server import LiveServer, assert_problem, bearer
from tests.fixtures.openapi_samples import operations, parameters, schema_types

HUGE = 1180591620717411303424  # 2**70, as in the issue
INT32_MAX = 2**31 - 1


def integer_parameters(spec: dict[str, Any]) -> list[tuple[str, str, str, str, dict[str, Any]]]:
    """(method, path template, where, name, schema) of every integer path or query parameter."""
    found = []
    for method, template, operation in operations(spec):
        for where in ("path", "query"):
            for name, schema, _required in parameters(spec, operation, where):
                if "integer" in schema_types(spec, schema):
                    options = schema.get("anyOf", [schema])
                    number = next(o for o in options if o.get("type") == "integer")
                    found.append((method, template, where, name, number))
    return found


def test_the_issues_huge_document_id_is_a_422(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    server.create_user("dc-numbers", [Role.DETECTIVE])

    response = requests.get(
        f"{server.api_url}/casefiles/SW-26-0142/documents/{HUGE}/content",
        headers=bearer(server.token_for("dc-numbers")),
        timeout=10,
    )

    problem = assert_problem(response, 422)
    assert problem["errors"] == [
        {"field": "path.document_id", "message": f"Document id must be {INT32_MAX} or less."}
    ]


def test_every_integer_parameter_is_bounded_and_a_huge_one_is_a_422(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    server.create_user("numbers-all", list(Role))
    token = server.token_for("numbers-all")
    spec = requests.get(f"{server.api_url}/openapi.json", timeout=10).json()
    found = integer_parameters(spec)
    assert {name for *_rest, name, _schema in found} >= {"record_id", "document_id", "since"}

    for method, template, where, name, schema in found:
        assert "maximum" in schema and "minimum" in schema, (method, template, name)
        assert schema["maximum"] <= INT32_MAX, (method, template, name)
        for value in (HUGE, -HUGE, schema["maximum"] + 1):
            path = (
                template.replace("{reference}", "SW-26-0142")
                .replace("{name}", "stations")
                .replace("{record_id}", "1")
                .replace("{document_id}", "1")
            )
            params: dict[str, Any] = {}
            if where == "path":
                path = template.replace(f"{{{name}}}", str(value))
                path = path.replace("{reference}", "SW-26-0142").replace("{document_id}", "1")
                path = path.replace("{record_id}", "1")
            else:
                params[name] = value
            response = requests.request(
                method,
                server.url + path,
                params=params,
                headers=bearer(token),
                json={} if method in ("post", "put") else None,
                timeout=10,
            )
            problem = assert_problem(response, 422)
            assert f"{where}.{name}" in [e["field"] for e in problem["errors"]], (
                method,
                template,
                value,
                problem,
            )
