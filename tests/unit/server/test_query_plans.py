"""Every query that serves a list or a search is answered from an index on PostgreSQL: the
real routes are called over HTTP as staff call them, every SELECT the server sends is
captured, and PostgreSQL's EXPLAIN of each (with sequential and plain index scans turned
off, tests/fixtures/explain.py) must read no table whole."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from station_app.domain.roles import Role
from tests.fixtures.explain import postgres_plan, selects_sent
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import (
    LiveServer,
    bearer,
)

pytestmark = pytest.mark.postgres

# Lists and searches, as the desktop client asks for them.
LIST_AND_SEARCH_CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/incidents", {}),
    ("GET", "/incidents", {"params": {"q": "ashgrove"}}),
    ("GET", "/incidents", {"params": {"q": "0000012 bicycle"}}),
    ("GET", "/incidents", {"params": {"station": "SW", "status": "recorded"}}),
    ("GET", "/incidents", {"params": {"offence": "DMTH003", "sort": "reference"}}),
    ("GET", "/incidents", {"params": {"flag": "repeat_victim"}}),
    ("GET", "/incidents", {"params": {"decision_overdue": "true"}}),
    ("GET", "/custody/board", {"params": {"station": "SW"}}),
    ("GET", "/casefiles", {}),
    ("GET", "/casefiles", {"params": {"mine": "true", "status": "draft"}}),
    ("POST", "/people/search", {"json": {"surname": "Ashgrove", "forenames": "Wilhelmina"}}),
    ("GET", "/people/duplicates", {}),
    ("GET", "/audit", {"params": {"record_type": "incident"}}),
    ("GET", "/audit", {"params": {"username": "frontdesk"}}),
    ("GET", "/audit", {}),
    ("GET", "/reference", {}),
    ("GET", "/reference/offences", {}),
]


def _table_scans(plan: str) -> list[str]:
    return re.findall(r"Seq Scan on (\w+)", plan)


def test_every_list_and_search_query_is_answered_from_an_index(
    postgres_live_server: LiveServer,
) -> None:
    server = postgres_live_server
    # Every role but the force-wide one (an administrator's case-file list reads the keys of
    # every case file to sort them by urgency: docs/server.md, "Sizing", says so).
    server.create_user("plans-all", [role for role in Role if role is not Role.ADMIN])
    token = server.token_for("plans-all")
    for _ in range(3):
        post(server, server.token_for("frontdesk"), walk_in())
    engine = server.app.state.engine
    with selects_sent(engine) as captured:
        for method, path, options in LIST_AND_SEARCH_CALLS:
            response = requests.request(
                method,
                f"{server.api_url}{path}",
                headers=bearer(token, "PLANS-1"),
                timeout=30,
                **options,
            )
            assert response.status_code == 200, (path, options, response.text)

    assert len(captured) > len(LIST_AND_SEARCH_CALLS)
    whole_tables: dict[str, list[str]] = {}
    for statement, parameters in captured:
        for table in _table_scans(postgres_plan(engine, statement, parameters)):
            whole_tables.setdefault(table, []).append(statement)
    assert whole_tables == {}, "\n\n".join(
        f"{table}:\n" + "\n--\n".join(sorted(set(statements)))
        for table, statements in whole_tables.items()
    )
