"""What one person search costs the database (issue 10: p95 under 50 ms over HTTP on
PostgreSQL). Each statement is a round trip and, on PostgreSQL, psycopg's work to convert
it: statements of more than 50 parameters are converted again every time and never
prepared, which was about a third of a search's time on the server. So: the sign-in check is
one statement, a search sends at most ten, and none of them carries more than 50
parameters on PostgreSQL, whatever the number of keys or candidates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests
from sqlalchemy import event

from tests.fixtures.live_server import LiveServer, bearer
from tests.fixtures.people import import_index

PSYCOPG_CACHED_PARAMETERS = 50  # psycopg._queries.MAX_CACHED_STATEMENT_PARAMS


def _statements_of(server: LiveServer, call: Any) -> list[tuple[str, Any]]:
    sent: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        sent.append((statement, parameters))

    engine = server.app.state.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        response = call()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert response.status_code == 200, response.text
    return sent


def _parameters(parameters: Any) -> int:
    return len(parameters) if isinstance(parameters, dict | list | tuple) else 0


def test_a_search_is_a_few_short_statements(any_db_live_server: LiveServer, tmp_path: Path):
    server = any_db_live_server
    import_index(server, tmp_path)
    headers = bearer(server.token_for("frontdesk"), "DESK-1")
    url = f"{server.api_url}/people/search"
    searches = [
        # Common sound-alike keys: many candidates, every one of them scored.
        {"surname": "Smith", "forenames": "John"},
        {"surname": "Brontey", "forenames": "Zoe", "date_of_birth": "2001-05-12"},
        {"surname": "Ashgrove", "forenames": "Billie", "postcode": "SE1 9XY"},
    ]
    texts: dict[str, set[str]] = {}
    for body in searches:
        sent = _statements_of(
            server, lambda body=body: requests.post(url, json=body, headers=headers, timeout=10)
        )
        reads = [
            statement for statement, _ in sent if statement.lstrip().upper().startswith("SELECT")
        ]
        assert len(sent) <= 10, "\n--\n".join(statement for statement, _ in sent)
        # The sign-in check: the token, its user, their roles and stations in one.
        assert sum("auth_token" in statement for statement in reads) == 1
        assert sum("user_role" in statement for statement in reads) == 1
        if server.app.state.engine.dialect.name == "postgresql":
            many = [s for s, p in sent if _parameters(p) > PSYCOPG_CACHED_PARAMETERS]
            assert many == [], many
            for statement in reads:
                texts.setdefault(statement.split("FROM", 1)[-1][:60], set()).add(statement)

    if texts:
        # The same statement text for every search, whatever it asked: prepared once.
        assert all(len(variants) == 1 for variants in texts.values()), texts


def test_reading_who_is_signed_in_is_one_statement(any_db_live_server: LiveServer):
    server = any_db_live_server
    headers = bearer(server.token_for("custody"), "DESK-1")
    sent = _statements_of(
        server, lambda: requests.get(f"{server.api_url}/reference", headers=headers, timeout=10)
    )
    signed_in = [s for s, _ in sent if "auth_token" in s or "user_role" in s or "user_station" in s]
    assert len(signed_in) == 1, signed_in
