"""Errors are problem+json with a sentence a member of staff can act on, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import requests

from station_app.server.core.deps import PUBLIC
from station_app.server.core.problems import CHECK_THE_FIELDS, field_problem
from tests.fixtures.live_server import (
    LiveServer,
    assert_problem,
    bearer,
    make_test_settings,
    sqlite_url,
)


def post_login(server: LiveServer, **kwargs: object) -> requests.Response:
    return requests.post(f"{server.api_url}/auth/login", timeout=10, **kwargs)  # type: ignore[arg-type]


def test_missing_fields_get_one_plain_message_each(live_server: LiveServer) -> None:
    body = assert_problem(post_login(live_server, json={}), 422)

    assert body["errors"] == [
        {"field": "username", "message": "Enter your user name."},
        {"field": "password", "message": "Enter your password."},
    ]
    assert body["detail"] == "Some details need checking. Correct the fields listed and try again."


def test_an_empty_or_too_long_user_name(live_server: LiveServer) -> None:
    empty = assert_problem(post_login(live_server, json={"username": "", "password": "x"}), 422)
    long = assert_problem(
        post_login(live_server, json={"username": "a" * 151, "password": "x"}), 422
    )

    assert empty["errors"] == [{"field": "username", "message": "Enter your user name."}]
    assert long["detail"] == "Your user name must be at most 150 characters."


def test_control_characters_in_a_user_name_are_refused(live_server: LiveServer) -> None:
    body = assert_problem(
        post_login(live_server, json={"username": "ad\u0000min", "password": "x"}), 422
    )

    # The edge refuses it before validation (issue 12, #5), in its own words.
    assert body["errors"] == [
        {
            "field": "username",
            "message": "Your user name has characters Station cannot store. "
            "Retype them or remove them.",
        }
    ]


def test_a_body_that_is_not_json(live_server: LiveServer) -> None:
    response = post_login(
        live_server, data="{not json", headers={"Content-Type": "application/json"}
    )

    # A body that cannot be read is a 400, not a field to correct (issue 12, #16).
    body = assert_problem(response, 400)
    assert body["detail"] == (
        "The request could not be read: it is not JSON in UTF-8. Tell the service desk."
    )


def test_a_too_long_workstation_name(live_server: LiveServer) -> None:
    token = live_server.token_for("admin")
    response = requests.get(
        f"{live_server.api_url}/auth/me", headers=bearer(token, "W" * 101), timeout=10
    )

    body = assert_problem(response, 422)
    assert body["errors"] == [
        {
            "field": "header.x-station-workstation",
            "message": "The workstation name must be at most 100 characters.",
        }
    ]


def test_unknown_address_and_wrong_method(live_server: LiveServer) -> None:
    not_found = assert_problem(requests.get(f"{live_server.api_url}/nothing", timeout=10), 404)
    wrong_method = assert_problem(requests.delete(f"{live_server.api_url}/health", timeout=10), 405)

    assert "nothing at this address" in not_found["detail"]
    assert wrong_method["detail"] == "This address does not accept that kind of request."


def test_a_bug_becomes_a_generic_500_sentence(sqlite_template: Path, tmp_path: Path) -> None:
    database = tmp_path / "station.db"
    shutil.copyfile(sqlite_template, database)
    server = LiveServer(make_test_settings(sqlite_url(database)))

    def broken_route() -> None:
        raise ZeroDivisionError("secret internals")

    server.app.add_api_route("/api/v1/broken", broken_route, dependencies=[PUBLIC])
    server.start()
    try:
        response = requests.get(f"{server.api_url}/broken", timeout=10)
    finally:
        server.close()

    body = assert_problem(response, 500)
    assert body["title"] == "Something went wrong"
    assert "ZeroDivision" not in response.text and "secret" not in response.text


def test_one_field_problem_is_its_own_detail_and_several_point_at_the_list() -> None:
    one = field_problem({"reason": "Give the reason for the no-crime decision."})
    several = field_problem({"data.cell": "Choose a cell.", "data.reason": "Enter the reason."})

    assert (one.status, one.detail) == (422, "Give the reason for the no-crime decision.")
    assert one.errors == [{"field": "reason", "message": one.detail}]
    assert several.detail == CHECK_THE_FIELDS
    assert several.errors == [
        {"field": "data.cell", "message": "Choose a cell."},
        {"field": "data.reason", "message": "Enter the reason."},
    ]


def test_a_stores_field_problem_and_a_validation_problem_have_one_shape(
    live_server: LiveServer,
) -> None:
    """The walk-in checks (a store) and the JSON shape checks (the validation handler)
    answer through the same builder."""
    headers = bearer(live_server.token_for("frontdesk"))
    checked = requests.post(
        f"{live_server.api_url}/incidents",
        json={"reporter": {"name": ""}, "offence_code": "", "account": ""},
        headers=headers,
        timeout=10,
    )
    shape = requests.post(
        f"{live_server.api_url}/incidents", json={"reporter": {}}, headers=headers, timeout=10
    )

    for response in (checked, shape):
        body = assert_problem(response, 422)
        assert body["detail"] == CHECK_THE_FIELDS
        assert len(body["errors"]) > 1
        assert all(set(error) == {"field", "message"} for error in body["errors"])
