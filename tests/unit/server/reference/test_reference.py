"""Reference data over HTTP: the list, ETags and 304s, deltas since a version, and the
versioning rules of imports."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from station_app.server.core.reference_data import ReferenceRowIn, parse_cell
from station_app.server.core.versions import etag_matches
from tests.fixtures.live_server import LiveServer, assert_problem, bearer

DATASETS = {
    "cells",
    "courts",
    "ethnicity_officer",
    "ethnicity_self",
    "file_standard",
    "nationalities",
    "offences",
    "officers",
    "stations",
}
# shared/domain/formats.md, "Ethnicity".
SELF_DEFINED = [
    *("W1", "W2", "W3", "W9"),
    *("M1", "M2", "M3", "M9"),
    *("A1", "A2", "A3", "A4", "A9"),
    *("B1", "B2", "B9"),
    *("O2", "O9", "NS"),
]
OFFICER_DEFINED = ["IC1", "IC2", "IC3", "IC4", "IC5", "IC6", "IC9"]


def get(server: LiveServer, path: str, **headers: str) -> requests.Response:
    token = server.token_for("frontdesk")
    return requests.get(f"{server.api_url}{path}", headers={**bearer(token), **headers}, timeout=10)


def as_rows(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in body["rows"]}


def test_the_list_names_every_dataset_with_an_etag(any_db_live_server: LiveServer) -> None:
    response = get(any_db_live_server, "/reference")

    assert response.status_code == 200
    datasets = {d["name"]: d for d in response.json()["datasets"]}
    assert set(datasets) == DATASETS
    assert datasets["offences"]["title"] == (
        "Offences (demo sample — not the Standard Offence Service)"
    )
    assert datasets["offences"]["version"] == 1
    assert datasets["offences"]["etag"] == '"offences-1"'
    assert datasets["ethnicity_self"]["row_count"] == 19
    assert datasets["stations"]["updated_at"].endswith("Z")
    etag = response.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')

    not_modified = get(any_db_live_server, "/reference", **{"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""

    any_db_live_server.import_reference("courts", [{"code": "MC-X", "label": "X court"}])
    changed = get(any_db_live_server, "/reference", **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_a_dataset_then_304_then_only_the_changes_since(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    first = get(server, "/reference/stations")
    assert first.status_code == 200
    assert first.headers["ETag"] == '"stations-1"'
    body = first.json()
    assert (body["name"], body["version"], body["since"], body["complete"]) == (
        "stations",
        1,
        None,
        True,
    )
    assert body["deleted"] == []
    stations = as_rows(body)
    assert stations["SW"]["attributes"]["custody_suite"] is True
    assert stations["SW"]["attributes"]["phone"].startswith("020 7946 0")
    assert (
        get(server, "/reference/stations", **{"If-None-Match": '"stations-1"'}).status_code == 304
    )

    # Change SW, delete BW, add NW; KN and HX stay as they were.
    rows = [
        ReferenceRowIn(code, row["label"], row["attributes"])
        for code, row in stations.items()
        if code != "BW"
    ]
    rows = [
        ReferenceRowIn("SW", "Southwark Wharf Police Station (front counter closed)", r.attributes)
        if r.code == "SW"
        else r
        for r in rows
    ]
    rows.append(ReferenceRowIn("NW", "Northwood Vale Police Station", {"custody_suite": False}))
    result = server.import_reference("stations", rows)
    assert (result.version, result.added, result.changed, result.deleted) == (2, 1, 1, 1)

    stale = get(server, "/reference/stations", **{"If-None-Match": '"stations-1"'})
    assert stale.status_code == 200
    assert stale.headers["ETag"] == '"stations-2"'
    delta = get(server, "/reference/stations?since=1").json()
    assert (delta["version"], delta["since"], delta["complete"]) == (2, 1, False)
    assert sorted(as_rows(delta)) == ["NW", "SW"]
    assert delta["deleted"] == ["BW"]
    assert get(server, "/reference/stations?since=2").json()["rows"] == []
    assert get(server, "/reference/stations?since=99").json()["deleted"] == []
    assert sorted(as_rows(get(server, "/reference/stations").json())) == ["HX", "KN", "NW", "SW"]


def test_an_import_with_no_changes_bumps_the_version_only(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    rows = get(server, "/reference/courts").json()["rows"]

    result = server.import_reference("courts", rows)

    assert (result.version, result.added, result.changed, result.deleted) == (2, 0, 0, 0)
    delta = get(server, "/reference/courts?since=1").json()
    assert (delta["version"], delta["rows"], delta["deleted"]) == (2, [], [])


def test_a_deleted_code_can_come_back(live_server: LiveServer) -> None:
    live_server.import_reference("nationalities", [{"code": "GBR", "label": "British"}])
    result = live_server.import_reference(
        "nationalities", [{"code": "GBR", "label": "British"}, {"code": "IRL", "label": "Irish"}]
    )

    assert (result.added, result.changed, result.deleted) == (1, 0, 0)
    delta = get(live_server, "/reference/nationalities?since=2").json()
    assert [row["code"] for row in delta["rows"]] == ["IRL"]
    assert delta["deleted"] == []


def test_unknown_dataset_is_a_404_problem(any_db_live_server: LiveServer) -> None:
    body = assert_problem(get(any_db_live_server, "/reference/custody_records"), 404)

    assert "offences" in body["detail"]


def test_a_negative_since_is_a_422_problem(live_server: LiveServer) -> None:
    body = assert_problem(get(live_server, "/reference/offences?since=-1"), 422)

    assert body["errors"] == [
        {"field": "query.since", "message": "The version to start from must be 0 or more."}
    ]


def test_the_demo_offences_are_a_marked_sample(live_server: LiveServer) -> None:
    rows = get(live_server, "/reference/offences").json()["rows"]

    assert 35 <= len(rows) <= 50
    for row in rows:
        attributes = row["attributes"]
        assert attributes["sample"] is True
        assert attributes["mode_of_trial"] in {"summary", "either_way", "indictable"}
        assert " contrary to " in attributes["wording"], row
        assert attributes["act"] in attributes["wording"]
        # formats.md: TH68010 is the one real code we were given; the rest say "demo".
        assert row["code"] == "TH68010" or row["code"].startswith("DM")
    by_code = as_rows({"rows": rows})
    assert by_code["TH68010"]["label"] == "Theft from a shop"
    assert by_code["DMTH005"]["attributes"]["mode_of_trial"] == "indictable"  # robbery
    assert by_code["DMCJ001"]["attributes"]["mode_of_trial"] == "summary"  # common assault


def test_the_ethnicity_lists_are_exactly_those_of_formats_md(live_server: LiveServer) -> None:
    self_defined = get(live_server, "/reference/ethnicity_self").json()["rows"]
    officer_defined = get(live_server, "/reference/ethnicity_officer").json()["rows"]

    assert sorted(row["code"] for row in self_defined) == sorted(SELF_DEFINED)
    assert sorted(row["code"] for row in officer_defined) == sorted(OFFICER_DEFINED)
    assert as_rows({"rows": officer_defined})["IC1"]["label"] == "White – North European"
    assert as_rows({"rows": self_defined})["W3"]["label"] == "Gypsy or Irish Traveller"


def test_cells_belong_to_stations_with_a_custody_suite(live_server: LiveServer) -> None:
    stations = as_rows(get(live_server, "/reference/stations").json())
    cells = get(live_server, "/reference/cells").json()["rows"]

    for cell in cells:
        station = cell["attributes"]["station_code"]
        assert cell["code"].startswith(f"{station}-")
        assert stations[station]["attributes"]["custody_suite"] is True
        assert isinstance(cell["attributes"]["capacity"], int)


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        ('"offences-3"', True),
        ('W/"offences-3"', True),
        ('"cells-1", "offences-3"', True),
        ("*", True),
        ('"offences-2"', False),
        ("", False),
    ],
)
def test_if_none_match_comparison(header: str, matches: bool) -> None:
    assert etag_matches(header, '"offences-3"') is matches


def test_csv_cells_become_booleans_integers_or_text() -> None:
    assert [parse_cell(v) for v in ("true", "false", "12", "-3", "49/01", "020 7946 0101", "")] == [
        True,
        False,
        12,
        -3,
        "49/01",
        "020 7946 0101",
        "",
    ]
