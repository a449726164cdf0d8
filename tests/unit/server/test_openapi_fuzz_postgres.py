"""Schemathesis over the whole API as every role, on PostgreSQL (tests/fixtures/openapi_fuzz.py
says what it checks; a file of its own so that `make test` runs it beside the SQLite one)."""

from __future__ import annotations

import pytest

from tests.fixtures.live_server import LiveServer
from tests.fixtures.openapi_fuzz import TIMEOUT, fuzz_every_operation_as_every_role

pytestmark = pytest.mark.postgres


@pytest.mark.timeout(TIMEOUT)
def test_every_role_gets_no_server_error_and_answers_that_match_the_openapi(
    postgres_live_server: LiveServer, request: pytest.FixtureRequest
) -> None:
    fuzz_every_operation_as_every_role(postgres_live_server, request)
