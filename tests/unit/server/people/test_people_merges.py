"""Suggested merges and merges over real HTTP on SQLite and PostgreSQL: probable duplicates
listed for a supervisor, merged only by a person, undone exactly, refused with a sentence
when they make no sense, every step in the audit trail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select

from station_app.server.core.audit import AuditEvent
from tests.fixtures.live_server import LiveServer, assert_problem, bearer
from tests.fixtures.people import import_index, read, search

TWICE = """ref,surname,forenames,date_of_birth,address,postcode
D-01,Smyth,John,1984-07-02,"12 Mill Lane, Leeds",LS1 4AB
D-02,Smith,Jon,1984-07-02,"12 Mill Lane, Leeds",LS1 4AB
D-03,Quarrie,Elspeth,1961-05-17,"8 Heron Way, York",YO1 6AA
D-04,Quarry,Elspeth,1961-05-17,,
D-05,Smith,John,1950-01-01,"1 Other Road, Bristol",BS1 1AA
"""


def duplicates(server: LiveServer, token: str) -> requests.Response:
    return requests.get(
        f"{server.api_url}/people/duplicates", headers=bearer(token, "SUP-1"), timeout=30
    )


def merge(server: LiveServer, token: str, keep: str, other: str, **more: Any) -> requests.Response:
    return requests.post(
        f"{server.api_url}/people/{keep}/merge",
        json={"other_person_id": other, **more},
        headers=bearer(token, "SUP-1"),
        timeout=10,
    )


def unmerge(server: LiveServer, token: str, person_id: str) -> requests.Response:
    return requests.post(
        f"{server.api_url}/people/{person_id}/unmerge",
        json={"reason": "Two different men after all."},
        headers=bearer(token, "SUP-1"),
        timeout=10,
    )


def pairs(answer: requests.Response) -> list[set[str]]:
    assert answer.status_code == 200, answer.text
    return [{p["person_id"] for p in s["people"]} for s in answer.json()["suggestions"]]


def test_suggested_merges_merge_and_unmerge(any_db_live_server: LiveServer, tmp_path: Path) -> None:
    server = any_db_live_server
    ids = import_index(server, tmp_path, TWICE)
    supervisor = server.token_for("supervisor")
    john, jon = ids["D-01"], ids["D-02"]

    listed = duplicates(server, supervisor)

    assert pairs(listed)[:2] == [{john, jon}, {ids["D-03"], ids["D-04"]}] or pairs(listed)[:2] == [
        {ids["D-03"], ids["D-04"]},
        {john, jon},
    ]
    assert {ids["D-05"]} not in [p & {ids["D-05"]} for p in pairs(listed)]
    first = listed.json()["suggestions"][0]
    assert first["score"] >= 0.9 and first["reasons"]
    assert {"person_id", "surname", "forenames", "date_of_birth", "addresses", "refs"} <= set(
        first["people"][0]
    )

    merged = merge(server, supervisor, john, jon, reason="Same man, same address.")

    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert body["person_id"] == john
    assert [p["person_id"] for p in body["merged_people"]] == [jon]
    assert body["refs"] == ["D-01", "D-02"]
    assert body["merges"][0]["merged_by"] == "supervisor"
    assert body["merges"][0]["reason"] == "Same man, same address."
    assert read(server, supervisor, jon).json()["merged_into"] == john
    assert {john, jon} not in pairs(duplicates(server, supervisor))
    # The merged record's own spelling finds the person it now lives on in.
    found = search(server, supervisor, surname="Smith", forenames="Jon", date_of_birth="1984-07-02")
    assert found.json()["candidates"][0]["person_id"] == john
    assert jon not in [c["person_id"] for c in found.json()["candidates"]]

    undone = unmerge(server, supervisor, jon)

    assert undone.status_code == 200, undone.text
    assert undone.json()["person_id"] == jon and undone.json()["merged_into"] is None
    assert undone.json()["refs"] == ["D-02"]
    kept = read(server, supervisor, john).json()
    assert kept["merged_people"] == [] and kept["refs"] == ["D-01"]
    assert kept["merges"][0]["unmerged_by"] == "supervisor"
    assert {john, jon} in pairs(duplicates(server, supervisor))
    with server.db_session() as session:
        trail = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.in_(["merge", "unmerge"]))
            .order_by(AuditEvent.id)
        ).all()
    assert [(e.action, e.record_id) for e in trail] == [
        ("merge", john),
        ("merge", jon),
        ("unmerge", jon),
        ("unmerge", john),
    ]
    assert trail[0].detail == f"{jon} merged into {john}: Same man, same address."


def test_merges_that_make_no_sense_are_refused_with_a_sentence(
    any_db_live_server: LiveServer, tmp_path: Path
) -> None:
    server = any_db_live_server
    ids = import_index(server, tmp_path, TWICE)
    admin = server.token_for("admin")
    john, jon, elspeth = ids["D-01"], ids["D-02"], ids["D-03"]
    assert merge(server, admin, john, jon).status_code == 200

    themself = assert_problem(merge(server, admin, elspeth, elspeth), 422)
    into_merged = assert_problem(merge(server, admin, jon, elspeth), 409)
    of_merged = assert_problem(merge(server, admin, elspeth, jon), 409)
    unknown = assert_problem(merge(server, admin, elspeth, "P-999999"), 404)
    not_merged = assert_problem(unmerge(server, admin, elspeth), 409)

    assert themself["detail"] == (
        f"{elspeth} cannot be merged into themself. Choose the other person's record."
    )
    assert themself["errors"][0]["field"] == "other_person_id"
    assert into_merged["detail"] == (
        f"{jon} has already been merged into {john}, so nobody can be merged into {jon}. "
        f"Merge into {john} instead."
    )
    assert of_merged["detail"] == f"{jon} has already been merged into {john}."
    assert unknown["detail"].startswith("There is no person P-999999.")
    assert not_merged["detail"] == (
        f"{elspeth} is not merged into anyone, so there is nothing to undo."
    )
    # Nothing half-stored: the refusals changed no one.
    assert read(server, admin, elspeth).json()["merged_into"] is None
    assert read(server, admin, elspeth).json()["version"] == 1


def test_the_list_of_suggested_merges_is_paged_in_its_own_words(live_server: LiveServer) -> None:
    token = live_server.token_for("admin")
    url = f"{live_server.api_url}/people/duplicates"

    too_many = requests.get(url, params={"limit": 500}, headers=bearer(token), timeout=10)
    before_start = requests.get(url, params={"offset": -1}, headers=bearer(token), timeout=10)
    page = requests.get(url, params={"limit": 1}, headers=bearer(token), timeout=10)

    assert assert_problem(too_many, 422)["detail"] == "Ask for between 1 and 200 suggested merges."
    assert assert_problem(before_start, 422)["errors"][0]["field"] == "query.offset"
    assert page.status_code == 200
    assert (page.json()["offset"], page.json()["limit"]) == (0, 1)
