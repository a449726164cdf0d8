"""Schemathesis over the whole API as every role, on SQLite (tests/fixtures/openapi_fuzz.py
says what it checks; `test_openapi_fuzz_postgres.py` runs the same on PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.fixtures.live_server import LiveServer
from tests.fixtures.openapi_fuzz import TIMEOUT, fuzz_every_operation_as_every_role


@pytest.mark.timeout(TIMEOUT)
def test_every_role_gets_no_server_error_and_answers_that_match_the_openapi(
    live_server: LiveServer, request: pytest.FixtureRequest
) -> None:
    fuzz_every_operation_as_every_role(live_server, request)
